//! Checks of meshes and peerings: members, passwords, timers, families, policy, and the
//! sessions that would collide.

use super::{
    span_of, ClusterPlan, Cx, MeshPlan, PasswordPlan, Passwords, PeeringPlan, RouterPlan, SessionPlan, DEFAULT_TIMERS,
};
use crate::gen::issue::Issue;
use crate::gen::names;
use crate::gen::topology::{self as t, S};
use crate::model::{Afi, Community};
use std::collections::HashMap;
use std::ops::Range;

impl Cx {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn session(
        &mut self,
        name: &S<String>,
        routers_s: &S<Vec<S<String>>>,
        password: &Option<S<String>>,
        timers: &Option<S<t::Timers>>,
        connect_retry: &Option<S<i64>>,
        families: &Option<S<Vec<S<String>>>>,
        soft_reconfiguration: bool,
        routers: &[Option<(Range<usize>, RouterPlan)>],
        topo_routers: &[&str],
        passwords: &Passwords,
        used: &std::cell::RefCell<std::collections::BTreeSet<String>>,
        peers_have: &dyn Fn(Afi) -> bool,
    ) -> Option<SessionPlan> {
        let before = self.errors();
        if !names::is_peer_group(name.get_ref()) {
            self.issues.push(
                Issue::error(name.span(), format!("`{}` cannot be a peer-group name", name.get_ref()))
                    .help("use letters, digits, `-`, `_` and `.`, starting with a letter"),
            );
        }
        let mut members = Vec::new();
        for r in routers_s.get_ref() {
            match topo_routers.iter().position(|n| *n == r.get_ref()) {
                None => {
                    let mut i = Issue::error(r.span(), format!("no router is named `{}`", r.get_ref()));
                    if let Some(s) = crate::diag::suggest(r.get_ref(), topo_routers.iter().copied()) {
                        i = i.help(format!("did you mean `{s}`?"));
                    }
                    self.issues.push(i);
                }
                Some(i) if members.contains(&i) => {
                    self.err(r.span(), format!("router `{}` is listed twice", r.get_ref()));
                }
                Some(i) => members.push(i),
            }
        }
        let password = match password {
            None => None,
            Some(p) => match passwords.get(p.get_ref()) {
                None => {
                    let mut i = Issue::error(p.span(), format!("no password is named `{}`", p.get_ref()))
                        .help(format!("define it under [passwords.{}]", p.get_ref()));
                    if let Some(s) = crate::diag::suggest(p.get_ref(), passwords.keys().map(String::as_str)) {
                        i = i.help(format!("did you mean `{s}`?"));
                    }
                    self.issues.push(i);
                    None
                }
                Some(secret) => {
                    used.borrow_mut().insert(p.get_ref().clone());
                    // A password that could not be read has its own finding already.
                    secret.clone().map(|secret| PasswordPlan { name: p.get_ref().clone(), secret })
                }
            },
        };
        let timers = match timers {
            None => Some(None),
            Some(tm) => self.timers(tm).map(Some),
        };
        let connect_retry = match connect_retry {
            None => Some(None),
            Some(c) => self.int(c, 1, 65535, "connect_retry").map(|v| Some(v as u16)),
        };
        let member_plans: Vec<&RouterPlan> =
            members.iter().filter_map(|i| routers.get(*i).and_then(|r| r.as_ref()).map(|(_, r)| r)).collect();
        let families = match families {
            Some(list) => {
                let mut out = Vec::new();
                for f in list.get_ref() {
                    match f.get_ref().as_str() {
                        "ipv4" => out.push(Afi::Ipv4),
                        "ipv6" => out.push(Afi::Ipv6),
                        other => self.issues.push(
                            Issue::error(f.span(), format!("`{other}` is not an address family"))
                                .help("use `ipv4` or `ipv6`"),
                        ),
                    }
                }
                out.sort();
                out.dedup();
                if out.is_empty() && list.get_ref().is_empty() {
                    self.err(list.span(), "`families` is empty");
                }
                for afi in &out {
                    for r in &member_plans {
                        if r.address(*afi).is_none() {
                            self.issues.push(
                                Issue::error(
                                    list.span(),
                                    format!("router `{}` has no {afi} address for this {afi} session", r.name),
                                )
                                .help("add one to the router's addresses, or drop the family"),
                            );
                        }
                    }
                }
                out
            }
            None => {
                let out: Vec<Afi> = [Afi::Ipv4, Afi::Ipv6]
                    .into_iter()
                    .filter(|afi| member_plans.iter().all(|r| r.address(*afi).is_some()) && peers_have(*afi))
                    .collect();
                if out.is_empty() && !member_plans.is_empty() {
                    self.issues.push(
                        Issue::error(name.span(), "no address family is shared by every member")
                            .help("give every router and node an address of one family, or name `families`"),
                    );
                }
                out
            }
        };
        if self.errors() > before {
            return None;
        }
        Some(SessionPlan {
            name: name.get_ref().clone(),
            routers: members,
            families,
            password,
            timers: timers?,
            connect_retry: connect_retry?,
            soft_reconfiguration,
        })
    }

    pub(super) fn mesh(
        &mut self,
        m: &t::Mesh,
        routers: &[Option<(Range<usize>, RouterPlan)>],
        passwords: &Passwords,
        used: &std::cell::RefCell<std::collections::BTreeSet<String>>,
    ) -> Option<MeshPlan> {
        let names = self.router_names.clone();
        let topo_names: Vec<&str> = names.iter().map(String::as_str).collect();
        let all = |afi: Afi| {
            m.routers.get_ref().iter().all(|n| {
                routers
                    .iter()
                    .flatten()
                    .find(|(_, r)| r.name == *n.get_ref())
                    .is_none_or(|(_, r)| r.address(afi).is_some())
            })
        };
        let session = self.session(
            &m.name,
            &m.routers,
            &m.password,
            &m.timers,
            &m.connect_retry,
            &m.families,
            m.soft_reconfiguration,
            routers,
            &topo_names,
            passwords,
            used,
            &all,
        )?;
        if session.routers.len() < 2 {
            self.err(m.routers.span(), format!("mesh `{}` needs at least two routers", m.name.get_ref()));
            return None;
        }
        let plans: Vec<(&Range<usize>, &RouterPlan)> =
            session.routers.iter().filter_map(|i| routers[*i].as_ref().map(|(s, r)| (s, r))).collect();
        if let Some((_, first)) = plans.first() {
            for (span, r) in &plans[1..] {
                if r.asn != first.asn {
                    self.issues.push(
                        Issue::error(
                            m.name.span(),
                            format!(
                                "mesh `{}` joins routers of different AS: `{}` is AS {} and `{}` is AS {}",
                                m.name.get_ref(),
                                first.name,
                                first.asn,
                                r.name,
                                r.asn
                            ),
                        )
                        .related((*span).clone(), "router defined here")
                        .help("an iBGP mesh is between routers of one AS"),
                    );
                    return None;
                }
            }
        }
        if plans.len() != session.routers.len() {
            return None;
        }
        Some(MeshPlan { session, next_hop_self: m.next_hop_self })
    }

    pub(super) fn peering(
        &mut self,
        p: &t::Peering,
        routers: &[Option<(Range<usize>, RouterPlan)>],
        clusters: &[Option<(Range<usize>, ClusterPlan)>],
        passwords: &Passwords,
        used: &std::cell::RefCell<std::collections::BTreeSet<String>>,
    ) -> Option<PeeringPlan> {
        let before = self.errors();
        let names = self.router_names.clone();
        let topo_names: Vec<&str> = names.iter().map(String::as_str).collect();
        let cluster_names = self.cluster_names.clone();
        // Clusters by their index in the topology; one with errors of its own has no plan and
        // gets no second finding here.
        let cluster_idx = cluster_names.iter().position(|c| c == p.cluster.get_ref());
        let cluster = match cluster_idx {
            Some(i) => clusters[i].as_ref().map(|(_, c)| c),
            None => {
                let mut i = Issue::error(p.cluster.span(), format!("no cluster is named `{}`", p.cluster.get_ref()));
                if let Some(s) = crate::diag::suggest(p.cluster.get_ref(), cluster_names.iter().map(String::as_str)) {
                    i = i.help(format!("did you mean `{s}`?"));
                }
                self.issues.push(i);
                None
            }
        };
        let nodes_have = |afi: Afi| cluster.is_none_or(|c| c.nodes.iter().all(|n| n.address(afi).is_some()));
        let session = self.session(
            &p.name,
            &p.routers,
            &p.password,
            &p.timers,
            &p.connect_retry,
            &p.families,
            p.soft_reconfiguration,
            routers,
            &topo_names,
            passwords,
            used,
            &nodes_have,
        );
        if let (Some(s), Some(c), Some(fams)) = (&session, cluster, &p.families) {
            for afi in &s.families {
                for n in &c.nodes {
                    if n.address(*afi).is_none() {
                        self.issues.push(
                            Issue::error(
                                fams.span(),
                                format!(
                                    "node `{}` of cluster `{}` has no {afi} address for this {afi} session",
                                    n.name, c.name
                                ),
                            )
                            .help("add one to the node's addresses, or drop the family"),
                        );
                    }
                }
            }
        }
        if !names::is_dns_label(&names::dns_label(p.name.get_ref())) {
            self.err(p.name.span(), format!("`{}` gives no usable Kubernetes name", p.name.get_ref()));
        }
        let ebgp_multihop = match &p.ebgp_multihop {
            None => None,
            Some(h) => {
                let v = self.int(h, 2, 255, "ebgp_multihop");
                if let (Some(c), Some(s)) = (cluster, &session) {
                    for r in s.routers.iter().filter_map(|i| routers[*i].as_ref()) {
                        if r.1.asn == c.asn {
                            self.issues.push(
                                Issue::error(
                                    h.span(),
                                    format!(
                                        "`{}` and cluster `{}` are both AS {}: ebgp_multihop applies to eBGP only",
                                        r.1.name, c.name, c.asn
                                    ),
                                )
                                .help("drop it; FRR and Cilium both ignore it on iBGP sessions"),
                            );
                        }
                    }
                }
                v.map(|v| v as u8)
            }
        };
        let graceful_restart = match (&p.graceful_restart, &p.restart_time) {
            (Some(on), rt) if *on.get_ref() => match rt {
                Some(rt) => self.int(rt, 1, 4095, "restart_time").map(|v| v as u16),
                None => Some(120),
            },
            (_, Some(rt)) => {
                self.issues
                    .push(Issue::warning(rt.span(), "restart_time has no effect without `graceful_restart = true`"));
                None
            }
            _ => None,
        };
        let (mut import_local_preference, mut import_communities) = (None, Vec::new());
        if let Some(imp) = &p.import {
            let imp = imp.get_ref();
            if let Some(lp) = &imp.local_preference {
                import_local_preference = self.u32(lp, "local_preference");
            }
            for c in &imp.communities {
                match Community::parse(c.get_ref())
                    .filter(|_| c.get_ref().contains(':') || names::FRR_WELL_KNOWN.contains(&c.get_ref().as_str()))
                {
                    Some(v) => import_communities.push(v),
                    None => self.issues.push(
                        Issue::error(c.span(), format!("`{}` is not a community FRR accepts", c.get_ref()))
                            .help("write AA:NN (each 0-65535) or a well-known name such as no-export"),
                    ),
                }
            }
        }
        import_communities.sort();
        import_communities.dedup();
        let mut export = Vec::new();
        if let Some(e) = &p.export {
            for x in &e.get_ref().prefixes {
                if let Some(n) = self.prefix(x) {
                    export.push(n);
                }
            }
            if let Some(s) = &session {
                for n in &export {
                    if !s.families.contains(&Afi::of(n)) {
                        self.err(span_of(&e.get_ref().prefixes, n), format!("{n} is not in a family of this peering"));
                    }
                }
            }
        }
        export.sort();
        export.dedup();
        if let Some(s) = &session {
            let ports: Vec<u16> =
                s.routers.iter().filter_map(|i| routers[*i].as_ref().map(|r| r.1.listen_port)).collect();
            if ports.windows(2).any(|w| w[0] != w[1]) {
                self.issues.push(
                    Issue::error(
                        p.routers.span(),
                        format!("the routers of peering `{}` listen on different ports", p.name.get_ref()),
                    )
                    .help("Cilium dials one port per CiliumBGPPeerConfig; use one listen_port, or split the peering"),
                );
            }
        }
        if self.errors() > before {
            return None;
        }
        let mut session = session?;
        // Both sides print their timers, Cilium's defaults when the topology says nothing,
        // so that FRR (180/60 by default) and Cilium (90/30) agree.
        session.timers.get_or_insert(DEFAULT_TIMERS);
        Some(PeeringPlan {
            session,
            cluster: cluster_idx?,
            ebgp_multihop,
            graceful_restart,
            import_local_preference,
            import_communities,
            export,
        })
    }

    /// Mesh and peering names become peer-group names on the same routers: they must differ.
    pub(super) fn session_names(&mut self, topo: &t::Topology) {
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        let all = topo.meshes.iter().map(|m| &m.name).chain(topo.peerings.iter().map(|p| &p.name));
        for name in all {
            if let Some(first) = seen.get(name.get_ref().as_str()) {
                self.issues.push(
                    Issue::error(name.span(), format!("`{}` names two meshes or peerings", name.get_ref()))
                        .related(first.clone(), "first used here")
                        .help("each becomes a peer-group on its routers; give them different names"),
                );
            } else {
                seen.insert(name.get_ref(), name.span());
            }
        }
    }

    /// One router may peer with a cluster once, and two routers once: a second session
    /// between the same two addresses would replace the first in FRR.
    pub(super) fn duplicate_sessions(&mut self, topo: &t::Topology) {
        let mut seen: HashMap<(String, String), Range<usize>> = HashMap::new();
        for p in &topo.peerings {
            for r in p.routers.get_ref() {
                let key = (r.get_ref().clone(), format!("cluster {}", p.cluster.get_ref()));
                if let Some(first) = seen.get(&key) {
                    self.issues.push(
                        Issue::error(
                            r.span(),
                            format!("router `{}` already peers with cluster `{}`", r.get_ref(), p.cluster.get_ref()),
                        )
                        .related(first.clone(), "first peering"),
                    );
                } else {
                    seen.insert(key, r.span());
                }
            }
        }
        for m in &topo.meshes {
            let names: Vec<&S<String>> = m.routers.get_ref().iter().collect();
            for (i, a) in names.iter().enumerate() {
                for b in &names[i + 1..] {
                    let (x, y) = if a.get_ref() < b.get_ref() { (a, b) } else { (b, a) };
                    let key = (x.get_ref().clone(), y.get_ref().clone());
                    if x.get_ref() == y.get_ref() {
                        continue;
                    }
                    if let Some(first) = seen.get(&key) {
                        self.issues.push(
                            Issue::error(
                                b.span(),
                                format!(
                                    "routers `{}` and `{}` are already in another mesh together",
                                    x.get_ref(),
                                    y.get_ref()
                                ),
                            )
                            .related(first.clone(), "first mesh"),
                        );
                    } else {
                        seen.insert(key, b.span());
                    }
                }
            }
        }
    }
}
