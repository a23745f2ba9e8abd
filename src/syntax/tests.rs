//! Tests of the whole engine on a small grammar written inline (the real grammar files are
//! tested by the corpus and fixture tests).

use super::*;
use crate::source::SourceFile;
use std::sync::OnceLock;

const CONFIG: &str = "\
%node config
%title configuration
%checked
hostname WORD
frr version [VERSION]
frr defaults <traditional|datacenter>
[no] ip prefix-list WORD [seq (1-4294967295)] <deny|permit> <any|A.B.C.D/M [{ge (0-32)|le (0-32)}]>
router bgp [(1-4294967295) [<view|vrf> VIEWVRFNAME]]   @enter bgp
route-map RMAP_NAME <deny|permit> (1-65535)            @enter route-map
interface IFNAME [vrf NAME]                            @enter interface
end                                                    @end
exit                                                   @exit
";

const BGP: &str = "\
%node bgp
%parent config
%title router bgp
%checked
bgp router-id A.B.C.D
bgp cluster-id A.B.C.D
bgp confederation-id A.B.C.D
neighbor <A.B.C.D|X:X::X:X|WORD> remote-as <(1-4294967295)|internal|external>  @until 9.0
neighbor <A.B.C.D|X:X::X:X|WORD> remote-as <ASNUM|internal|external>           @since 9.0
neighbor <A.B.C.D|X:X::X:X|WORD> remote-as auto                               @since 10.2
neighbor WORD peer-group
neighbor A.B.C.D timers (0-65535) (0-65535)
neighbor WORD timers (0-65535) (0-65535)
neighbor <A.B.C.D|X:X::X:X|WORD> activate @hidden
neighbor <A.B.C.D|X:X::X:X|WORD> description LINE...
address-family ipv4 [unicast]  @enter bgp-ipv4-unicast
address-family ipv6 [unicast]  @enter bgp-ipv6-unicast
exit @exit
";

const AF4: &str = "\
%node bgp-ipv4-unicast
%parent bgp
%title address-family ipv4 unicast
%checked
neighbor <A.B.C.D|X:X::X:X|WORD> activate
neighbor <A.B.C.D|X:X::X:X|WORD> route-map RMAP_NAME <in|out>
network A.B.C.D/M
exit-address-family @exit
exit @exit
";

const AF6: &str = "\
%node bgp-ipv6-unicast
%parent bgp
%title address-family ipv6 unicast
%checked
neighbor <A.B.C.D|X:X::X:X|WORD> activate
neighbor <A.B.C.D|X:X::X:X|WORD> route-map RMAP_NAME <in|out>
network X:X::X:X/M
exit-address-family @exit
exit @exit
";

const RMAP: &str = "\
%node route-map
%parent config
%title route-map
%checked
match ip address prefix-list WORD
set community AA:NN... [additive]
set local-preference (0-4294967295)
exit @exit
";

const IFACE: &str = "\
%node interface
%parent config
%opaque
description LINE...
exit @exit
";

fn test_grammar() -> &'static Grammar {
    static G: OnceLock<Grammar> = OnceLock::new();
    G.get_or_init(|| {
        let (g, errors) = Grammar::load(&[
            ("config.frr", CONFIG),
            ("bgp.frr", BGP),
            ("bgp-ipv4-unicast.frr", AF4),
            ("bgp-ipv6-unicast.frr", AF6),
            ("route-map.frr", RMAP),
            ("interface.frr", IFACE),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        g
    })
}

fn run(text: &str, version: Option<(u8, u8)>) -> (SourceFile, Parsed) {
    let file = SourceFile::new("t.conf", text);
    let opts = ParseOptions {
        version: version.map(|(a, b)| FrrVersion::new(a, b)),
        ..Default::default()
    };
    let p = test_grammar().parse(&file, &opts);
    (file, p)
}

fn node(name: &str) -> NodeId {
    test_grammar()
        .node_by_name(name)
        .unwrap_or(NodeId(u16::MAX))
}

/// A matched command with its words, for assertions.
struct Cmd<'a> {
    words: &'a [Word],
    cmd: &'a Command,
    parsed: &'a Parsed,
}

impl Cmd<'_> {
    fn skeleton(&self) -> String {
        self.cmd.skeleton(self.parsed)
    }

    fn text<'f>(&self, f: &'f SourceFile, i: usize) -> &'f str {
        self.cmd.text(self.parsed, f, i)
    }
}

impl std::ops::Deref for Cmd<'_> {
    type Target = Command;
    fn deref(&self) -> &Command {
        self.cmd
    }
}

fn command(p: &Parsed, i: usize) -> Cmd<'_> {
    match &p.lines[i].kind {
        LineKind::Command(c) => Cmd { words: p.words(c), cmd: c, parsed: p },
        other => panic!(
            "line {} is {other:?}; issues: {:?}",
            p.lines[i].line, p.issues
        ),
    }
}

fn issue_kinds(p: &Parsed) -> Vec<&IssueKind> {
    p.issues.iter().map(|i| &i.kind).collect()
}

#[test]
fn keywords_abbreviate() {
    let (f, p) = run(
        "router bgp 1\n nei 10.0.0.3 remote-as 65003\n address-family ipv4 uni\n  net 10.0.0.0/8\n",
        None,
    );
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    let c = command(&p, 1);
    assert_eq!(c.skeleton(), "neighbor * remote-as *");
    assert_eq!(c.words[0].kind, WordKind::Keyword("neighbor"));
    assert_eq!(c.text(&f, 0), "nei");
    assert_eq!(command(&p, 2).skeleton(), "address-family ipv4 unicast");
    assert_eq!(command(&p, 2).enters, Some(node("bgp-ipv4-unicast")));
    assert_eq!(p.lines[3].node, node("bgp-ipv4-unicast"));
    assert_eq!(p.lines[3].context.as_slice(), &[0, 2]);
}

#[test]
fn keywords_are_case_sensitive() {
    let (_, p) = run("router bgp 1\n NEIGHBOR 10.0.0.1 remote-as 2\n", None);
    assert!(matches!(p.lines[1].kind, LineKind::Error));
    assert_eq!(
        issue_kinds(&p),
        vec![&IssueKind::Unknown {
            node: node("bgp"),
            matched_words: 0,
            suggestion: Some("neighbor".into())
        }]
    );
}

#[test]
fn equal_abbreviations_are_ambiguous() {
    let (_, p) = run("router bgp 1\n bgp c 1.2.3.4\n bgp cl 1.2.3.4\n", None);
    assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
    assert_eq!(
        p.issues[0].kind,
        IssueKind::Ambiguous {
            candidates: vec!["bgp cluster-id A.B.C.D", "bgp confederation-id A.B.C.D"]
        }
    );
    assert_eq!(command(&p, 2).skeleton(), "bgp cluster-id *");
}

#[test]
fn values_beat_keywords_beat_variables() {
    let (_, p) = run(
        "router bgp 1\n neighbor 10.0.0.1 remote-as 1\n neighbor PG remote-as 1\n neighbor 10.0.0.1 timers 1 3\n neighbor PG timers 1 3\n neighbor 2001:db8::1 remote-as external\n",
        Some((8, 4)),
    );
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    let ip = std::net::Ipv4Addr::new(10, 0, 0, 1);
    assert_eq!(command(&p, 1).words[1].kind, WordKind::Ipv4(ip));
    assert_eq!(command(&p, 1).words[3].kind, WordKind::Number(1));
    assert_eq!(command(&p, 2).words[1].kind, WordKind::Variable);
    // Two commands, one per peer type: the IPv4 one wins for an address.
    assert_eq!(
        command(&p, 3).grammar_line,
        "neighbor A.B.C.D timers (0-65535) (0-65535)"
    );
    assert_eq!(
        command(&p, 4).grammar_line,
        "neighbor WORD timers (0-65535) (0-65535)"
    );
    assert!(matches!(command(&p, 5).words[1].kind, WordKind::Ipv6(_)));
    assert_eq!(command(&p, 5).words[3].kind, WordKind::Keyword("external"));
}

#[test]
fn keyword_groups_take_any_order_each_once() {
    let text = "\
ip prefix-list A seq 5 permit 10.0.0.0/8 le 24 ge 16
ip prefix-list A seq 10 permit 10.0.0.0/8 ge 16 le 24
ip prefix-list A permit 10.0.0.0/8 ge 16
ip prefix-list A seq 15 permit 10.0.0.0/8 le 24 le 25
ip prefix-list A seq 20 deny any
";
    let (f, p) = run(text, None);
    assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
    assert_eq!(p.issues[0].span, f.line_span(4));
    assert!(
        matches!(
            p.issues[0].kind,
            IssueKind::Unknown {
                matched_words: 9,
                ..
            }
        ),
        "{:?}",
        p.issues
    );
    let c = command(&p, 0);
    assert_eq!(c.skeleton(), "ip prefix-list * seq * permit * le * ge *");
    let net: ipnet::Ipv4Net = "10.0.0.0/8".parse().unwrap_or_default();
    assert_eq!(c.words[6].kind, WordKind::Ipv4Prefix(net));
    assert_eq!(command(&p, 4).skeleton(), "ip prefix-list * seq * deny any");
}

#[test]
fn varargs_take_the_rest() {
    let text = "\
route-map RM permit 10
 set community 65000:1 65000:2 additive
 set community 65000:1
router bgp 1
 neighbor 10.0.0.1 description hello world !x
";
    let (_, p) = run(text, None);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(command(&p, 1).skeleton(), "set community * * additive");
    assert_eq!(command(&p, 2).skeleton(), "set community *");
    assert_eq!(command(&p, 4).skeleton(), "neighbor * description * * *");
    assert_eq!(command(&p, 4).words[5].kind, WordKind::Variable);
}

#[test]
fn implicit_exit_follows_frr_not_indentation() {
    // frr-config.md §1.3, confirmed on FRR 8.4.4.
    let text = "\
router bgp 65001
 neighbor 2001:db8::1 remote-as 65002
 address-family ipv6 unicast
  neighbor 2001:db8::1 activate
  neighbor 2001:db8::2 remote-as 65003
  neighbor 2001:db8::2 activate
 exit-address-family
";
    let (f, p) = run(text, None);
    assert_eq!(p.lines[3].node, node("bgp-ipv6-unicast"));
    assert_eq!(p.lines[4].node, node("bgp"));
    assert_eq!(p.lines[4].context.as_slice(), &[0]);
    assert_eq!(p.lines[5].node, node("bgp"), "activate lands in router bgp");
    assert!(
        matches!(p.lines[6].kind, LineKind::Error),
        "exit-address-family outside the AF"
    );
    let kinds = issue_kinds(&p);
    assert_eq!(
        kinds[0],
        &IssueKind::ImplicitExit {
            from: node("bgp-ipv6-unicast"),
            to: node("bgp")
        }
    );
    assert_eq!(
        f.slice(p.issues[0].span),
        "neighbor 2001:db8::2 remote-as 65003"
    );
    assert_eq!(kinds[1], &IssueKind::StrayExit);
    assert_eq!(kinds.len(), 2);
}

#[test]
fn unindented_or_exitless_configs_stay_quiet() {
    let text = "\
router bgp 1
neighbor 10.0.0.1 remote-as 2
address-family ipv4 unicast
neighbor 10.0.0.1 activate
neighbor 10.0.0.2 remote-as 3
route-map A deny 10
 match ip address prefix-list X
route-map A permit 20
!
interface eth0
 ip address 10.0.0.1/24
 description uplink
router bgp 2
";
    let (_, p) = run(text, None);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.lines[4].node, node("bgp"));
    assert_eq!(p.lines[7].node, node("config"));
    assert!(p.lines[7].context.is_empty());
    assert_eq!(p.lines[10].kind, LineKind::Opaque);
    assert_eq!(p.stats.lines_passed_through, 1);
    assert_eq!(p.stats.comments, 1);
    assert_eq!(p.stats.commands_checked, 11);
}

#[test]
fn optional_and_choice_nesting() {
    let text = "router bgp\nexit\nrouter bgp 65000\nexit\nrouter bgp 65000 vrf RED\nexit\nrouter bgp 65000 vrf\n";
    let (_, p) = run(text, None);
    for i in [0, 2, 4] {
        assert_eq!(command(&p, i).enters, Some(node("bgp")));
    }
    assert_eq!(command(&p, 4).skeleton(), "router bgp * vrf *");
    assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
    match &p.issues[0].kind {
        IssueKind::Incomplete { node: n, expected } => {
            assert_eq!(*n, node("config"));
            assert_eq!(expected, &vec!["VIEWVRFNAME".to_string()]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn versions_select_commands() {
    let text = "router bgp 1\n neighbor A remote-as 1.5\n neighbor B remote-as auto\n neighbor C remote-as 65000\n";
    let (f, p) = run(text, Some((8, 4)));
    let v84 = FrrVersion::new(8, 4);
    assert_eq!(
        issue_kinds(&p),
        vec![
            &IssueKind::NotInVersion {
                target: v84,
                since: Some(FrrVersion::new(9, 0)),
                until: None
            },
            &IssueKind::NotInVersion {
                target: v84,
                since: Some(FrrVersion::new(10, 2)),
                until: None
            },
        ]
    );
    assert_eq!(
        p.issues[1].message(test_grammar()),
        "this command needs FRR 10.2 or later; target is 8.4"
    );
    assert_eq!(command(&p, 3).words[3].kind, WordKind::Number(65000));
    assert_eq!(
        command(&p, 3).grammar_line,
        "neighbor <A.B.C.D|X:X::X:X|WORD> remote-as <(1-4294967295)|internal|external>"
    );
    let (_, p) = run(text, Some((10, 5)));
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(command(&p, 1).words[3].kind, WordKind::Asn(65541));
    assert_eq!(command(&p, 3).words[3].kind, WordKind::Asn(65000));
    let _ = f;
}

#[test]
fn version_comes_from_the_file() {
    let (f, p) = run("frr version 8.4.4\nfrr defaults traditional\n", None);
    assert_eq!(p.version, FrrVersion::new(8, 4));
    assert_eq!(p.version_from, VersionFrom::FileLine(f.line_span(1)));
    let (_, p) = run("frr version 7.5.1\n", None);
    assert_eq!(p.version, FrrVersion::OLDEST);
    let (_, p) = run("hostname r1\n", None);
    assert_eq!(
        (p.version, p.version_from),
        (FrrVersion::NEWEST, VersionFrom::Default)
    );
    let (_, p) = run("frr version 10.5\n", Some((9, 1)));
    assert_eq!(
        (p.version, p.version_from),
        (FrrVersion::new(9, 1), VersionFrom::Option)
    );
}

#[test]
fn out_of_range_values_are_invalid_values() {
    let text = "\
route-map RM permit 70000
ip prefix-list A permit 10.0.0.0/33
ip prefix-list A permit 10.0.0.0/8 le 33
router bgp 1
 bgp router-id 10.0.0.256
 bgp router-id 10.0.0.01
";
    let (f, p) = run(text, None);
    let spans: Vec<&str> = p.issues.iter().map(|i| f.slice(i.span)).collect();
    assert_eq!(
        spans,
        vec!["70000", "10.0.0.0/33", "33", "10.0.0.256", "10.0.0.01"],
        "{:?}",
        p.issues
    );
    assert_eq!(
        p.issues[0].kind,
        IssueKind::InvalidValue {
            expected: "a number in (1-65535)".into()
        }
    );
    assert!(matches!(p.lines[0].kind, LineKind::Error));
}

#[test]
fn a_failed_opener_opens_nothing() {
    // As in FRR: the body of a block whose opener failed runs in the node before it.
    let (_, p) = run(
        "route-map RM permit 70000
 set local-preference 5
exit
",
        None,
    );
    assert_eq!(p.lines[1].node, node("config"));
    let kinds = issue_kinds(&p);
    assert!(matches!(kinds[0], IssueKind::InvalidValue { .. }));
    assert!(matches!(kinds[1], IssueKind::Unknown { .. }));
    assert_eq!(kinds[2], &IssueKind::TopLevelExit);
}

#[test]
fn unknown_commands_say_how_far_they_got() {
    let (_, p) = run("End\nrouter bgp 1\n neighbor 10.0.0.1 remot-as 5\n", None);
    assert_eq!(
        issue_kinds(&p),
        vec![
            &IssueKind::Unknown {
                node: node("config"),
                matched_words: 0,
                suggestion: Some("end".into())
            },
            &IssueKind::Unknown {
                node: node("bgp"),
                matched_words: 2,
                suggestion: Some("remote-as".into())
            },
        ]
    );
    assert_eq!(
        p.issues[1].help(test_grammar()).as_deref(),
        Some("did you mean `remote-as`?")
    );
}

#[test]
fn exit_end_and_top_level_exit() {
    let (_, p) = run("router bgp 1\nexit\nexit\nend\nhostname r1\n", None);
    assert_eq!(
        issue_kinds(&p),
        vec![&IssueKind::TopLevelExit, &IssueKind::EndInFile]
    );
    assert!(command(&p, 1).exits);
    assert!(command(&p, 3).end);
    assert_eq!(p.lines[4].node, node("config"));
}

#[test]
fn comments_are_whole_lines_only() {
    let (_, p) = run(
        "! a comment\n   # another\nhostname r1 ! not a comment\nhostname r1\n\n \t\n",
        None,
    );
    assert_eq!(p.stats.comments, 2);
    assert_eq!(p.stats.blank, 2);
    assert_eq!(p.lines.len(), 4);
    assert!(matches!(p.lines[2].kind, LineKind::Error));
    assert!(matches!(p.lines[3].kind, LineKind::Command(_)));
}

#[test]
fn limits_follow_the_version() {
    let long = format!("hostname {}\n", "a".repeat(5000));
    let (_, p) = run(&long, Some((8, 4)));
    assert_eq!(
        issue_kinds(&p),
        vec![&IssueKind::LineTooLong { limit: 4096 }]
    );
    let (_, p) = run(&long, Some((10, 0)));
    assert!(
        matches!(p.lines[0].kind, LineKind::Command(_)),
        "{:?}",
        p.issues
    );
    let ok = format!("hostname {}\n", "a".repeat(4095 - 9));
    let (_, p) = run(&ok, Some((8, 4)));
    assert!(p.issues.is_empty());
    let words = |n: usize| {
        format!(
            "route-map R permit 1\n set community {}\n",
            vec!["1:1"; n].join(" ")
        )
    };
    let (_, p) = run(&words(253), None);
    assert!(p.issues.is_empty(), "255 words pass");
    let (_, p) = run(&words(254), None);
    assert_eq!(
        issue_kinds(&p),
        vec![&IssueKind::TooManyTokens { limit: 255 }]
    );
}

#[test]
fn odd_bytes_never_panic() {
    let mut inputs: Vec<String> = vec![
        "hostname r1\0 trailing\r\nrouter bgp 1\r\n neighbor 1.1.1.1 remote-as 2\r\n".into(),
        "\0\0\0\n\r\n\t\x0b\x0c\n".into(),
        "router bgp 1\n address-family ipv4\n  network 1.2.3.4/32\nexit\nexit\nexit\nexit-address-family\n".into(),
        "x".repeat(1 << 20),
        format!("route-map A permit 1\n set community {}\n", "1:1 ".repeat(100_000)),
        "ip prefix-list A permit 1.2.3.4/8 ge ge ge le le le le\n".into(),
        "é ü \u{fffd} ‽\nrouter bgp ä\n".into(),
    ];
    // Byte soup from a small deterministic generator over the grammar's own vocabulary.
    let vocab = [
        "router",
        "bgp",
        "1",
        "neighbor",
        "10.0.0.1",
        "remote-as",
        "address-family",
        "ipv4",
        "exit",
        " ",
        "\n",
        "!",
        "{",
        "(",
        "...",
        "le",
        "ge",
        "/33",
        "::",
        "\0",
        "é",
        "\r",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..200 {
        let mut s = String::new();
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(vocab[(x % vocab.len() as u64) as usize]);
            if x.is_multiple_of(3) {
                s.push(' ');
            }
        }
        inputs.push(s);
    }
    for text in inputs {
        for v in [None, Some((8, 4)), Some((10, 8))] {
            let (f, p) = run(&text, v);
            for l in &p.lines {
                let _ = f.slice(l.span);
            }
        }
    }
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let f = SourceFile::from_bytes("b.conf", bytes);
    let _ = test_grammar().parse(&f, &ParseOptions::default());
    // And the real grammar, on the same inputs.
    for text in &inputs_for_real_grammar() {
        let f = SourceFile::new("r.conf", text.as_str());
        let p = parse(&f, &ParseOptions::default());
        assert!(p.lines.len() <= f.line_count());
    }
}

fn inputs_for_real_grammar() -> Vec<String> {
    vec![
        "router bgp 1\n address-family ipv4\n  network 1.2.3.4/32\nexit\nexit\nexit\n".into(),
        "hostname r1\0 trailing\r\nrouter bgp 1\r\n neighbor 1.1.1.1 remote-as 2\r\n".into(),
        format!(
            "route-map A permit 1\n set community {}\n",
            "1:1 ".repeat(20_000)
        ),
        "x".repeat(1 << 20),
        "é \u{fffd}\n{[<|>]}...$\n(1-2)\nA.B.C.D\n".into(),
    ]
}

#[test]
fn the_embedded_grammar_reads_a_typical_config() {
    let text = "\
frr version 8.4.4
frr defaults traditional
hostname r1
!
interface eth0
 ip address 10.0.0.1/24
exit
!
router bgp 65001
 bgp router-id 10.0.0.1
 no bgp ebgp-requires-policy
 neighbor 10.0.0.2 remote-as 65002
 neighbor 10.0.0.2 timers 3 10
 !
 address-family ipv4 unicast
  network 192.0.2.0/24
  neighbor 10.0.0.2 route-map RM-OUT out
 exit-address-family
exit
!
ip prefix-list PL seq 5 permit 192.0.2.0/24 le 32
!
route-map RM-OUT permit 10
 match ip address prefix-list PL
 set local-preference 200
exit
!
end
";
    let f = SourceFile::new("t.conf", text);
    let p = parse(&f, &ParseOptions::default());
    assert_eq!(p.version, FrrVersion::new(8, 4));
    let errors: Vec<_> = p
        .issues
        .iter()
        .filter(|i| i.kind != IssueKind::EndInFile)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let g = grammar();
    let af = p
        .lines
        .iter()
        .find(|l| f.slice(l.span) == "network 192.0.2.0/24")
        .map(|l| g.node(l.node).name);
    assert_eq!(af, Some("bgp-ipv4-unicast"));
}

#[test]
fn the_embedded_grammar_has_no_errors() {
    let errors: Vec<String> = grammar_errors().iter().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "grammar errors:\n{}", errors.join("\n"));
    assert_eq!(grammar().node(grammar().root()).name, "config");
}

/// FRR 8.4.4's own checker and this engine must reject the same lines of the same files.
/// The inputs are real configurations (the shared corpus of FRR's topotests) with words
/// abbreviated, dropped, upper-cased or inflated, so that unknown, incomplete and ambiguous
/// lines all occur. Lines of `%opaque` blocks are not checked by us, and vtysh rejects every
/// line after a top-level `exit`: those are left out of the comparison.
#[test]
fn rejects_the_lines_vtysh_rejects() {
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/frr-topotests");
    let mut files = Vec::new();
    collect_confs(&corpus, &mut files);
    files.sort();
    assert!(
        files.len() > 100,
        "the shared corpus is missing at {}",
        corpus.display()
    );
    let dir = std::env::temp_dir().join(format!("frrlint-syntax-vtysh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let (mut compared, mut mismatches) = (0, Vec::new());
    for (n, path) in files.iter().step_by(files.len() / 40).enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mutated = mutate(&text, &mut next);
        let file_path = dir.join(format!("m{n}.conf"));
        if std::fs::write(&file_path, &mutated).is_err() {
            continue;
        }
        let out = std::process::Command::new("vtysh")
            .arg("-C")
            .arg("-f")
            .arg(&file_path)
            .output();
        let out = match out {
            Ok(o) => o,
            Err(e) => {
                panic!("FRR's vtysh is needed for this test (tests/run-all.sh installs it): {e}")
            }
        };
        let theirs: std::collections::BTreeMap<u32, &str> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .chain(String::from_utf8_lossy(&out.stderr).lines())
            .filter_map(|l| {
                let rest = l.strip_prefix("line ")?;
                let (num, msg) = rest.split_once(": % ")?;
                let kind = if msg.starts_with("Unknown") {
                    "unknown"
                } else if msg.starts_with("Command incomplete") {
                    "incomplete"
                } else if msg.starts_with("Ambiguous") {
                    "ambiguous"
                } else {
                    return None;
                };
                Some((num.parse().ok()?, kind))
            })
            .collect();
        let f = SourceFile::new(file_path.display().to_string(), mutated);
        let p = parse(
            &f,
            &ParseOptions {
                version: Some(FrrVersion::new(8, 4)),
                ..Default::default()
            },
        );
        let stop = p
            .issues
            .iter()
            .find(|i| i.kind == IssueKind::TopLevelExit)
            .map_or(u32::MAX, |i| f.line_col(i.span.start).0);
        let mut ours = std::collections::BTreeMap::new();
        for i in &p.issues {
            let kind = match i.kind {
                IssueKind::Unknown { .. }
                | IssueKind::InvalidValue { .. }
                | IssueKind::NotInVersion { .. }
                | IssueKind::StrayExit => "unknown",
                IssueKind::Incomplete { .. } => "incomplete",
                IssueKind::Ambiguous { .. } => "ambiguous",
                _ => continue,
            };
            ours.insert(f.line_col(i.span.start).0, kind);
        }
        let opaque: std::collections::BTreeSet<u32> = p
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Opaque)
            .map(|l| l.line)
            .collect();
        for line in theirs
            .keys()
            .chain(ours.keys())
            .copied()
            .collect::<std::collections::BTreeSet<u32>>()
        {
            if line >= stop || opaque.contains(&line) {
                continue;
            }
            compared += 1;
            if theirs.get(&line) != ours.get(&line) {
                let text = f.slice(f.line_span(line)).to_string();
                mismatches.push(format!(
                    "{}:{line}: vtysh {:?}, we {:?}: {text}",
                    path.display(),
                    theirs.get(&line),
                    ours.get(&line)
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        mismatches.is_empty(),
        "{} of {compared} lines differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(compared > 50, "only {compared} rejected lines compared");
}

fn collect_confs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_confs(&p, out);
        } else if p.extension().is_some_and(|x| x == "conf") {
            out.push(p);
        }
    }
}

/// Damage some lines the way people do: abbreviate keywords, drop the last word, shout,
/// or make a number too large.
fn mutate(text: &str, next: &mut impl FnMut() -> u64) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with(['!', '#']) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = &line[..line.len() - t.len()];
        let mut w: Vec<String> = t.split_whitespace().map(str::to_string).collect();
        match next() % 100 {
            0..30 => {
                for x in &mut w {
                    if x.bytes().all(|b| b.is_ascii_lowercase()) && next() % 2 == 0 {
                        let keep = 1 + (next() as usize) % x.len();
                        x.truncate(keep);
                    }
                }
            }
            30..36 if w.len() > 1 => {
                w.pop();
            }
            36..40 => {
                for x in &mut w {
                    if next() % 5 == 0 {
                        *x = x.to_uppercase();
                    }
                }
            }
            40..44 => {
                for x in &mut w {
                    if x.bytes().all(|b| b.is_ascii_digit()) && next() % 2 == 0 {
                        x.push_str("00000");
                    }
                }
            }
            _ => {}
        }
        out.push_str(indent);
        out.push_str(&w.join(" "));
        out.push('\n');
    }
    out
}

/// The grammar engine hands the file the line starts it met while reading; they are the
/// ones the file would find itself, for every shape of text (empty, no final newline, blank
/// lines, CRLF, a NUL, a line too long for FRR).
#[test]
fn the_walk_leaves_the_files_own_line_starts() {
    let long = format!("hostname {}\n", "x".repeat(9000));
    let texts = [
        "",
        "\n",
        "\n\n",
        "hostname a",
        "hostname a\n",
        "hostname a\r\n!\r\n",
        "\n\nrouter bgp 1\n neighbor 10.0.0.1 remote-as 2\n\n",
        "hostname a\0b\nhostname c\n",
        long.as_str(),
    ];
    for text in texts {
        let walked = crate::source::SourceFile::new("t.conf", text);
        parse(&walked, &ParseOptions::default());
        let own = crate::source::SourceFile::new("t.conf", text);
        assert_eq!(walked.line_count(), own.line_count(), "{text:?}");
        for line in 1..=own.line_count() as u32 + 1 {
            assert_eq!(walked.line_span(line), own.line_span(line), "{text:?} line {line}");
        }
        for offset in 0..=text.len() as u32 {
            assert_eq!(walked.line_col(offset), own.line_col(offset), "{text:?} offset {offset}");
        }
    }
}
