//! A password or key read from an input. It can be compared but never shown: `Debug` and
//! `Display` print a placeholder, and there is no accessor that returns the text except
//! [`Secret::expose`], whose only callers are the generator (writing the configs it was
//! asked to write) and the lab harness (configuring real daemons).

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret itself. Never put the result into a diagnostic, log or report.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let s = Secret::new("weakpassword");
        assert!(!format!("{s:?} {s}").contains("weak"));
        assert_eq!(s, Secret::new("weakpassword"));
        assert_ne!(s, Secret::new("other"));
    }
}
