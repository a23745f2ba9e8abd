//! The Cilium release a check targets (`--cilium-version`), and the one table that says
//! which release added, deprecated or removed each API, field and default this crate
//! models. The table follows the timeline in the project's Cilium notes; versions there
//! marked "(PR date)" are inferred from merge dates and are inferred here too.

use std::fmt;
use std::str::FromStr;

/// A Cilium release, `1.minor` with an optional patch level. A version written without a
/// patch ("1.16") means the newest patch of that minor release, so backports count.
/// Field order makes the derived ordering compare minor first, then patch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CiliumVersion {
    minor: u8,
    /// `u16::MAX` when no patch level was given.
    patch: u16,
}

/// A version string this crate cannot target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("`{0}` is not a Cilium version (expected 1.MINOR or 1.MINOR.PATCH)")]
    Syntax(String),
    #[error("Cilium {0} is not supported: supported versions are 1.14 to 1.19")]
    Unsupported(String),
}

impl CiliumVersion {
    pub const OLDEST: CiliumVersion = CiliumVersion { minor: 14, patch: u16::MAX };
    pub const NEWEST: CiliumVersion = CiliumVersion { minor: 19, patch: u16::MAX };

    /// `1.minor`, newest patch. Minors outside 1.14–1.19 are clamped into that range.
    pub const fn new(minor: u8) -> Self {
        let minor = if minor < Self::OLDEST.minor {
            Self::OLDEST.minor
        } else if minor > Self::NEWEST.minor {
            Self::NEWEST.minor
        } else {
            minor
        };
        CiliumVersion { minor, patch: u16::MAX }
    }

    pub const fn with_patch(self, patch: u16) -> Self {
        CiliumVersion { minor: self.minor, patch }
    }

    pub fn minor(self) -> u8 {
        self.minor
    }

    pub fn patch(self) -> Option<u16> {
        (self.patch != u16::MAX).then_some(self.patch)
    }

    /// At least `1.minor.patch`.
    pub fn at_least(self, minor: u8, patch: u16) -> bool {
        (self.minor, self.patch) >= (minor, patch)
    }

    /// Whether `feature` holds in this release.
    pub fn has(self, feature: Feature) -> bool {
        let (since, until) = feature.window();
        self.at_least(since.0, since.1) && until.is_none_or(|u| !self.at_least(u.0, u.1))
    }
}

impl Default for CiliumVersion {
    fn default() -> Self {
        Self::NEWEST
    }
}

impl fmt::Display for CiliumVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch() {
            Some(p) => write!(f, "1.{}.{}", self.minor, p),
            None => write!(f, "1.{}", self.minor),
        }
    }
}

impl FromStr for CiliumVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let parts: Vec<&str> = t.split('.').collect();
        let num = |p: &str| p.parse::<u16>().map_err(|_| VersionError::Syntax(s.to_string()));
        let (major, minor, patch) = match parts.as_slice() {
            [ma, mi] => (num(ma)?, num(mi)?, None),
            [ma, mi, pa] => (num(ma)?, num(mi)?, Some(num(pa)?)),
            _ => return Err(VersionError::Syntax(s.to_string())),
        };
        let supported = Self::OLDEST.minor as u16..=Self::NEWEST.minor as u16;
        if major != 1 || !supported.contains(&minor) {
            return Err(VersionError::Unsupported(t.to_string()));
        }
        let v = CiliumVersion::new(minor as u8);
        Ok(match patch {
            Some(p) if p != u16::MAX => v.with_patch(p),
            _ => v,
        })
    }
}

/// Something that exists, or a behaviour that holds, in a window of Cilium releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    /// The BGPv2 CRDs (ClusterConfig, PeerConfig, Advertisement, NodeConfigOverride) as
    /// `cilium.io/v2alpha1`: 1.16 on; deprecated from 1.18 (see [`Feature::V2Alpha1BgpDeprecated`]).
    BgpV2Alpha1,
    /// The same CRDs as `cilium.io/v2`: 1.18 on (PR #37765).
    BgpV2,
    /// `cilium.io/v2alpha1` BGP CRDs deprecated: 1.18 on (PR #38239).
    V2Alpha1BgpDeprecated,
    /// `CiliumBGPPeeringPolicy` served: until 1.18; removed in 1.19 (PR #42278).
    PeeringPolicy,
    /// `CiliumBGPPeeringPolicy` deprecated: 1.18 (PR #38397).
    PeeringPolicyDeprecated,
    /// `CiliumLoadBalancerIPPool` as `cilium.io/v2`: 1.18 on (PR #39134).
    PoolV2,
    /// `cilium.io/v2alpha1` LB pools deprecated: 1.18 on (PR #39134).
    PoolV2Alpha1Deprecated,
    /// LB pool `spec.blocks` and `allowFirstLastIPs`: 1.15 on.
    PoolBlocks,
    /// LB pool `spec.cidrs`: until 1.15 (deprecated there), removed in 1.16 (PR #33151).
    PoolCidrs,
    /// LB pool `spec.cidrs` deprecated: 1.15.
    PoolCidrsDeprecated,
    /// `allowFirstLastIPs` unset means Yes: 1.16 on (PR #33151); before, No.
    AllowFirstLastDefaultYes,
    /// `peerASN: 0` (the default) accepts any AS: 1.17 on (PR #35817); 1.16 requires ≥ 1.
    PeerAsnZeroAny,
    /// v2alpha1 PeerConfig `transport.localPort` defaults to 179 when `transport` is
    /// present: 1.16 only (issue #34016; no default from 1.17, PR #33438).
    TransportLocalPortDefault179,
    /// v2alpha1 PeerConfig `transport.localPort` deprecated: 1.17 on (PR #33438).
    TransportLocalPortDeprecated,
    /// ClusterConfig `bgpInstances[].localPort`: 1.18 on (PR #37476).
    ClusterLocalPort,
    /// NodeConfigOverride `bgpInstances[].localASN`: 1.17 on (PR #36597).
    OverrideLocalAsn,
    /// Advertisement `service.aggregationLengthIPv4/IPv6`: 1.18 on (PR #37275).
    ServiceAggregation,
    /// Advertisement type `Interface` and PeerConfig `transport.sourceInterface`: 1.19 on.
    Interface,
    /// ClusterConfig peer `autoDiscovery` (DefaultGateway): v2 only, so 1.18 on (inferred).
    AutoDiscovery,
    /// Unnumbered peering (`peerInterface`, `autoDiscovery.unnumbered`): unreleased main only.
    Unnumbered,
    /// Gateway `spec.infrastructure.labels` copied to the generated Service: 1.15 on (PR #29122).
    GatewayInfrastructureLabels,
    /// Generated Gateway Service carries `gateway.networking.k8s.io/gateway-name`:
    /// 1.16.1 on (PR #33990, backport #34215).
    GatewayNameLabel,
    /// CEL rule: a `Service` advertisement needs `service`: 1.18 on.
    CelServiceRequired,
    /// CEL rule: `PodCIDR` advertisements must not carry a selector: 1.19 on.
    CelPodCidrNoSelector,
}

type Ver = (u8, u16);

impl Feature {
    /// `[since, until)`; `until: None` means still true in the newest release.
    fn window(self) -> (Ver, Option<Ver>) {
        use Feature::*;
        const ANY: Ver = (0, 0);
        match self {
            BgpV2Alpha1 => ((16, 0), None),
            BgpV2 => ((18, 0), None),
            V2Alpha1BgpDeprecated => ((18, 0), None),
            PeeringPolicy => (ANY, Some((19, 0))),
            PeeringPolicyDeprecated => ((18, 0), None),
            PoolV2 => ((18, 0), None),
            PoolV2Alpha1Deprecated => ((18, 0), None),
            PoolBlocks => ((15, 0), None),
            PoolCidrs => (ANY, Some((16, 0))),
            PoolCidrsDeprecated => ((15, 0), None),
            AllowFirstLastDefaultYes => ((16, 0), None),
            PeerAsnZeroAny => ((17, 0), None),
            TransportLocalPortDefault179 => ((16, 0), Some((17, 0))),
            TransportLocalPortDeprecated => ((17, 0), None),
            ClusterLocalPort => ((18, 0), None),
            OverrideLocalAsn => ((17, 0), None),
            ServiceAggregation => ((18, 0), None),
            Interface => ((19, 0), None),
            AutoDiscovery => ((18, 0), None),
            Unnumbered => ((20, 0), None),
            GatewayInfrastructureLabels => ((15, 0), None),
            GatewayNameLabel => ((16, 1), None),
            CelServiceRequired => ((18, 0), None),
            CelPodCidrNoSelector => ((19, 0), None),
        }
    }

    /// The first release with this feature, for messages ("added in Cilium 1.18").
    pub fn since(self) -> CiliumVersion {
        let ((minor, patch), _) = self.window();
        let v = CiliumVersion { minor, patch: u16::MAX };
        if patch == 0 {
            v
        } else {
            v.with_patch(patch)
        }
    }

    /// The first release without it, if it was removed.
    pub fn until(self) -> Option<CiliumVersion> {
        self.window().1.map(|(minor, _)| CiliumVersion { minor, patch: u16::MAX })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display() {
        let v: CiliumVersion = "1.16".parse().unwrap();
        assert_eq!(v.to_string(), "1.16");
        assert_eq!("v1.16.3".parse::<CiliumVersion>().unwrap().to_string(), "1.16.3");
        assert!("1.13".parse::<CiliumVersion>().is_err());
        assert!("1.20".parse::<CiliumVersion>().is_err());
        assert!("2.0".parse::<CiliumVersion>().is_err());
        assert!("x".parse::<CiliumVersion>().is_err());
        assert_eq!(CiliumVersion::default(), CiliumVersion::NEWEST);
    }

    #[test]
    fn unpatched_means_newest_patch() {
        let v116: CiliumVersion = "1.16".parse().unwrap();
        let v1160: CiliumVersion = "1.16.0".parse().unwrap();
        assert!(v116.has(Feature::GatewayNameLabel));
        assert!(!v1160.has(Feature::GatewayNameLabel));
        assert!(v1160 < v116);
    }

    #[test]
    fn windows() {
        let v = |m| CiliumVersion::new(m);
        assert!(v(18).has(Feature::PeeringPolicy) && !v(19).has(Feature::PeeringPolicy));
        assert!(v(15).has(Feature::PoolCidrs) && !v(16).has(Feature::PoolCidrs));
        assert!(v(16).has(Feature::TransportLocalPortDefault179));
        assert!(!v(17).has(Feature::TransportLocalPortDefault179));
        assert!(!v(19).has(Feature::Unnumbered));
        assert_eq!(Feature::ClusterLocalPort.since().to_string(), "1.18");
        assert_eq!(Feature::GatewayNameLabel.since().to_string(), "1.16.1");
        assert_eq!(Feature::PoolCidrs.until().map(|v| v.to_string()), Some("1.16".into()));
    }
}
