//! [`Cluster`]: every object read from the manifests, by kind and name, and [`read`], which
//! adds one file's documents to it. Reading is version-independent: what a Cilium release
//! makes of the objects is decided later, in `effective` and the checks.

use super::at::{At, Loc};
use super::checks::invalid_manifest::META as INVALID;
use super::decode::Reader;
use super::resources::bgp::{self, Advertisement, ClusterConfig, NodeConfigOverride, PeerConfig};
use super::resources::bgpv1::{self, PeeringPolicy};
use super::resources::core::{self, Gateway, Node, SecretObject, Service};
use super::resources::pool::{self, LbIpPool};
use super::resources::{read_meta, CiliumApi, Kind, Meta, NsName};
use super::yaml::{self, Value, YNode};
use crate::diag::{Diagnostic, Severity};
use crate::source::{FileId, SourceFile};
use std::collections::BTreeMap;

/// Everything read from the manifests. Cluster-scoped objects are keyed by name, namespaced
/// ones by namespace and name; when an object is defined twice the later one wins, as it
/// would with `kubectl apply`.
#[derive(Debug, Default, Clone)]
pub struct Cluster {
    pub nodes: BTreeMap<String, Node>,
    pub cluster_configs: BTreeMap<String, ClusterConfig>,
    pub peer_configs: BTreeMap<String, PeerConfig>,
    pub advertisements: BTreeMap<String, Advertisement>,
    pub overrides: BTreeMap<String, NodeConfigOverride>,
    pub peering_policies: BTreeMap<String, PeeringPolicy>,
    pub pools: BTreeMap<String, LbIpPool>,
    pub secrets: BTreeMap<NsName, SecretObject>,
    pub services: BTreeMap<NsName, Service>,
    pub gateways: BTreeMap<NsName, Gateway>,
    /// Every field written in a Cilium object, for the schema checks.
    pub fields: Vec<FieldUse>,
    /// Objects of other kinds, counted by `apiVersion kind`.
    pub skipped: BTreeMap<String, usize>,
    /// Documents read (list items count one each).
    pub objects: usize,
}

/// One field written in a Cilium object: its path (`spec`, `bgpInstances`, `[]`, `name`;
/// list items are `[]`) and where its key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldUse {
    pub kind: Kind,
    pub api: CiliumApi,
    pub path: Vec<String>,
    pub loc: Loc,
}

impl FieldUse {
    /// `spec.bgpInstances[].name`.
    pub fn dotted(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            if seg != "[]" && !s.is_empty() {
                s.push('.');
            }
            s.push_str(seg);
        }
        s
    }
}

/// Read one YAML file (any number of `---` documents, `kind: List` included) into `out`.
/// Problems become `invalid-manifest` findings in `diags`; nothing here fails.
pub fn read(file_id: FileId, file: &SourceFile, out: &mut Cluster, diags: &mut Vec<Diagnostic>) {
    for doc in yaml::parse_file(file_id, file, diags) {
        let mut r = Reader { diags };
        report_duplicate_keys(&mut r, &doc.root);
        read_object(&mut r, &doc.root, out, 0);
    }
}

/// A key written twice in one mapping: kubectl refuses the document; the reader keeps the
/// last value, as JSON decoding would.
fn report_duplicate_keys(r: &mut Reader, node: &YNode) {
    match &node.value {
        Value::Map(entries) => {
            let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
            for (k, v) in entries {
                if let Some(first) = seen.insert(k.value.as_str(), k.loc) {
                    r.diags.push(
                        Diagnostic::new(
                            &INVALID,
                            k.loc.file,
                            k.loc.span,
                            format!("key `{}` is repeated in this mapping", k.value),
                        )
                        .related(first.file, first.span, "first written here")
                        .help("keep one of the two; kubectl rejects duplicate keys"),
                    );
                }
                report_duplicate_keys(r, v);
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| report_duplicate_keys(r, i)),
        _ => {}
    }
}

fn read_object(r: &mut Reader, root: &YNode, out: &mut Cluster, depth: usize) {
    if !matches!(root.value, Value::Map(_)) {
        r.invalid(
            root.loc,
            format!("a manifest must be a mapping, this document is {}", root.type_name()),
            "write apiVersion, kind, metadata and spec as keys",
        );
        return;
    }
    let api_version = r.string(root.get("apiVersion"), "apiVersion");
    let kind = r.string(root.get("kind"), "kind");
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        r.invalid(root.loc, "document has no `apiVersion` and `kind`", "add both; kubectl rejects the document");
        return;
    };
    if kind.value == "List" || (kind.value.ends_with("List") && root.get("items").is_some()) {
        if depth > 0 {
            r.invalid(kind.loc, "a List inside a List", "flatten the list");
            return;
        }
        for item in r.list(root.get("items"), "items") {
            read_object(r, item, out, depth + 1);
        }
        return;
    }
    out.objects += 1;
    let Some(k) = Kind::from_kind(&kind.value).filter(|k| api_matches(*k, &api_version.value)) else {
        if kind.value.starts_with("Cilium") && api_version.value.starts_with("cilium.io/") {
            if let Some(k) = Kind::from_kind(&kind.value) {
                let apis: Vec<&str> = k.cilium_apis().iter().map(|a| a.as_str()).collect();
                r.invalid(
                    api_version.loc,
                    format!("{} is not an API version of {}", api_version.value, kind.value),
                    format!("use {}", apis.join(" or ")),
                );
                return;
            }
        }
        *out.skipped.entry(format!("{} {}", api_version.value, kind.value)).or_default() += 1;
        return;
    };
    let Some(meta) = read_meta(r, root, api_version.clone(), kind) else { return };
    if k.is_cilium() {
        let api = At::new(CiliumApi::parse(&api_version.value).unwrap_or(CiliumApi::V2), api_version.loc);
        record_fields(root, &mut Vec::new(), k, api.value, &mut out.fields);
        add_cilium(r, k, meta, api, root, out);
    } else {
        add_core(r, k, meta, root, out);
    }
}

fn api_matches(k: Kind, api_version: &str) -> bool {
    match k {
        Kind::Secret | Kind::Service | Kind::Node => api_version == "v1",
        Kind::Gateway => matches!(
            api_version,
            "gateway.networking.k8s.io/v1" | "gateway.networking.k8s.io/v1beta1" | "gateway.networking.k8s.io/v1alpha2"
        ),
        _ => CiliumApi::parse(api_version).is_some_and(|a| k.cilium_apis().contains(&a)),
    }
}

fn add_cilium(r: &mut Reader, k: Kind, meta: Meta, api: At<CiliumApi>, root: &YNode, out: &mut Cluster) {
    let name = meta.name.value.clone();
    match k {
        Kind::ClusterConfig => {
            let o = bgp::read_cluster_config(r, meta, api, root);
            insert(r, &mut out.cluster_configs, name, o, |o| &o.meta)
        }
        Kind::PeerConfig => {
            let o = bgp::read_peer_config(r, meta, api, root);
            insert(r, &mut out.peer_configs, name, o, |o| &o.meta)
        }
        Kind::Advertisement => {
            let o = bgp::read_advertisement(r, meta, api, root);
            insert(r, &mut out.advertisements, name, o, |o| &o.meta)
        }
        Kind::NodeConfigOverride => {
            let o = bgp::read_override(r, meta, api, root);
            insert(r, &mut out.overrides, name, o, |o| &o.meta)
        }
        Kind::PeeringPolicy => {
            let o = bgpv1::read_peering_policy(r, meta, root);
            insert(r, &mut out.peering_policies, name, o, |o| &o.meta)
        }
        Kind::LbIpPool => {
            let o = pool::read_pool(r, meta, api, root);
            insert(r, &mut out.pools, name, o, |o| &o.meta)
        }
        _ => {}
    }
}

fn add_core(r: &mut Reader, k: Kind, meta: Meta, root: &YNode, out: &mut Cluster) {
    let key = NsName::new(meta.namespace_or_default(), meta.name.value.clone());
    match k {
        Kind::Secret => {
            let o = core::read_secret(r, meta, root);
            insert(r, &mut out.secrets, key, o, |o| &o.meta)
        }
        Kind::Service => {
            let o = core::read_service(r, meta, root);
            insert(r, &mut out.services, key, o, |o| &o.meta)
        }
        Kind::Gateway => {
            let o = core::read_gateway(r, meta, root);
            insert(r, &mut out.gateways, key, o, |o| &o.meta)
        }
        Kind::Node => {
            let name = meta.name.value.clone();
            {
                let o = core::read_node(r, meta, root);
                insert(r, &mut out.nodes, name, o, |o| &o.meta)
            }
        }
        _ => {}
    }
}

fn insert<K: Ord, T>(r: &mut Reader, map: &mut BTreeMap<K, T>, key: K, obj: T, meta: fn(&T) -> &Meta) {
    let new = meta(&obj).clone();
    if let Some(old) = map.insert(key, obj) {
        let old = meta(&old);
        r.diags.push(
            Diagnostic::new(
                &INVALID,
                new.name.loc.file,
                new.name.loc.span,
                format!("{} `{}` is defined twice", new.kind.value, new.name.value),
            )
            .severity(Severity::Warning)
            .label("this definition wins, as it would with kubectl apply")
            .related(old.name.loc.file, old.name.loc.span, "first defined here")
            .help("remove one of the two definitions"),
        );
    }
}

/// Record the path of every key under `node`.
fn record_fields(node: &YNode, path: &mut Vec<String>, kind: Kind, api: CiliumApi, out: &mut Vec<FieldUse>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                path.push(k.value.clone());
                out.push(FieldUse { kind, api, path: path.clone(), loc: k.loc });
                record_fields(v, path, kind, api, out);
                path.pop();
            }
        }
        Value::Seq(items) => {
            path.push("[]".into());
            for i in items {
                record_fields(i, path, kind, api, out);
            }
            path.pop();
        }
        _ => {}
    }
}
