//! The field trees of Cilium's CRD schemas, per kind, with the API version and Cilium
//! release each field exists in. Derived by hand from Cilium's generated CRDs (the newest
//! schema of every kind, both `v2` and `v2alpha1`), plus the fields older releases had and
//! newer ones dropped (`spec.cidrs` of LB pools). A test compares this table with the CRD
//! files when they are available.
//!
//! Selectors are one entry (their `matchLabels`/`matchExpressions` subtree is implied);
//! `status` is not checked below its first level.

use crate::k8s::resources::CiliumApi::{V2Alpha1, V2};
use crate::k8s::resources::{CiliumApi, Kind};
use crate::k8s::version::Feature;

/// How a field's children are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Children are fields listed in the table.
    Plain,
    /// Any keys below (labels, annotations, status).
    Free,
    /// A label selector.
    Selector,
}

/// Where a field exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Avail {
    All,
    Api(CiliumApi),
    Feature(Feature),
    ApiFeature(CiliumApi, Feature),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldSpec {
    pub path: &'static str,
    pub shape: Shape,
    pub avail: Avail,
    /// The field was deprecated or removed: where it is missing, `deprecated-api` reports it
    /// (with the history), not `unknown-field`.
    pub retired: bool,
}

const fn p(path: &'static str) -> FieldSpec {
    FieldSpec { path, shape: Shape::Plain, avail: Avail::All, retired: false }
}
const fn sel(path: &'static str) -> FieldSpec {
    FieldSpec { path, shape: Shape::Selector, avail: Avail::All, retired: false }
}
const fn free(path: &'static str) -> FieldSpec {
    FieldSpec { path, shape: Shape::Free, avail: Avail::All, retired: false }
}

impl FieldSpec {
    const fn only(mut self, api: CiliumApi) -> Self {
        self.avail = match self.avail {
            Avail::Feature(f) => Avail::ApiFeature(api, f),
            _ => Avail::Api(api),
        };
        self
    }
    const fn when(mut self, f: Feature) -> Self {
        self.avail = match self.avail {
            Avail::Api(a) => Avail::ApiFeature(a, f),
            _ => Avail::Feature(f),
        };
        self
    }
    const fn retired(mut self) -> Self {
        self.retired = true;
        self
    }
}

/// Every object: the top level and `metadata` (ObjectMeta).
pub(crate) const COMMON: &[FieldSpec] = &[
    p("apiVersion"),
    p("kind"),
    p("metadata"),
    p("metadata.name"),
    p("metadata.generateName"),
    p("metadata.namespace"),
    p("metadata.selfLink"),
    p("metadata.uid"),
    p("metadata.resourceVersion"),
    p("metadata.generation"),
    p("metadata.creationTimestamp"),
    p("metadata.deletionTimestamp"),
    p("metadata.deletionGracePeriodSeconds"),
    free("metadata.labels"),
    free("metadata.annotations"),
    free("metadata.ownerReferences"),
    p("metadata.finalizers"),
    free("metadata.managedFields"),
];

const CLUSTER_CONFIG: &[FieldSpec] = &[
    p("spec"),
    sel("spec.nodeSelector"),
    p("spec.bgpInstances"),
    p("spec.bgpInstances[].name"),
    p("spec.bgpInstances[].localASN"),
    p("spec.bgpInstances[].localPort").when(Feature::ClusterLocalPort),
    p("spec.bgpInstances[].peers"),
    p("spec.bgpInstances[].peers[].name"),
    p("spec.bgpInstances[].peers[].peerAddress"),
    p("spec.bgpInstances[].peers[].peerASN"),
    p("spec.bgpInstances[].peers[].peerConfigRef"),
    p("spec.bgpInstances[].peers[].peerConfigRef.name"),
    p("spec.bgpInstances[].peers[].peerConfigRef.group").only(V2Alpha1).retired(),
    p("spec.bgpInstances[].peers[].peerConfigRef.kind").only(V2Alpha1).retired(),
    p("spec.bgpInstances[].peers[].autoDiscovery").only(V2).when(Feature::AutoDiscovery),
    p("spec.bgpInstances[].peers[].autoDiscovery.mode").only(V2).when(Feature::AutoDiscovery),
    p("spec.bgpInstances[].peers[].autoDiscovery.defaultGateway").only(V2).when(Feature::AutoDiscovery),
    p("spec.bgpInstances[].peers[].autoDiscovery.defaultGateway.addressFamily").only(V2).when(Feature::AutoDiscovery),
    p("spec.bgpInstances[].peers[].autoDiscovery.unnumbered").only(V2).when(Feature::Unnumbered),
    p("spec.bgpInstances[].peers[].autoDiscovery.unnumbered.interface").only(V2).when(Feature::Unnumbered),
    p("spec.bgpInstances[].peers[].peerInterface").only(V2).when(Feature::Unnumbered),
    free("status"),
];

const PEER_CONFIG: &[FieldSpec] = &[
    p("spec"),
    p("spec.authSecretRef"),
    p("spec.ebgpMultihop"),
    p("spec.families"),
    p("spec.families[].afi"),
    p("spec.families[].safi"),
    sel("spec.families[].advertisements"),
    p("spec.gracefulRestart"),
    p("spec.gracefulRestart.enabled"),
    p("spec.gracefulRestart.restartTimeSeconds"),
    p("spec.timers"),
    p("spec.timers.connectRetryTimeSeconds"),
    p("spec.timers.holdTimeSeconds"),
    p("spec.timers.keepAliveTimeSeconds"),
    p("spec.transport"),
    p("spec.transport.peerPort"),
    p("spec.transport.localPort").only(V2Alpha1).retired(),
    p("spec.transport.sourceInterface").only(V2).when(Feature::Interface),
    free("status"),
];

const ADVERTISEMENT: &[FieldSpec] = &[
    p("spec"),
    p("spec.advertisements"),
    p("spec.advertisements[].advertisementType"),
    p("spec.advertisements[].attributes"),
    p("spec.advertisements[].attributes.communities"),
    p("spec.advertisements[].attributes.communities.large"),
    p("spec.advertisements[].attributes.communities.standard"),
    p("spec.advertisements[].attributes.communities.wellKnown"),
    p("spec.advertisements[].attributes.localPreference"),
    p("spec.advertisements[].interface").only(V2).when(Feature::Interface),
    p("spec.advertisements[].interface.name").only(V2).when(Feature::Interface),
    sel("spec.advertisements[].selector"),
    p("spec.advertisements[].service"),
    p("spec.advertisements[].service.addresses"),
    p("spec.advertisements[].service.aggregationLengthIPv4").when(Feature::ServiceAggregation),
    p("spec.advertisements[].service.aggregationLengthIPv6").when(Feature::ServiceAggregation),
];

const NODE_CONFIG_OVERRIDE: &[FieldSpec] = &[
    p("spec"),
    p("spec.bgpInstances"),
    p("spec.bgpInstances[].name"),
    p("spec.bgpInstances[].routerID"),
    p("spec.bgpInstances[].localPort"),
    p("spec.bgpInstances[].localASN").when(Feature::OverrideLocalAsn),
    p("spec.bgpInstances[].peers"),
    p("spec.bgpInstances[].peers[].name"),
    p("spec.bgpInstances[].peers[].localAddress"),
    p("spec.bgpInstances[].peers[].localPort"),
    p("spec.bgpInstances[].peers[].peerInterface").only(V2).when(Feature::Unnumbered),
];

const PEERING_POLICY: &[FieldSpec] = &[
    p("spec"),
    sel("spec.nodeSelector"),
    p("spec.virtualRouters"),
    p("spec.virtualRouters[].localASN"),
    p("spec.virtualRouters[].exportPodCIDR"),
    sel("spec.virtualRouters[].podIPPoolSelector"),
    sel("spec.virtualRouters[].serviceSelector"),
    p("spec.virtualRouters[].serviceAdvertisements"),
    p("spec.virtualRouters[].neighbors"),
    p("spec.virtualRouters[].neighbors[].peerAddress"),
    p("spec.virtualRouters[].neighbors[].peerASN"),
    p("spec.virtualRouters[].neighbors[].peerPort"),
    p("spec.virtualRouters[].neighbors[].authSecretRef"),
    p("spec.virtualRouters[].neighbors[].eBGPMultihopTTL"),
    p("spec.virtualRouters[].neighbors[].connectRetryTimeSeconds"),
    p("spec.virtualRouters[].neighbors[].holdTimeSeconds"),
    p("spec.virtualRouters[].neighbors[].keepAliveTimeSeconds"),
    p("spec.virtualRouters[].neighbors[].gracefulRestart"),
    p("spec.virtualRouters[].neighbors[].gracefulRestart.enabled"),
    p("spec.virtualRouters[].neighbors[].gracefulRestart.restartTimeSeconds"),
    p("spec.virtualRouters[].neighbors[].families"),
    p("spec.virtualRouters[].neighbors[].families[].afi"),
    p("spec.virtualRouters[].neighbors[].families[].safi"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].selectorType"),
    sel("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].selector"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].communities"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].communities.standard"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].communities.wellKnown"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].communities.large"),
    p("spec.virtualRouters[].neighbors[].advertisedPathAttributes[].localPreference"),
];

const LB_IP_POOL: &[FieldSpec] = &[
    p("spec"),
    p("spec.blocks").when(Feature::PoolBlocks),
    p("spec.blocks[].cidr").when(Feature::PoolBlocks),
    p("spec.blocks[].start").when(Feature::PoolBlocks),
    p("spec.blocks[].stop").when(Feature::PoolBlocks),
    p("spec.allowFirstLastIPs").when(Feature::PoolBlocks),
    p("spec.cidrs").when(Feature::PoolCidrs).retired(),
    p("spec.cidrs[].cidr").when(Feature::PoolCidrs).retired(),
    p("spec.cidrs[].start").when(Feature::PoolCidrs).retired(),
    p("spec.cidrs[].stop").when(Feature::PoolCidrs).retired(),
    p("spec.disabled"),
    sel("spec.serviceSelector"),
    free("status"),
];

/// The kind's own fields (without [`COMMON`]).
pub(crate) fn table(kind: Kind) -> &'static [FieldSpec] {
    match kind {
        Kind::ClusterConfig => CLUSTER_CONFIG,
        Kind::PeerConfig => PEER_CONFIG,
        Kind::Advertisement => ADVERTISEMENT,
        Kind::NodeConfigOverride => NODE_CONFIG_OVERRIDE,
        Kind::PeeringPolicy => PEERING_POLICY,
        Kind::LbIpPool => LB_IP_POOL,
        _ => &[],
    }
}
