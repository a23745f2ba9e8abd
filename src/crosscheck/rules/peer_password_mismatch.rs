//! peer-password-mismatch: TCP-MD5 passwords differ, or only one side sets one. The
//! kernel drops every segment (TCPMD5Failure/NotFound/Unexpected): no session, no log line
//! in bgpd. The passwords themselves are never printed.

use super::describe;
use crate::crosscheck::{Md5, Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC004",
    name: "peer-password-mismatch",
    severity: Severity::Error,
    group: RuleGroup::Crosscheck,
    summary: "TCP-MD5 passwords differ or are set on one side only: the session never comes up",
    docs: include_str!("../../../docs/rules/XC004.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        let r = &world.routers[ri];
        for p in &s.problems {
            if let Problem::FrrPasswordMismatch { a, b, differ, a_name, b_name } = p {
                let what = if *differ { "the passwords differ".to_string() } else { "only one of them sets a password".to_string() };
                out.push(
                    Diagnostic::new(&META, a.file, a.span, format!("routers {a_name} and {b_name}: {what}, so the kernel drops the session's segments"))
                        .related(b.file, b.span, format!("router {b_name}"))
                        .help("use the same `neighbor X password` on both routers"),
                );
                continue;
            }
            let Problem::PasswordMismatch { md5, frr, cilium } = p else { continue };
            let what = match md5 {
                Md5::Differ => "the passwords differ",
                Md5::CiliumOnly => "Cilium sets a password but the router does not",
                Md5::FrrOnly => "the router sets a password but Cilium does not",
                _ => continue,
            };
            let msg = format!("{}: {what}, so the kernel drops the session's segments", describe(world, s));
            let d = match (frr, cilium) {
                (Some(f), c) => {
                    let d = Diagnostic::new(&META, r.cfg.file, *f, msg).label("FRR password");
                    match c {
                        Some(c) => d.related(c.file, c.span, "Cilium password"),
                        None => d,
                    }
                }
                (None, Some(c)) => Diagnostic::new(&META, c.file, c.span, msg).label("Cilium password").related(r.cfg.file, s.neighbor.unwrap_or_default(), "the router's neighbor has no password"),
                (None, None) => continue,
            };
            out.push(d.help("use the same password on both sides: `neighbor X password …` and the Secret's `password` key"));
        }
    }
}
