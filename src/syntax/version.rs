//! FRR release numbers (`major.minor`) as the grammar's `@since`/`@until` annotations and the
//! configuration's `frr version` line write them. Patch levels and build suffixes are read and
//! dropped: FRR changes its CLI only in minor releases.

use std::fmt;

/// An FRR release, compared as `(major, minor)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FrrVersion {
    pub major: u8,
    pub minor: u8,
}

impl FrrVersion {
    /// The oldest release frrlint models; commands without `@since` exist from here on.
    pub const OLDEST: FrrVersion = FrrVersion::new(8, 4);
    /// The newest release frrlint models; the default target when nothing else says.
    pub const NEWEST: FrrVersion = FrrVersion::new(10, 8);

    pub const fn new(major: u8, minor: u8) -> Self {
        FrrVersion { major, minor }
    }

    /// Read `8.4`, `10.5.0`, `9.1-dev`, `7.5.1_git`: the leading `major.minor` counts, the
    /// rest is ignored. `None` when there is no `major.minor` at the start.
    pub fn parse(text: &str) -> Option<FrrVersion> {
        let text = text.trim();
        let (major, rest) = leading_number(text)?;
        let rest = rest.strip_prefix('.')?;
        let (minor, rest) = leading_number(rest)?;
        // A third component must be separated properly; "8.4x" is not a version.
        match rest.chars().next() {
            None | Some('.' | '-' | '_' | '+' | '~' | ' ') => {}
            Some(_) => return None,
        }
        Some(FrrVersion {
            major: u8::try_from(major).ok()?,
            minor: u8::try_from(minor).ok()?,
        })
    }

    /// The version limited to the range frrlint models.
    pub fn clamp_to_known(self) -> FrrVersion {
        self.clamp(FrrVersion::OLDEST, FrrVersion::NEWEST)
    }
}

fn leading_number(s: &str) -> Option<(u32, &str)> {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    if end == 0 || end > 3 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

impl fmt::Display for FrrVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_release_strings() {
        assert_eq!(FrrVersion::parse("8.4"), Some(FrrVersion::new(8, 4)));
        assert_eq!(FrrVersion::parse("10.5.0"), Some(FrrVersion::new(10, 5)));
        assert_eq!(FrrVersion::parse("9.1-dev"), Some(FrrVersion::new(9, 1)));
        assert_eq!(FrrVersion::parse("7.5.1_git"), Some(FrrVersion::new(7, 5)));
        assert_eq!(FrrVersion::parse("8"), None);
        assert_eq!(FrrVersion::parse("8.4x"), None);
        assert_eq!(FrrVersion::parse(""), None);
        assert_eq!(FrrVersion::parse("999.1"), None);
    }

    #[test]
    fn orders_and_prints() {
        assert!(FrrVersion::new(10, 2) > FrrVersion::new(9, 1));
        assert!(FrrVersion::new(8, 10) > FrrVersion::new(8, 4));
        assert_eq!(FrrVersion::NEWEST.to_string(), "10.8");
        assert_eq!(FrrVersion::new(7, 0).clamp_to_known(), FrrVersion::OLDEST);
    }
}
