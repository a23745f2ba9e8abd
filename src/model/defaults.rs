//! FRR's defaults, which depend on the `frr defaults` profile and on the `frr version`
//! the configuration claims (FRR computes them when `router bgp` creates the instance).
//! Source: ../shared/notes/frr-config.md §4.

use crate::syntax::FrrVersion;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    Traditional,
    Datacenter,
}

impl Profile {
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "traditional" => Some(Profile::Traditional),
            "datacenter" => Some(Profile::Datacenter),
            _ => None,
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Traditional => "traditional",
            Profile::Datacenter => "datacenter",
        })
    }
}

/// The defaults in force for a BGP instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    /// RFC 8212: eBGP peers exchange nothing without policy.
    pub ebgp_requires_policy: bool,
    pub keepalive: u16,
    pub hold: u16,
    pub connect_retry: u16,
    pub log_neighbor_changes: bool,
    pub deterministic_med: bool,
    pub network_import_check: bool,
    pub enforce_first_as: bool,
    pub default_ipv4_unicast: bool,
    pub reject_as_sets: bool,
}

impl Defaults {
    pub fn for_version(version: FrrVersion, profile: Profile) -> Defaults {
        let dc = profile == Profile::Datacenter;
        let at_least = |major, minor| version >= FrrVersion::new(major, minor);
        Defaults {
            ebgp_requires_policy: !dc && at_least(7, 4),
            keepalive: if dc { 3 } else { 60 },
            hold: if dc { 9 } else { 180 },
            connect_retry: if dc {
                10
            } else if at_least(10, 3) {
                30
            } else {
                120
            },
            log_neighbor_changes: dc,
            deterministic_med: dc,
            network_import_check: dc || at_least(7, 4),
            enforce_first_as: at_least(9, 1),
            default_ipv4_unicast: true,
            reject_as_sets: at_least(10, 5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8212_default_depends_on_profile_and_version() {
        let v = |a, b| FrrVersion::new(a, b);
        assert!(Defaults::for_version(v(8, 4), Profile::Traditional).ebgp_requires_policy);
        assert!(!Defaults::for_version(v(8, 4), Profile::Datacenter).ebgp_requires_policy);
        assert!(!Defaults::for_version(v(7, 3), Profile::Traditional).ebgp_requires_policy);
        assert_eq!(Defaults::for_version(v(10, 3), Profile::Traditional).connect_retry, 30);
        assert_eq!(Defaults::for_version(v(8, 4), Profile::Datacenter).hold, 9);
    }
}
