//! Where a value came from: [`Loc`] (file and byte span), [`At`] for a value read from YAML,
//! and [`Setting`] for an effective value that is either written somewhere or Cilium's
//! default. Findings point at these locations, so every fact keeps one.

use crate::source::{FileId, Span};

/// A place in an input file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

impl Loc {
    pub fn new(file: FileId, span: Span) -> Self {
        Loc { file, span }
    }
}

/// A value read from a manifest, with the location of the YAML node it came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> At<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        At { value, loc }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> At<U> {
        At { value: f(self.value), loc: self.loc }
    }

    pub fn as_ref(&self) -> At<&T> {
        At { value: &self.value, loc: self.loc }
    }
}

/// An effective setting: the value Cilium would use, and where it was written (`None`: the
/// value is Cilium's default, written nowhere).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Setting<T> {
    pub value: T,
    pub from: Option<Loc>,
}

impl<T: Clone> Setting<T> {
    /// Cilium's default, not written in any manifest.
    pub fn default_value(value: T) -> Self {
        Setting { value, from: None }
    }

    /// The written value if there is one, else `default`.
    pub fn or_default(written: Option<&At<T>>, default: T) -> Self {
        match written {
            Some(a) => Setting { value: a.value.clone(), from: Some(a.loc) },
            None => Setting { value: default, from: None },
        }
    }

    pub fn is_default(&self) -> bool {
        self.from.is_none()
    }
}
