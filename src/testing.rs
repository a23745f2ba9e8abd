//! Helpers shared by the unit tests.

/// A small deterministic generator (xorshift64) for randomised tests: the same seed gives
/// the same inputs on every run, so a failure can be replayed.
pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// `seed` must not be zero.
    pub(crate) fn new(seed: u64) -> Xorshift {
        Xorshift(seed.max(1))
    }

    /// A number below `n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}
