//! One small, fast, non-cryptographic hasher for the hot maps of lowering and policy
//! evaluation (the multiply-rotate scheme of rustc's FxHash). Their keys come from the
//! configuration being checked, not from an adversary aiming at collisions, so SipHash's
//! defence buys nothing there and costs a tenth of the lowering time.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    /// Eight bytes at a time, little-endian, the last word zero-padded. Whole words are read
    /// as integers and only the tail is shifted in, rather than every chunk being copied
    /// into a padded buffer of its own.
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let t = tail.iter().enumerate().fold(0u64, |t, (i, &b)| t | u64::from(b) << (8 * i));
            self.add(t);
        }
    }

    /// As the bytes of `n` in little-endian order would hash, without the bytes.
    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// The product's high bits are its well-mixed ones, and the table index is taken from
    /// the low bits: rotate them down (without it, keys that differ only in their high
    /// bytes, such as neighbor addresses in one /16, collide).
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time `write` and `write_u128` give the hashes of the plain definition:
    /// each eight bytes in turn, little-endian, the last zero-padded.
    #[test]
    fn hashes_are_those_of_the_plain_definition() {
        let plain = |bytes: &[u8]| {
            let mut h = FastHasher::default();
            for chunk in bytes.chunks(8) {
                let mut b = [0u8; 8];
                b[..chunk.len()].copy_from_slice(chunk);
                h.add(u64::from_le_bytes(b));
            }
            h.finish()
        };
        let bytes: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect();
        for len in 0..=bytes.len() {
            let mut h = FastHasher::default();
            h.write(&bytes[..len]);
            assert_eq!(h.finish(), plain(&bytes[..len]), "{len} bytes");
        }
        for n in [0u128, 1, u128::from(u64::MAX), u128::MAX, 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210] {
            let mut h = FastHasher::default();
            h.write_u128(n);
            assert_eq!(h.finish(), plain(&n.to_le_bytes()), "{n:#x}");
        }
    }
}
