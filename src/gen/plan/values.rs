//! Reading single values: numbers in range, addresses, prefixes, timers, versions; and the
//! address arithmetic the plan needs.

use super::Cx;
use crate::gen::issue::Issue;
use crate::gen::topology::{self as t, S};
use crate::model::{Afi, Asn, Timers};
use crate::syntax::FrrVersion;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr};

impl Cx {
    pub(super) fn asn(&mut self, s: &S<i64>) -> Option<Asn> {
        let v = *s.get_ref();
        if (1..=i64::from(u32::MAX)).contains(&v) {
            Some(Asn(v as u32))
        } else {
            self.issues.push(
                Issue::error(s.span(), format!("AS number {v} is out of range"))
                    .help("an AS number is between 1 and 4294967295"),
            );
            None
        }
    }

    pub(super) fn int(&mut self, s: &S<i64>, lo: i64, hi: i64, what: &str) -> Option<i64> {
        let v = *s.get_ref();
        if (lo..=hi).contains(&v) {
            Some(v)
        } else {
            self.err(s.span(), format!("{what} {v} is out of range ({lo}-{hi})"));
            None
        }
    }

    pub(super) fn u32(&mut self, s: &S<i64>, what: &str) -> Option<u32> {
        self.int(s, 0, i64::from(u32::MAX), what).map(|v| v as u32)
    }

    pub(super) fn port(&mut self, s: &S<i64>) -> Option<u16> {
        self.int(s, 1, 65535, "port").map(|v| v as u16)
    }

    pub(super) fn timers(&mut self, tm: &S<t::Timers>) -> Option<Timers> {
        let hold = self.int(&tm.get_ref().hold, 3, 65535, "hold time")?;
        let keepalive = self.int(&tm.get_ref().keepalive, 1, 65535, "keepalive")?;
        if keepalive > hold / 3 {
            self.issues.push(
                Issue::error(
                    tm.get_ref().keepalive.span(),
                    format!("keepalive {keepalive} is more than a third of hold time {hold}"),
                )
                .help(format!("FRR would silently use {}; write keepalive = {}", hold / 3, hold / 3)),
            );
            return None;
        }
        Some(Timers { keepalive: keepalive as u16, hold: hold as u16 })
    }

    pub(super) fn frr_version(&mut self, v: &S<String>) -> Option<(String, FrrVersion)> {
        let text = v.get_ref().trim();
        match FrrVersion::parse(text) {
            Some(fv) if (FrrVersion::OLDEST..=FrrVersion::NEWEST).contains(&fv) => Some((text.to_string(), fv)),
            Some(_) => {
                self.issues.push(Issue::error(v.span(), format!("FRR {text} is not supported")).help(format!(
                    "frrgen targets FRR {} to {}",
                    FrrVersion::OLDEST,
                    FrrVersion::NEWEST
                )));
                None
            }
            None => {
                self.issues.push(
                    Issue::error(v.span(), format!("`{text}` is not an FRR version"))
                        .help("write the release, e.g. \"8.4.4\""),
                );
                None
            }
        }
    }

    pub(super) fn ip(&mut self, s: &S<String>) -> Option<IpAddr> {
        match s.get_ref().trim().parse::<IpAddr>() {
            Ok(a) => Some(a),
            Err(_) => {
                self.err(s.span(), format!("`{}` is not an IP address", s.get_ref()));
                None
            }
        }
    }

    pub(super) fn ipv4(&mut self, s: &S<String>) -> Option<Ipv4Addr> {
        match self.ip(s)? {
            IpAddr::V4(a) => Some(a),
            IpAddr::V6(_) => {
                self.err(s.span(), "a router ID is an IPv4 address");
                None
            }
        }
    }

    pub(super) fn prefix(&mut self, s: &S<String>) -> Option<IpNet> {
        match s.get_ref().trim().parse::<IpNet>() {
            Ok(n) if n.trunc() == n => Some(n),
            Ok(n) => {
                self.issues.push(
                    Issue::error(s.span(), format!("{n} has host bits set")).help(format!("write {}", n.trunc())),
                );
                None
            }
            Err(_) => {
                self.issues.push(
                    Issue::error(s.span(), format!("`{}` is not a prefix", s.get_ref())).help("write ADDRESS/LENGTH"),
                );
                None
            }
        }
    }

    /// Parse a list of addresses; each address may be owned by one router or node only.
    pub(super) fn addresses(&mut self, list: &S<Vec<S<String>>>, owner: &str) -> Vec<IpAddr> {
        if list.get_ref().is_empty() {
            self.err(list.span(), format!("{owner} has no addresses"));
        }
        let mut out = Vec::new();
        for s in list.get_ref() {
            let Some(a) = self.ip(s) else { continue };
            if let Some((first, who)) = self.addresses.get(&a) {
                let i = Issue::error(s.span(), format!("{a} is already an address of {who}"))
                    .related(first.clone(), "first used here");
                self.issues.push(i);
                continue;
            }
            self.addresses.insert(a, (s.span(), owner.to_string()));
            out.push(a);
        }
        out
    }
}

pub fn afi_of(a: &IpAddr) -> Afi {
    match a {
        IpAddr::V4(_) => Afi::Ipv4,
        IpAddr::V6(_) => Afi::Ipv6,
    }
}

pub(super) fn first_of(list: &[IpAddr], afi: Afi) -> Option<IpAddr> {
    list.iter().copied().find(|a| afi_of(a) == afi)
}

pub(super) fn to_u128(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

pub(super) fn from_u128(afi: Afi, v: u128) -> IpAddr {
    match afi {
        Afi::Ipv4 => IpAddr::V4(Ipv4Addr::from(v as u32)),
        Afi::Ipv6 => IpAddr::V6(std::net::Ipv6Addr::from(v)),
    }
}

/// The fewest prefixes covering `[start, stop]` exactly (both in one family).
pub fn range_to_cidrs(start: IpAddr, stop: IpAddr) -> Vec<IpNet> {
    let afi = afi_of(&start);
    let bits = u32::from(afi.max_len());
    // The last offset of a block of 2^size addresses.
    let span = |size: u32| if size >= 128 { u128::MAX } else { (1u128 << size) - 1 };
    let (mut lo, hi) = (to_u128(start), to_u128(stop));
    let mut out = Vec::new();
    loop {
        // The largest aligned block starting at lo that does not pass hi.
        let mut size = if lo == 0 { bits } else { lo.trailing_zeros().min(bits) };
        while size > 0 && span(size) > hi - lo {
            size -= 1;
        }
        if let Ok(n) = IpNet::new(from_u128(afi, lo), (bits - size) as u8) {
            out.push(n);
        }
        let last = lo + span(size);
        if last >= hi {
            break;
        }
        lo = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn ranges_become_prefixes() {
        let c = |a: &str, b: &str| -> Vec<String> {
            range_to_cidrs(a.parse().unwrap(), b.parse().unwrap()).iter().map(ToString::to_string).collect()
        };
        assert_eq!(c("10.0.0.0", "10.0.0.255"), ["10.0.0.0/24"]);
        assert_eq!(c("10.0.0.1", "10.0.0.1"), ["10.0.0.1/32"]);
        assert_eq!(
            c("10.0.0.100", "10.0.0.200"),
            ["10.0.0.100/30", "10.0.0.104/29", "10.0.0.112/28", "10.0.0.128/26", "10.0.0.192/29", "10.0.0.200/32"]
        );
        assert_eq!(c("0.0.0.0", "255.255.255.255"), ["0.0.0.0/0"]);
        assert_eq!(c("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ["::/0"]);
        assert_eq!(c("2001:db8::", "2001:db8::ff"), ["2001:db8::/120"]);
    }
}
