//! A map for a handful of entries, as a neighbor's families, policies and switches are: a
//! sorted boxed slice, allocated to its exact length and iterated in key order. A config
//! holds thousands of them, mostly with one to three entries, where a `BTreeMap` node has
//! room for eleven.

use std::fmt;

/// Entries sorted by key, no two with the same key.
#[derive(Clone, PartialEq, Eq)]
pub struct SmallMap<K, V>(Box<[(K, V)]>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Box::default())
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SmallMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

impl<K: Ord + Copy, V> SmallMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, k: K) -> Result<usize, usize> {
        self.0.binary_search_by(|(x, _)| x.cmp(&k))
    }

    pub fn get(&self, k: &K) -> Option<&V> {
        self.find(*k).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.find(*k).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, k: &K) -> bool {
        self.find(*k).is_ok()
    }

    /// Rebuild the slice through a `Vec`, which is allocated to the exact new length.
    fn edit<R>(&mut self, f: impl FnOnce(&mut Vec<(K, V)>) -> R) -> R {
        let mut v = std::mem::take(&mut self.0).into_vec();
        let r = f(&mut v);
        self.0 = v.into_boxed_slice();
        r
    }

    /// Insert or replace; the old value, if any.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.edit(|e| {
                    e.reserve_exact(1);
                    e.insert(i, (k, v));
                });
                None
            }
        }
    }

    pub fn remove(&mut self, k: &K) -> Option<V> {
        let i = self.find(*k).ok()?;
        Some(self.edit(|e| e.remove(i).1))
    }

    /// `Some` sets the value, `None` removes it: how `[no] neighbor X …` lines apply.
    pub fn set(&mut self, k: K, v: Option<V>) {
        match v {
            Some(v) => {
                self.insert(k, v);
            }
            None => {
                self.remove(&k);
            }
        }
    }

    /// The value for `k`, inserted as the default first if missing.
    pub fn get_or_default(&mut self, k: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(k) {
            Ok(i) => i,
            Err(i) => {
                self.edit(|e| {
                    e.reserve_exact(1);
                    e.insert(i, (k, V::default()));
                });
                i
            }
        };
        &mut self.0[i].1
    }

    /// In key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// `own` laid over `base`: every key of either, `own`'s value where only it has the key,
    /// `base`'s where only that has it, and `both(own, base)` where both have it. This is
    /// how a peer-group member inherits.
    pub fn overlay(own: &Self, base: &Self, both: impl Fn(&V, &V) -> V) -> Self
    where
        V: Clone,
    {
        let (a, b) = (&own.0, &base.0);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        loop {
            let entry = match (a.get(i), b.get(j)) {
                (Some((ka, va)), Some((kb, vb))) if ka == kb => {
                    (i, j) = (i + 1, j + 1);
                    (*ka, both(va, vb))
                }
                (Some((ka, va)), next) if next.is_none_or(|(kb, _)| ka < kb) => {
                    i += 1;
                    (*ka, va.clone())
                }
                (_, Some((kb, vb))) => {
                    j += 1;
                    (*kb, vb.clone())
                }
                _ => break,
            };
            out.push(entry);
        }
        SmallMap(out.into_boxed_slice())
    }
}

impl<'a, K: Ord + Copy, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord + Copy, V> FromIterator<(K, V)> for SmallMap<K, V> {
    /// A later entry for the same key replaces an earlier one, as with repeated `insert`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut v: Vec<(K, V)> = iter.into_iter().collect();
        // Stable: equal keys keep their order, and the last of each run is kept.
        v.sort_by_key(|e| e.0);
        let mut out: Vec<(K, V)> = Vec::with_capacity(v.len());
        for e in v {
            match out.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => out.push(e),
            }
        }
        SmallMap(out.into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_exact_and_replacing() {
        let mut m: SmallMap<u8, &str> = SmallMap::new();
        assert_eq!(m.insert(5, "e"), None);
        assert_eq!(m.insert(1, "a"), None);
        assert_eq!(m.insert(3, "c"), None);
        assert_eq!(m.insert(3, "C"), Some("c"));
        assert_eq!(m.iter().collect::<Vec<_>>(), [(&1, &"a"), (&3, &"C"), (&5, &"e")]);
        assert_eq!(m.0.len(), 3);
        assert_eq!(m.remove(&1), Some("a"));
        assert_eq!(m.remove(&1), None);
        m.set(7, Some("g"));
        m.set(5, None);
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), [3, 7]);
        *m.get_or_default(4) = "d";
        assert_eq!(m.get(&4), Some(&"d"));
        assert!(!m.contains_key(&5));
        let collected: SmallMap<u8, u8> = [(2, 1), (1, 1), (2, 2)].into_iter().collect();
        assert_eq!(collected.iter().collect::<Vec<_>>(), [(&1, &1), (&2, &2)]);
    }

    #[test]
    fn overlay_keeps_every_key_and_merges_shared_ones() {
        let own: SmallMap<u8, u32> = [(1, 10), (3, 30), (9, 90)].into_iter().collect();
        let base: SmallMap<u8, u32> = [(0, 1), (3, 3), (4, 4)].into_iter().collect();
        let m = SmallMap::overlay(&own, &base, |a, b| a + b);
        assert_eq!(m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [(0, 1), (1, 10), (3, 33), (4, 4), (9, 90)]);
        let empty = SmallMap::new();
        assert_eq!(SmallMap::overlay(&empty, &base, |a, _| *a), base);
        assert_eq!(SmallMap::overlay(&own, &empty, |a, _| *a), own);
    }
}
