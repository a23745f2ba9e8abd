//! `frrlint route FILE PREFIX --from|--to NEIGHBOR`: what one router's policy does to one
//! route, with every entry tried. Exit code 0 when the route is permitted, 1 when denied.

use super::{Outcome, RouteArgs};
use crate::model::{Asn, Community, Config, Direction, PeerId, RemoteAs};
use crate::policy::{eval_neighbor, Route};
use crate::source::{FileId, SourceFile};
use crate::syntax::{FrrVersion, ParseOptions};

pub(crate) fn run(args: &RouteArgs) -> miette::Result<(String, Outcome)> {
    let file = SourceFile::read(&args.config).map_err(|e| miette::miette!("cannot read {}: {e}", args.config.display()))?;
    let version = match &args.frr_version {
        Some(v) => Some(FrrVersion::parse(v).ok_or_else(|| miette::miette!("`{v}` is not an FRR version"))?),
        None => None,
    };
    let cfg = Config::from_source(FileId(0), &file, &ParseOptions { version, ..Default::default() });
    let (dir, addr) = match (args.from, args.to) {
        (Some(a), _) => (Direction::In, a),
        (None, Some(a)) => (Direction::Out, a),
        (None, None) => return Err(miette::miette!("give --from NEIGHBOR or --to NEIGHBOR")),
    };
    let Some(router) = cfg.routers.iter().find(|r| r.neighbor(&PeerId::Address(addr)).is_some()) else {
        let known: Vec<String> = cfg.routers.iter().flat_map(|r| r.neighbors.iter().map(|n| n.id.to_string())).collect();
        return Err(miette::miette!("{} has no neighbor {addr} (neighbors: {})", file.name, if known.is_empty() { "none".into() } else { known.join(", ") }));
    };
    let Some(n) = router.neighbor(&PeerId::Address(addr)) else {
        return Err(miette::miette!("{} has no neighbor {addr}", file.name));
    };
    let peer = router.effective(n);
    let mut route = Route::new(args.prefix.trunc());
    route.peer = Some(addr);
    route.next_hop = Some(addr);
    route.as_path = if !args.as_path.is_empty() {
        args.as_path.iter().map(|a| Asn(*a)).collect()
    } else {
        match (dir, peer.settings.remote_as.as_ref().map(|r| r.value)) {
            (Direction::In, Some(RemoteAs::Asn(a))) => vec![a],
            _ => Vec::new(),
        }
    };
    for c in &args.communities {
        route.communities.push(Community::parse(c).ok_or_else(|| miette::miette!("`{c}` is not a community (AA:NN or a well-known name)"))?);
    }
    let verdict = eval_neighbor(&cfg, router, &peer, dir, &route);
    let mut out = String::new();
    let way = if dir == Direction::In { "from" } else { "to" };
    let path: Vec<String> = route.as_path.iter().map(|a| a.to_string()).collect();
    out.push_str(&format!(
        "{}: {} {way} neighbor {addr} (AS path {}, {} unicast)\n",
        file.name,
        route.prefix,
        if path.is_empty() { "empty".to_string() } else { path.join(" ") },
        route.afi()
    ));
    for step in &verdict.trace {
        let (line, col) = file.line_col(step.span.start);
        out.push_str(&format!("  {}:{line}:{col}  {}\n", file.name, step.what));
    }
    out.push_str(&format!("verdict: {}\n", verdict.decision));
    if verdict.decision.permitted() {
        let r = &verdict.route;
        let mut attrs = Vec::new();
        if let Some(lp) = r.local_pref {
            attrs.push(format!("local-preference {lp}"));
        }
        if let Some(m) = r.metric {
            attrs.push(format!("metric {m}"));
        }
        if !r.communities.is_empty() {
            attrs.push(format!("communities {}", r.communities.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")));
        }
        if !attrs.is_empty() {
            out.push_str(&format!("attributes after policy: {}\n", attrs.join(", ")));
        }
    }
    let outcome = if verdict.decision.permitted() { Outcome::Clean } else { Outcome::Findings };
    Ok((out, outcome))
}
