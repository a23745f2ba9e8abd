//! Whether a Cilium release serves a kind in an API version: an object in an API version the
//! release does not serve cannot be applied, so it does not exist for `effective`.

use super::resources::{CiliumApi, Kind};
use super::version::{CiliumVersion, Feature};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Served {
    Yes,
    /// Served, with a deprecation warning.
    Deprecated {
        since: CiliumVersion,
    },
    /// Not served yet: first served in this release.
    NotYet {
        since: CiliumVersion,
    },
    /// No longer served: removed in this release.
    Removed {
        since: CiliumVersion,
    },
}

impl Served {
    /// The API server accepts the object.
    pub fn exists(self) -> bool {
        matches!(self, Served::Yes | Served::Deprecated { .. })
    }
}

/// How `version` serves `kind` as `api` (core kinds are always served).
pub fn served(kind: Kind, api: CiliumApi, version: CiliumVersion) -> Served {
    let since = |f: Feature| f.since();
    match (kind, api) {
        (Kind::PeeringPolicy, _) => {
            if !version.has(Feature::PeeringPolicy) {
                Served::Removed { since: Feature::PeeringPolicy.until().unwrap_or(CiliumVersion::NEWEST) }
            } else if version.has(Feature::PeeringPolicyDeprecated) {
                Served::Deprecated { since: since(Feature::PeeringPolicyDeprecated) }
            } else {
                Served::Yes
            }
        }
        (Kind::LbIpPool, CiliumApi::V2) if !version.has(Feature::PoolV2) => {
            Served::NotYet { since: since(Feature::PoolV2) }
        }
        (Kind::LbIpPool, CiliumApi::V2Alpha1) if version.has(Feature::PoolV2Alpha1Deprecated) => {
            Served::Deprecated { since: since(Feature::PoolV2Alpha1Deprecated) }
        }
        (Kind::LbIpPool, _) => Served::Yes,
        (k, _) if !k.is_cilium() => Served::Yes,
        (_, CiliumApi::V2) if !version.has(Feature::BgpV2) => Served::NotYet { since: since(Feature::BgpV2) },
        (_, CiliumApi::V2Alpha1) if !version.has(Feature::BgpV2Alpha1) => {
            Served::NotYet { since: since(Feature::BgpV2Alpha1) }
        }
        (_, CiliumApi::V2Alpha1) if version.has(Feature::V2Alpha1BgpDeprecated) => {
            Served::Deprecated { since: since(Feature::V2Alpha1BgpDeprecated) }
        }
        _ => Served::Yes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline() {
        let v = CiliumVersion::new;
        assert_eq!(served(Kind::ClusterConfig, CiliumApi::V2, v(17)), Served::NotYet { since: v(18) });
        assert_eq!(served(Kind::ClusterConfig, CiliumApi::V2Alpha1, v(15)), Served::NotYet { since: v(16) });
        assert_eq!(served(Kind::ClusterConfig, CiliumApi::V2Alpha1, v(17)), Served::Yes);
        assert_eq!(served(Kind::ClusterConfig, CiliumApi::V2Alpha1, v(18)), Served::Deprecated { since: v(18) });
        assert_eq!(served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v(19)), Served::Removed { since: v(19) });
        assert_eq!(served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v(14)), Served::Yes);
        assert_eq!(served(Kind::LbIpPool, CiliumApi::V2Alpha1, v(14)), Served::Yes);
        assert_eq!(served(Kind::LbIpPool, CiliumApi::V2, v(17)), Served::NotYet { since: v(18) });
        assert!(served(Kind::LbIpPool, CiliumApi::V2Alpha1, v(19)).exists());
    }
}
