//! Which fields a Cilium CRD defines for an API version and release, and what to say about
//! a field it does not define: the API server prunes such a field without a word, so a
//! typo'd `peerASn` silently becomes "any AS" and a misplaced `localPort` silently means
//! "not listening".

mod fields;

use super::cluster::FieldUse;
use super::decode::did_you_mean;
use super::resources::{CiliumApi, Kind};
use super::version::{CiliumVersion, Feature};
pub(crate) use fields::{Avail, FieldSpec, Shape};

/// What the schema says about one written field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Defined here (or below a free-form map, or below an already reported field).
    Known,
    /// Not defined in any version or release.
    Unknown {
        /// A sibling with a similar name.
        suggestion: Option<&'static str>,
        /// The same name at another path of this kind (`spec.bgpInstances[].localPort`).
        elsewhere: Option<&'static str>,
    },
    /// Defined in a later release.
    AddedIn(CiliumVersion),
    /// Defined only in the other API version.
    OtherApi(CiliumApi),
    /// Defined in a later release of the other API version.
    OtherApiAddedIn(CiliumApi, CiliumVersion),
    /// Deprecated or removed; `deprecated-api` reports it.
    Retired,
}

fn available(avail: Avail, api: CiliumApi, v: CiliumVersion) -> bool {
    match avail {
        Avail::All => true,
        Avail::Api(a) => a == api,
        Avail::Feature(f) => v.has(f),
        Avail::ApiFeature(a, f) => a == api && v.has(f),
    }
}

/// Every path defined for `kind`, including the implied children of selectors.
fn lookup(kind: Kind, dotted: &str) -> Option<FieldSpec> {
    let all = fields::COMMON.iter().chain(fields::table(kind));
    if let Some(s) = all.clone().find(|s| s.path == dotted) {
        return Some(*s);
    }
    // matchLabels / matchExpressions below a selector.
    for s in all.filter(|s| s.shape == Shape::Selector) {
        if let Some(rest) = dotted.strip_prefix(s.path).and_then(|r| r.strip_prefix('.')) {
            let known = [
                "matchLabels",
                "matchExpressions",
                "matchExpressions[].key",
                "matchExpressions[].operator",
                "matchExpressions[].values",
            ];
            if known.contains(&rest) {
                let shape = if rest == "matchLabels" { Shape::Free } else { Shape::Plain };
                return Some(FieldSpec { path: s.path, shape, ..*s });
            }
        }
    }
    None
}

fn dotted(path: &[String]) -> String {
    let mut s = String::new();
    for seg in path {
        if seg != "[]" && !s.is_empty() {
            s.push('.');
        }
        s.push_str(seg);
    }
    s
}

/// Judge one written field of a Cilium object for `version`.
pub(crate) fn judge(f: &FieldUse, version: CiliumVersion) -> Verdict {
    // Anything below a free-form map, or below a field that is itself not defined, is not
    // judged again: the parent carries the finding.
    for i in 1..f.path.len() {
        if f.path[i - 1] == "[]" {
            continue;
        }
        let prefix = dotted(&f.path[..i]);
        match lookup(f.kind, &prefix) {
            Some(s) if s.shape == Shape::Free => return Verdict::Known,
            Some(s) if !available(s.avail, f.api, version) => return Verdict::Known,
            Some(_) => {}
            None => return Verdict::Known,
        }
    }
    let path = dotted(&f.path);
    let Some(spec) = lookup(f.kind, &path) else {
        return unknown(f, &path);
    };
    if available(spec.avail, f.api, version) {
        return Verdict::Known;
    }
    if spec.retired {
        return Verdict::Retired;
    }
    let other = match f.api {
        CiliumApi::V2 => CiliumApi::V2Alpha1,
        CiliumApi::V2Alpha1 => CiliumApi::V2,
    };
    match spec.avail {
        Avail::Feature(feat) => Verdict::AddedIn(feat.since()),
        Avail::Api(a) if a != f.api => Verdict::OtherApi(a),
        Avail::ApiFeature(a, feat) if a == f.api => Verdict::AddedIn(feat.since()),
        Avail::ApiFeature(a, feat) if version.has(feat) => Verdict::OtherApi(a),
        Avail::ApiFeature(a, feat) => Verdict::OtherApiAddedIn(a, feat.since().max(first_release(a))),
        _ => Verdict::OtherApi(other),
    }
}

fn first_release(api: CiliumApi) -> CiliumVersion {
    match api {
        CiliumApi::V2 => Feature::BgpV2.since(),
        CiliumApi::V2Alpha1 => CiliumVersion::OLDEST,
    }
}

fn unknown(f: &FieldUse, path: &str) -> Verdict {
    let (parent, leaf) = match path.rfind('.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    let leaf_of = |p: &'static str| -> &'static str { p.rsplit('.').next().unwrap_or(p) };
    let parent_of = |p: &str| -> String { p.rfind('.').map_or(String::new(), |i| p[..i].to_string()) };
    let specs: Vec<&'static FieldSpec> = fields::COMMON.iter().chain(fields::table(f.kind)).collect();
    let mut siblings: Vec<&'static str> =
        specs.iter().filter(|s| parent_of(s.path) == parent).map(|s| leaf_of(s.path)).collect();
    // Below a selector, its own two keys are the siblings.
    if specs.iter().any(|s| s.shape == Shape::Selector && s.path == parent) {
        siblings.extend(["matchLabels", "matchExpressions"]);
    }
    let leaf_clean = leaf.trim_end_matches("[]");
    let suggestion = did_you_mean(leaf_clean, siblings.iter().copied());
    let elsewhere = if suggestion.is_none() {
        specs.iter().find(|s| leaf_of(s.path) == leaf_clean && parent_of(s.path) != parent).map(|s| s.path)
    } else {
        None
    };
    Verdict::Unknown { suggestion, elsewhere }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::at::Loc;

    fn use_(kind: Kind, api: CiliumApi, path: &str) -> FieldUse {
        let mut segs = Vec::new();
        for part in path.split('.') {
            match part.strip_suffix("[]") {
                Some(p) => {
                    segs.push(p.to_string());
                    segs.push("[]".to_string());
                }
                None => segs.push(part.to_string()),
            }
        }
        FieldUse { kind, api, path: segs, loc: Loc::default() }
    }

    fn j(kind: Kind, api: CiliumApi, path: &str, minor: u8) -> Verdict {
        judge(&use_(kind, api, path), CiliumVersion::new(minor))
    }

    #[test]
    fn known_fields_and_free_maps() {
        use CiliumApi::*;
        assert_eq!(j(Kind::ClusterConfig, V2, "spec.bgpInstances[].peers[].peerASN", 19), Verdict::Known);
        assert_eq!(j(Kind::ClusterConfig, V2, "metadata.labels.bgp.cilium.io/x", 19), Verdict::Known);
        assert_eq!(j(Kind::ClusterConfig, V2, "spec.nodeSelector.matchLabels.rack", 19), Verdict::Known);
        assert_eq!(j(Kind::ClusterConfig, V2, "spec.nodeSelector.matchExpressions[].key", 19), Verdict::Known);
        assert_eq!(j(Kind::ClusterConfig, V2, "status.conditions[].type", 19), Verdict::Known);
    }

    #[test]
    fn typos_get_suggestions() {
        use CiliumApi::*;
        let v = j(Kind::ClusterConfig, V2, "spec.bgpInstances[].peers[].peerASn", 19);
        assert_eq!(v, Verdict::Unknown { suggestion: Some("peerASN"), elsewhere: None });
        let v = j(Kind::ClusterConfig, V2, "spec.bgpInstances[].peers[].localPort", 19);
        assert_eq!(v, Verdict::Unknown { suggestion: None, elsewhere: Some("spec.bgpInstances[].localPort") });
        let v = j(Kind::PeerConfig, V2, "spec.families[].advertisements.matchLabel", 19);
        assert_eq!(v, Verdict::Unknown { suggestion: Some("matchLabels"), elsewhere: None });
        // Children of an unknown field are not reported again.
        assert_eq!(j(Kind::PeerConfig, V2, "spec.timer.holdTimeSeconds", 19), Verdict::Known);
    }

    #[test]
    fn versions_and_apis() {
        use CiliumApi::*;
        let lp = "spec.bgpInstances[].localPort";
        assert_eq!(j(Kind::ClusterConfig, V2Alpha1, lp, 17), Verdict::AddedIn(CiliumVersion::new(18)));
        assert_eq!(j(Kind::ClusterConfig, V2Alpha1, lp, 18), Verdict::Known);
        assert_eq!(j(Kind::PeerConfig, V2, "spec.transport.localPort", 19), Verdict::Retired);
        assert_eq!(j(Kind::LbIpPool, V2Alpha1, "spec.cidrs", 16), Verdict::Retired);
        assert_eq!(j(Kind::LbIpPool, V2Alpha1, "spec.cidrs[].cidr", 16), Verdict::Known);
        assert_eq!(j(Kind::LbIpPool, V2Alpha1, "spec.cidrs", 15), Verdict::Known);
        assert_eq!(j(Kind::LbIpPool, V2Alpha1, "spec.blocks", 14), Verdict::AddedIn(CiliumVersion::new(15)));
        assert_eq!(j(Kind::Advertisement, V2Alpha1, "spec.advertisements[].interface", 19), Verdict::OtherApi(V2));
        assert_eq!(
            j(Kind::PeerConfig, V2Alpha1, "spec.transport.sourceInterface", 18),
            Verdict::OtherApiAddedIn(V2, CiliumVersion::new(19))
        );
        assert_eq!(
            j(Kind::ClusterConfig, V2, "spec.bgpInstances[].peers[].peerInterface", 19),
            Verdict::AddedIn(Feature::Unnumbered.since())
        );
    }
}

/// The table against Cilium's own CRD files (`../shared/cilium-crds`, third-party data
/// read in tests only): for each kind and API version, the table's fields that exist in
/// the newest schema are exactly the CRD's properties.
#[cfg(test)]
mod crd_tests {
    use super::fields::{self, Avail, Shape};
    use crate::k8s::resources::{CiliumApi, Kind};
    use crate::k8s::version::Feature;
    use crate::k8s::yaml::{parse_file, Value, YNode};
    use crate::source::{FileId, SourceFile};
    use std::collections::BTreeSet;
    use std::path::Path;

    fn walk(schema: &YNode, path: &str, out: &mut BTreeSet<String>) {
        if let Some(props) = schema.get("properties") {
            if let Value::Map(entries) = &props.value {
                for (k, v) in entries {
                    let p = if path.is_empty() { k.value.clone() } else { format!("{path}.{}", k.value) };
                    out.insert(p.clone());
                    walk(v, &p, out);
                }
            }
        }
        if let Some(items) = schema.get("items") {
            walk(items, &format!("{path}[]"), out);
        }
    }

    /// Paths the table checks itself (not below selectors, status or metadata).
    fn checked(p: &str) -> bool {
        !(p.starts_with("metadata")
            || p.starts_with("status.")
            || p.contains(".matchLabels")
            || p.contains(".matchExpressions")
            || p == "apiVersion"
            || p == "kind")
    }

    fn in_table(kind: Kind, api: CiliumApi) -> BTreeSet<String> {
        fields::table(kind)
            .iter()
            .filter(|s| match s.avail {
                Avail::All | Avail::Feature(_) => true,
                Avail::Api(a) | Avail::ApiFeature(a, _) => a == api,
            })
            // Fields of past releases only (LB pool `cidrs`) are not in the newest schema.
            .filter(|s| !matches!(s.avail, Avail::Feature(Feature::PoolCidrs)))
            .map(|s| s.path.to_string())
            .collect()
    }

    #[test]
    fn table_matches_the_crd_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cilium-crds");
        let files = [
            ("ciliumbgpclusterconfigs.yaml", Kind::ClusterConfig),
            ("ciliumbgppeerconfigs.yaml", Kind::PeerConfig),
            ("ciliumbgpadvertisements.yaml", Kind::Advertisement),
            ("ciliumbgpnodeconfigoverrides.yaml", Kind::NodeConfigOverride),
            ("ciliumbgppeeringpolicies.yaml", Kind::PeeringPolicy),
            ("ciliumloadbalancerippools.yaml", Kind::LbIpPool),
        ];
        for (file, kind) in files {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let src = SourceFile::new(file, text);
            let mut diags = Vec::new();
            let docs = parse_file(FileId(0), &src, &mut diags);
            assert!(diags.is_empty(), "{file}: {diags:?}");
            let spec = docs[0].root.get("spec").expect("spec");
            assert_eq!(spec.get("names").and_then(|n| n.get("kind")).and_then(|k| k.as_str()), Some(kind.as_str()));
            let Some(Value::Seq(versions)) = spec.get("versions").map(|v| &v.value) else { panic!("{file}: versions") };
            for v in versions {
                let name = v.get("name").and_then(|n| n.as_str()).unwrap_or("");
                let api = CiliumApi::parse(&format!("cilium.io/{name}")).expect("known version");
                let mut crd = BTreeSet::new();
                walk(v.get("schema").and_then(|s| s.get("openAPIV3Schema")).expect("schema"), "", &mut crd);
                let crd: BTreeSet<String> = crd.into_iter().filter(|p| checked(p)).collect();
                let table: BTreeSet<String> = in_table(kind, api).into_iter().filter(|p| checked(p)).collect();
                assert_eq!(table, crd, "{file} {name}: table vs CRD");
                // Selectors and free maps are what the CRD says they are.
                for s in fields::table(kind).iter().filter(|s| s.shape == Shape::Selector) {
                    if crd.contains(s.path) {
                        let sub = format!("{}.matchLabels", s.path);
                        let mut all = BTreeSet::new();
                        walk(v.get("schema").and_then(|s| s.get("openAPIV3Schema")).expect("schema"), "", &mut all);
                        assert!(all.contains(&sub), "{file} {name}: {} is a selector", s.path);
                    }
                }
            }
        }
    }
}
