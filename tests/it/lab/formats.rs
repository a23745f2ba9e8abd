//! The two JSON formats stay what README.md says: its examples parse, and a plan built from
//! the Rust types (as a plan generator would) survives a round trip.

use std::collections::BTreeMap;
use std::path::Path;

use super::{
    Announcement, Family, LabNode, LabPeer, LabPlan, LabRouter, Observation, Origin, PrefixFate,
    SessionObservation,
};

/// The ```json blocks of README.md, in order.
fn readme_json_blocks() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/lab/README.md");
    let text = std::fs::read_to_string(&path).expect("tests/it/lab/README.md");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim()) {
            (None, "```json") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn readme_examples_parse() {
    let blocks = readme_json_blocks();
    assert_eq!(
        blocks.len(),
        2,
        "README.md should show one plan and one observation"
    );
    let plan = LabPlan::from_json(&blocks[0]).unwrap_or_else(|e| panic!("README plan: {e}"));
    plan.validate()
        .unwrap_or_else(|e| panic!("README plan: {e}"));
    assert_eq!(
        plan.nodes[0].peers[0].families,
        vec![Family::Ipv4Unicast, Family::Ipv6Unicast]
    );
    let seen: Observation =
        serde_json::from_str(&blocks[1]).unwrap_or_else(|e| panic!("README observation: {e}"));
    assert_eq!(
        seen.sessions[0].prefixes["192.168.77.128/32"],
        PrefixFate::NotSent
    );
}

#[test]
fn plans_and_observations_round_trip() {
    let plan = LabPlan {
        name: "round-trip".into(),
        routers: vec![LabRouter {
            name: "r1".into(),
            config: "router bgp 65000\n".into(),
            addresses: vec![
                "10.0.0.1/24".parse().unwrap(),
                "fd00::1/64".parse().unwrap(),
            ],
            listen_port: 179,
        }],
        nodes: vec![LabNode {
            name: "n1".into(),
            addresses: vec!["10.0.0.2/24".parse().unwrap()],
            asn: 65001,
            router_id: "10.0.0.2".parse().unwrap(),
            listen_port: None,
            peers: vec![LabPeer {
                address: "10.0.0.1".parse().unwrap(),
                asn: 65000,
                port: 179,
                password: Some("pw".into()),
                hold: 9,
                keepalive: 3,
                connect_retry: 120,
                ebgp_multihop: 1,
                families: vec![Family::Ipv4Unicast],
            }],
            announce: vec![Announcement {
                prefix: "10.77.0.0/24".parse().unwrap(),
                communities: vec!["65000:1".into()],
                local_pref: Some(200),
                origin: Origin::Incomplete,
            }],
        }],
    };
    let text = serde_json::to_string(&plan).unwrap();
    assert_eq!(LabPlan::from_json(&text).unwrap(), plan);
    assert!(
        text.contains(r#""addresses":["10.0.0.1/24","fd00::1/64"]"#),
        "{text}"
    );
    assert_eq!(plan.owner_of("fd00::1".parse().unwrap()), Some(0));
    assert_eq!(plan.owner_of("10.0.0.9".parse().unwrap()), None);

    let seen = Observation {
        sessions: vec![SessionObservation {
            node: "n1".into(),
            router: None,
            peer_address: "10.0.0.9".parse().unwrap(),
            established: false,
            evidence: vec![],
            prefixes: BTreeMap::from([("10.77.0.0/24".to_string(), PrefixFate::NotSent)]),
        }],
        config_errors: vec![],
    };
    let text = seen.to_json();
    assert!(
        text.contains(r#""router": null"#) && text.contains(r#""not-sent""#),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Observation>(&text).unwrap(), seen);
}

#[test]
fn plans_the_harness_cannot_run_are_refused() {
    let base = LabPlan::from_json(
        r#"{"name":"x","routers":[{"name":"r","config":"","addresses":["10.0.0.1/24"]}],
            "nodes":[{"name":"n","addresses":["10.0.0.2/24"],"asn":1,"router_id":"10.0.0.2",
                      "announce":[{"prefix":"10.7.0.0/16"}]}]}"#,
    )
    .unwrap();
    assert!(base.validate().is_ok());
    let mut twice = base.clone();
    twice.nodes[0].addresses = base.routers[0].addresses.clone();
    assert!(twice.validate().is_err(), "an address owned twice");
    let mut host_bits = base.clone();
    host_bits.nodes[0].announce[0].prefix = "10.7.0.1/16".parse().unwrap();
    assert!(host_bits.validate().is_err(), "a prefix with host bits");
    assert!(
        LabPlan::from_json(r#"{"name":"x","bogus":1}"#).is_err(),
        "unknown field"
    );
}
