//! [`Routes`]: the announcements (or withheld items) of one family on one node. Service
//! routes are the same on every node that uses the same family, so they are computed once
//! and shared (reference-counted); only pod CIDRs and the like are the node's own. A large
//! cluster then costs one list per family, not one per node.

use std::fmt;
use std::sync::Arc;

#[derive(Clone)]
pub struct Routes<T> {
    shared: Arc<[T]>,
    own: Vec<T>,
}

impl<T> Routes<T> {
    pub fn new(shared: Arc<[T]>, own: Vec<T>) -> Self {
        Routes { shared, own }
    }

    pub fn len(&self) -> usize {
        self.shared.len() + self.own.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shared items first, then the node's own.
    pub fn iter(&self) -> std::iter::Chain<std::slice::Iter<'_, T>, std::slice::Iter<'_, T>> {
        self.shared.iter().chain(self.own.iter())
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.shared.get(i).or_else(|| self.own.get(i - self.shared.len()))
    }

    pub fn push(&mut self, item: T) {
        self.own.push(item);
    }
}

impl<T> std::ops::Index<usize> for Routes<T> {
    type Output = T;

    /// Like slice indexing: panics when `i` is out of bounds.
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(t) => t,
            None => panic!("index {i} out of bounds for {} routes", self.len()),
        }
    }
}

impl<T> Default for Routes<T> {
    fn default() -> Self {
        Routes { shared: Arc::from(Vec::new()), own: Vec::new() }
    }
}

impl<'a, T> IntoIterator for &'a Routes<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Chain<std::slice::Iter<'a, T>, std::slice::Iter<'a, T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> FromIterator<T> for Routes<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Routes { shared: Arc::from(Vec::new()), own: iter.into_iter().collect() }
    }
}

impl<T: PartialEq> PartialEq for Routes<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for Routes<T> {}

impl<T: fmt::Debug> fmt::Debug for Routes<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_then_own() {
        let mut r = Routes::new(Arc::from(vec![1, 2]), vec![3]);
        r.push(4);
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!((r.len(), r.get(2), r.get(9)), (4, Some(&3), None));
        assert_eq!(r, [1, 2, 3, 4].into_iter().collect::<Routes<_>>());
        assert!(Routes::<u8>::default().is_empty());
        let mut n = 0;
        for x in &r {
            n += x;
        }
        assert_eq!(n, 10);
    }
}
