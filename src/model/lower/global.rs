//! Lowering of top-level settings: `frr version`, `frr defaults`, `hostname`, and the
//! interface blocks whose addresses tell which addresses a router owns.

use super::{Cmd, Ctx, Handler, Lowerer};
use crate::model::{Defaults, Interface, Profile, Spanned};

pub(crate) static HANDLERS: &[(&str, Handler)] = &[
    ("frr version", frr_version),
    ("frr defaults", frr_defaults),
    ("hostname", hostname),
    ("ip address", if_address),
    ("ipv6 address", if_address),
];

fn frr_version(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    if c.neg {
        return true;
    }
    lw.cfg.version_line = Some(Spanned::new(c.rest(2), c.rest_span(2)));
    true
}

fn frr_defaults(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    if c.neg {
        return true;
    }
    match Profile::parse(c.text(2)) {
        Some(p) => {
            lw.cfg.profile = Spanned::new(p, c.span(2));
            lw.cfg.defaults = Defaults::for_version(lw.cfg.version, p);
        }
        None => lw.issue(
            c.span(2),
            super::LowerIssueKind::InvalidValue,
            format!("unknown defaults profile `{}`: FRR warns and keeps the traditional defaults", c.text(2)),
            "use `frr defaults traditional` or `frr defaults datacenter`",
        ),
    }
    true
}

fn hostname(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    if !c.neg {
        lw.cfg.hostname = Some(c.spanned(1));
    }
    true
}

pub(crate) fn open_interface(lw: &mut Lowerer, c: &Cmd<'_>) -> usize {
    let vrf = c.find_kw(2, "vrf").map(|i| c.text(i + 1).to_string());
    lw.cfg.interfaces.push(Interface { name: c.spanned(1), vrf, addresses: Vec::new() });
    lw.cfg.interfaces.len() - 1
}

fn if_address(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let (Some(i), Some(p)) = (ctx.interface, c.prefix(2)) else { return false };
    if !c.neg {
        lw.cfg.interfaces[i].addresses.push(Spanned::new(p, c.span(2)));
    }
    true
}
