//! Token kinds of a compiled command and how an input word matches each of them, ported
//! from the matchers in FRR's `lib/command_match.c` (8.4): keywords match a prefix (partly)
//! or in full (exactly); IPv4 rejects octets over 255 and leading zeros; the IPv6 prefix
//! matcher is FRR's state machine; ranges parse like `strtoll`. Only an exact match counts
//! for a whole command, except for keywords.
//!
//! Besides FRR's answer, every value matcher also says whether a word has the right *shape*
//! (digits for a range, a dotted quad for an address): that is how a bad value is told apart
//! from a wrong word in diagnostics.

use super::lexer::saturating_decimal;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What a grammar token accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tok {
    Keyword(&'static str),
    /// Any one word; the text is the grammar's name for it (`WORD`, `AA:NN`).
    Variable(&'static str),
    Range(i64, i64),
    Ipv4,
    Ipv4Prefix,
    Ipv6,
    Ipv6Prefix,
    Mac,
    MacPrefix,
    Asnum,
}

/// How well a word matches a token, in FRR's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    No,
    /// The right shape but a value out of bounds; only diagnostics look at this.
    Shape,
    Partly,
    Exact,
}

impl Tok {
    /// FRR's `score_precedence`: lower wins when two matches differ at a word.
    pub fn precedence(self) -> u8 {
        match self {
            Tok::Keyword(_) => 3,
            Tok::Variable(_) => 4,
            _ => 2,
        }
    }

    /// Whether two tokens are of the same kind for disambiguation (FRR compares types).
    pub fn same_kind(self, other: Tok) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }

    /// How the grammar writes the token.
    pub fn display(self) -> String {
        match self {
            Tok::Keyword(k) | Tok::Variable(k) => k.to_string(),
            Tok::Range(lo, hi) => format!("({lo}-{hi})"),
            Tok::Ipv4 => "A.B.C.D".into(),
            Tok::Ipv4Prefix => "A.B.C.D/M".into(),
            Tok::Ipv6 => "X:X::X:X".into(),
            Tok::Ipv6Prefix => "X:X::X:X/M".into(),
            Tok::Mac => "X:X:X:X:X:X".into(),
            Tok::MacPrefix => "X:X:X:X:X:X/M".into(),
            Tok::Asnum => "ASNUM".into(),
        }
    }

    /// What a value of this token must look like, for "invalid value" messages.
    pub fn expected_value(self) -> String {
        match self {
            Tok::Range(lo, hi) => format!("a number in ({lo}-{hi})"),
            Tok::Ipv4 => "an IPv4 address A.B.C.D (each part 0-255, no leading zeros)".into(),
            Tok::Ipv4Prefix => {
                "an IPv4 prefix A.B.C.D/M (each part 0-255, no leading zeros, length 0-32)".into()
            }
            Tok::Ipv6 => "an IPv6 address X:X::X:X".into(),
            Tok::Ipv6Prefix => "an IPv6 prefix X:X::X:X/M (length 0-128)".into(),
            Tok::Mac => "a MAC address X:X:X:X:X:X".into(),
            Tok::MacPrefix => "a MAC prefix X:X:X:X:X:X/M (length 0-48)".into(),
            Tok::Asnum => "an AS number 1-4294967295 or A.B (each part 0-65535)".into(),
            Tok::Keyword(k) => format!("`{k}`"),
            Tok::Variable(v) => v.to_string(),
        }
    }
}

/// Match one word against one token.
pub fn match_word(tok: Tok, word: &str) -> Level {
    match tok {
        Tok::Keyword(k) => match_keyword(k, word),
        Tok::Variable(_) => Level::Exact,
        Tok::Range(lo, hi) => match parse_strtoll(word) {
            Some(v) if v >= lo && v <= hi => Level::Exact,
            Some(_) => Level::Shape,
            None => Level::No,
        },
        Tok::Ipv4 => match_ipv4(word),
        Tok::Ipv4Prefix => match_ipv4_prefix(word),
        Tok::Ipv6 => match_ipv6(word),
        Tok::Ipv6Prefix => match_ipv6_prefix(word),
        Tok::Mac => match_mac(word, false),
        Tok::MacPrefix => match_mac(word, true),
        Tok::Asnum => match_asnum(word),
    }
}

/// A keyword: equal is exact, a proper non-empty prefix is partly; case-sensitive.
#[inline]
pub fn match_keyword(keyword: &str, word: &str) -> Level {
    if word.len() == keyword.len() {
        if word == keyword {
            Level::Exact
        } else {
            Level::No
        }
    } else if !word.is_empty()
        && word.len() < keyword.len()
        && keyword.as_bytes().starts_with(word.as_bytes())
    {
        Level::Partly
    } else {
        Level::No
    }
}

/// `strtoll(word, &end, 10)` with `*end == '\0'`: an optional sign and decimal digits,
/// clamped to the `i64` range as `strtoll` does on overflow.
pub fn parse_strtoll(word: &str) -> Option<i64> {
    let b = word.as_bytes();
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(saturating_decimal(digits, neg))
}

/// One dotted-quad part as FRR checks it: at most three digits, at most 255, no leading zero.
fn octet_ok(seg: &[u8]) -> bool {
    if seg.len() > 3 {
        return false;
    }
    let v = seg.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
    v <= 255 && !(v > 0 && seg.first() == Some(&b'0'))
}

fn match_ipv4(word: &str) -> Level {
    let s = word.as_bytes();
    // Nearly every address is written plainly: read it in one pass.
    if plain_ipv4(s).is_some() {
        return Level::Exact;
    }
    let (mut pos, mut dots, mut nums) = (0usize, 0, 0);
    loop {
        let sp = pos;
        while pos < s.len() {
            if s[pos] == b'.' {
                if dots >= 3 || s.get(pos + 1) == Some(&b'.') {
                    return ipv4_shape(word);
                }
                if pos + 1 == s.len() {
                    return Level::Partly;
                }
                dots += 1;
                break;
            }
            if !s[pos].is_ascii_digit() {
                return Level::No;
            }
            pos += 1;
        }
        if !octet_ok(&s[sp..pos]) {
            return ipv4_shape(word);
        }
        nums += 1;
        if pos == s.len() {
            break;
        }
        pos += 1;
    }
    if nums < 4 {
        Level::Partly
    } else {
        Level::Exact
    }
}

/// Four dot-separated runs of digits: an address with a bad part.
fn ipv4_shape(word: &str) -> Level {
    let mut n = 0;
    for part in word.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Level::No;
        }
        n += 1;
    }
    if n == 4 {
        Level::Shape
    } else {
        Level::No
    }
}

pub fn match_ipv4_prefix(word: &str) -> Level {
    let s = word.as_bytes();
    let (mut pos, mut dots) = (0usize, 0);
    loop {
        let sp = pos;
        while pos < s.len() && s[pos] != b'/' {
            if s[pos] == b'.' {
                if dots == 3 || matches!(s.get(pos + 1), Some(b'.' | b'/')) {
                    return ipv4_prefix_shape(word);
                }
                if pos + 1 == s.len() {
                    return Level::Partly;
                }
                dots += 1;
                break;
            }
            if !s[pos].is_ascii_digit() {
                return Level::No;
            }
            pos += 1;
        }
        if !octet_ok(&s[sp..pos]) {
            return ipv4_prefix_shape(word);
        }
        if dots == 3 {
            if pos < s.len() && s[pos] == b'/' {
                if pos + 1 == s.len() {
                    return Level::Partly;
                }
                pos += 1;
                break;
            } else if pos == s.len() {
                return Level::Partly;
            }
        }
        if pos == s.len() {
            return Level::Partly;
        }
        pos += 1;
    }
    let mask = &s[pos..];
    if !mask.iter().all(u8::is_ascii_digit) {
        return Level::No;
    }
    if saturating_decimal(mask, false) > 32 {
        return Level::Shape;
    }
    Level::Exact
}

fn ipv4_prefix_shape(word: &str) -> Level {
    match word.split_once('/') {
        Some((addr, len)) if !len.is_empty() && len.bytes().all(|b| b.is_ascii_digit()) => {
            if ipv4_shape(addr) == Level::Shape || match_ipv4(addr) == Level::Exact {
                Level::Shape
            } else {
                Level::No
            }
        }
        _ => Level::No,
    }
}

/// The characters of an IPv6 address (hex digits, `:`, and `.` of an embedded IPv4).
#[inline]
fn ipv6_char(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b':' || b == b'.'
}

fn match_ipv6(word: &str) -> Level {
    // Without a colon it is no IPv6 address (a quick exit for the common IPv4 case).
    if !word.contains(':') || !word.bytes().all(ipv6_char) {
        return Level::No;
    }
    if ipv6_value(word).is_some() {
        Level::Exact
    } else {
        Level::Partly
    }
}

/// FRR 8.4's state machine for `X:X::X:X/M` (it does not call `inet_pton`).
pub fn match_ipv6_prefix(word: &str) -> Level {
    #[derive(PartialEq, PartialOrd)]
    enum St {
        Start,
        Colon,
        Double,
        Addr,
        Dot,
        Slash,
        Mask,
    }
    let s = word.as_bytes();
    if !s.contains(&b':') || !s.iter().all(|&b| ipv6_char(b) || b == b'/') {
        return Level::No;
    }
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let (mut state, mut colons, mut nums, mut double_colon) = (St::Start, 0i32, 0, 0);
    let (mut sp, mut i) = (0usize, 0usize);
    while i < s.len() && state != St::Mask {
        match state {
            St::Start => {
                if s[i] == b':' {
                    if at(i + 1) != b':' && at(i + 1) != 0 {
                        return Level::No;
                    }
                    colons -= 1;
                    state = St::Colon;
                } else {
                    sp = i;
                    state = St::Addr;
                }
                continue;
            }
            St::Colon => {
                colons += 1;
                if at(i + 1) == b'/' {
                    return Level::No;
                } else if at(i + 1) == b':' {
                    state = St::Double;
                } else {
                    sp = i + 1;
                    state = St::Addr;
                }
            }
            St::Double => {
                if double_colon > 0 || at(i + 1) == b':' {
                    return Level::No;
                }
                if at(i + 1) != 0 && at(i + 1) != b'/' {
                    colons += 1;
                }
                sp = i + 1;
                state = if at(i + 1) == b'/' {
                    St::Slash
                } else {
                    St::Addr
                };
                double_colon += 1;
                nums += 1;
            }
            St::Addr => {
                let n = at(i + 1);
                if matches!(n, b':' | b'.' | 0 | b'/') {
                    if i - sp > 3 || s[sp..=i].contains(&b'/') {
                        return Level::No;
                    }
                    // FRR's check loop leaves its start pointer just past this group.
                    sp = i + 1;
                    nums += 1;
                    if n == b':' {
                        state = St::Colon;
                    } else if n == b'.' {
                        if colons > 0 || double_colon > 0 {
                            state = St::Dot;
                        } else {
                            return Level::No;
                        }
                    } else if n == b'/' {
                        state = St::Slash;
                    }
                }
            }
            St::Dot => state = St::Addr,
            St::Slash => {
                if at(i + 1) == 0 {
                    return Level::Partly;
                }
                state = St::Mask;
            }
            St::Mask => {}
        }
        if nums > 11 || colons > 7 {
            return Level::No;
        }
        i += 1;
    }
    if state < St::Mask {
        return Level::Partly;
    }
    let mask = &s[i..];
    if mask.is_empty() || !mask.iter().all(u8::is_ascii_digit) {
        return Level::No;
    }
    if saturating_decimal(mask, false) > 128 {
        return Level::Shape;
    }
    // The state machine lets through a few strings no address parser reads (such as a
    // leading zero in an embedded IPv4 part); FRR's daemons reject those, and so do we.
    if ipv6_prefix_value(word).is_none() {
        return Level::Partly;
    }
    Level::Exact
}

fn match_mac(word: &str, prefix: bool) -> Level {
    const EXPLEN: usize = 17;
    let s = word.as_bytes();
    if s.len() > EXPLEN + if prefix { 3 } else { 0 } {
        return Level::No;
    }
    let mut i = 0;
    while i < EXPLEN {
        let Some(&c) = s.get(i) else { break };
        if !(c.is_ascii_hexdigit() || c == b':') {
            break;
        }
        if ((i + 1) % 3 == 0) != (c == b':') {
            return Level::No;
        }
        i += 1;
    }
    if i < EXPLEN {
        return if i == s.len() {
            Level::Partly
        } else {
            Level::No
        };
    }
    if !prefix {
        return if i == s.len() {
            Level::Exact
        } else {
            Level::No
        };
    }
    match s.get(i) {
        None => Level::Partly,
        Some(b'/') => {
            let mask = &s[i + 1..];
            if mask.is_empty() {
                Level::Partly
            } else if !mask.iter().all(u8::is_ascii_digit) {
                Level::No
            } else if saturating_decimal(mask, false) > 48 {
                Level::Shape
            } else {
                Level::Exact
            }
        }
        Some(_) => Level::No,
    }
}

/// FRR 9.0's ASNUM: plain 1..4294967295 or asdot `A.B` (each 0..65535, not `0.0`).
fn match_asnum(word: &str) -> Level {
    match parse_asnum(word) {
        Ok(_) => Level::Exact,
        Err(true) => Level::Shape,
        Err(false) => Level::No,
    }
}

/// The AS number of a word, or whether it at least had the shape of one (`Err(true)`).
pub fn parse_asnum(word: &str) -> Result<u32, bool> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((hi, lo)) = word.split_once('.') {
        if !digits(hi) || !digits(lo) {
            return Err(false);
        }
        let (hi, lo) = (
            saturating_decimal(hi.as_bytes(), false),
            saturating_decimal(lo.as_bytes(), false),
        );
        if hi > 65535 || lo > 65535 || (hi == 0 && lo == 0) {
            return Err(true);
        }
        return Ok(((hi as u32) << 16) | lo as u32);
    }
    if !digits(word) {
        return Err(false);
    }
    match saturating_decimal(word.as_bytes(), false) {
        v @ 1..=4294967295 => Ok(v as u32),
        _ => Err(true),
    }
}

/// The address of a word that matched `A.B.C.D` exactly (FRR reads an empty part as 0).
pub fn ipv4_value(word: &str) -> Option<Ipv4Addr> {
    if let Some(a) = plain_ipv4(word.as_bytes()) {
        return Some(a);
    }
    let mut octets = [0u8; 4];
    let mut n = 0;
    let mut v: u32 = 0;
    for &b in word.as_bytes() {
        if b == b'.' {
            *octets.get_mut(n)? = u8::try_from(v).ok()?;
            n += 1;
            v = 0;
        } else if b.is_ascii_digit() {
            v = v * 10 + u32::from(b - b'0');
            if v > 255 {
                return None;
            }
        } else {
            return None;
        }
    }
    *octets.get_mut(n)? = u8::try_from(v).ok()?;
    (n == 3).then(|| Ipv4Addr::from(octets))
}

/// The prefix of a word that matched `A.B.C.D/M` exactly, host bits kept.
pub fn ipv4_prefix_value(word: &str) -> Option<ipnet::Ipv4Net> {
    let slash = word.bytes().position(|b| b == b'/')?;
    let len = u8::try_from(saturating_decimal(&word.as_bytes()[slash + 1..], false)).ok()?;
    ipnet::Ipv4Net::new(ipv4_value(&word[..slash])?, len).ok()
}

/// The prefix of a word that matched `X:X::X:X/M` exactly, host bits kept.
pub fn ipv6_prefix_value(word: &str) -> Option<ipnet::Ipv6Net> {
    let (addr, len) = word.split_once('/')?;
    let len = u8::try_from(saturating_decimal(len.as_bytes(), false)).ok()?;
    ipnet::Ipv6Net::new(ipv6_value(addr)?, len).ok()
}

/// An IPv6 address as the standard parser reads it (the common spelling on a fast path).
pub fn ipv6_value(word: &str) -> Option<Ipv6Addr> {
    plain_ipv6(word.as_bytes()).or_else(|| word.parse().ok())
}

/// The value of each byte as a hexadecimal digit (either case), or 0xff.
const HEX_DIGIT: [u8; 256] = {
    let mut t = [0xff; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            c @ b'A'..=b'F' => c - b'A' + 10,
            _ => 0xff,
        };
        b += 1;
    }
    t
};

/// The common spelling of an IPv6 address, read in one pass: groups of one to four hex
/// digits separated by `:`, with at most one `::`. Anything else (an embedded IPv4 tail, an
/// odd form) is `None`, for the standard parser to decide; where this returns an address,
/// the standard parser returns the same one (a test compares them).
fn plain_ipv6(s: &[u8]) -> Option<Ipv6Addr> {
    let mut head = [0u16; 8];
    let mut tail = [0u16; 8];
    let (mut nh, mut nt) = (0usize, 0usize);
    let mut gap = false;
    let mut i = 0;
    if s.starts_with(b"::") {
        gap = true;
        i = 2;
    }
    while i < s.len() {
        let start = i;
        let mut v: u16 = 0;
        while i < s.len() && i - start < 4 {
            let d = HEX_DIGIT[usize::from(s[i])];
            if d > 0xf {
                return None;
            }
            v = (v << 4) | u16::from(d);
            i += 1;
            if i < s.len() && s[i] == b':' {
                break;
            }
        }
        if i == start {
            return None;
        }
        if gap {
            *tail.get_mut(nt)? = v;
            nt += 1;
        } else {
            *head.get_mut(nh)? = v;
            nh += 1;
        }
        if i == s.len() {
            break;
        }
        if s[i] != b':' {
            return None;
        }
        i += 1;
        if i < s.len() && s[i] == b':' {
            if gap {
                return None;
            }
            gap = true;
            i += 1;
        } else if i == s.len() {
            return None;
        }
    }
    let groups = match gap {
        true if nh + nt <= 7 => {
            head[8 - nt..].copy_from_slice(&tail[..nt]);
            head
        }
        false if nh == 8 => head,
        _ => return None,
    };
    Some(Ipv6Addr::from(groups))
}

/// The plainest `/M` of a prefix: one to three digits without a leading zero, at most `max`.
fn plain_mask(s: &[u8], max: u8) -> Option<u8> {
    let ok = matches!(s.len(), 1..=3) && s.iter().all(u8::is_ascii_digit) && (s.len() == 1 || s[0] != b'0');
    if !ok {
        return None;
    }
    let v = s.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
    u8::try_from(v).ok().filter(|&v| v <= max)
}

/// A prefix-list entry's IPv4 prefix in its plainest spelling (four octets of 0-255 without
/// leading zeros, `/0`-`/32`), typed in one pass. Where this gives a prefix, the grammar's
/// token says `Exact` for the word and [`ipv4_prefix_value`] gives the same prefix (a test
/// compares them); anything else is `None`, for those two to decide.
pub fn plain_ipv4_prefix(word: &str) -> Option<ipnet::Ipv4Net> {
    let s = word.as_bytes();
    let (addr, i) = plain_ipv4_head(s)?;
    if s.get(i) != Some(&b'/') {
        return None;
    }
    let len = plain_mask(&s[i + 1..], 32)?;
    ipnet::Ipv4Net::new(addr, len).ok()
}

/// An IPv4 address in its plainest spelling, the whole word: four octets of 0-255 without
/// leading zeros. Where this gives an address, the grammar's `A.B.C.D` says `Exact` and
/// [`ipv4_value`] gives the same address (a test compares them).
pub fn plain_ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    match plain_ipv4_head(s)? {
        (addr, i) if i == s.len() => Some(addr),
        _ => None,
    }
}

/// The plainest address at the start of `s` and where it ends: one to three digits per
/// octet (a `0` alone), at most 255, separated by single dots.
#[inline]
fn plain_ipv4_head(s: &[u8]) -> Option<(Ipv4Addr, usize)> {
    let digit = |i: usize| s.get(i).map(|b| b.wrapping_sub(b'0')).filter(|&d| d < 10);
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let first = digit(i)?;
        let mut v = u32::from(first);
        i += 1;
        // A leading zero stands alone; otherwise up to two more digits.
        if first != 0 {
            if let Some(d) = digit(i) {
                v = v * 10 + u32::from(d);
                i += 1;
                if let Some(d) = digit(i) {
                    v = v * 10 + u32::from(d);
                    i += 1;
                }
            }
        }
        *octet = u8::try_from(v).ok()?;
    }
    Some((Ipv4Addr::from(octets), i))
}

/// A prefix-list entry's IPv6 prefix in its plainest spelling (hex groups as
/// [`plain_ipv6`] reads them, `/0`-`/128`), typed in one pass. Where this gives a prefix,
/// the grammar's token says `Exact` for the word and [`ipv6_prefix_value`] gives the same
/// prefix (a test compares them); anything else is `None`, for those two to decide.
pub fn plain_ipv6_prefix(word: &str) -> Option<ipnet::Ipv6Net> {
    let s = word.as_bytes();
    let slash = memchr::memrchr(b'/', s)?;
    let len = plain_mask(&s[slash + 1..], 128)?;
    ipnet::Ipv6Net::new(plain_ipv6(&s[..slash])?, len).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;

    /// Every string of up to `depth` characters from `alphabet`.
    fn each_string(alphabet: &[u8], depth: usize, f: &mut dyn FnMut(&str)) {
        fn go(alphabet: &[u8], word: &mut Vec<u8>, depth: usize, f: &mut dyn FnMut(&str)) {
            f(std::str::from_utf8(word).unwrap_or_default());
            if depth == 0 {
                return;
            }
            for &c in alphabet {
                word.push(c);
                go(alphabet, word, depth - 1, f);
                word.pop();
            }
        }
        go(alphabet, &mut Vec::new(), depth, f);
    }

    /// The one-pass prefix readers stand for the grammar's token and the value readers: where
    /// they give a prefix, the token says Exact and the value is the same. Over every short
    /// string of a small alphabet, and over octet and mask forms combined.
    #[test]
    fn plain_prefixes_agree_with_the_token_and_value_readers() {
        /// One word: `true` if the one-pass reader took it.
        fn agree<T: PartialEq + std::fmt::Debug>(w: &str, plain: fn(&str) -> Option<T>, token: fn(&str) -> Level, value: fn(&str) -> Option<T>) -> bool {
            let Some(p) = plain(w) else { return false };
            assert_eq!(token(w), Exact, "{w}");
            assert_eq!(value(w), Some(p), "{w}");
            true
        }
        let mut taken = [0usize; 2];
        let mut check6 = |w: &str| taken[1] += usize::from(agree(w, plain_ipv6_prefix, match_ipv6_prefix, ipv6_prefix_value));
        each_string(b"0f:1/28", 8, &mut check6);
        for w in ["2001:db8::/32", "1:2:3:4:5:6:7:8/128", "::/0", "fe80::1/64", "2001:0db8:0000::ffff/48", "ABCD:ef01::/16", "1::/129", "1::/064", "::ffff:1.2.3.4/96", "1::/", "/64", "1:2:3:4:5:6:7:8:9/64"] {
            check6(w);
        }
        let mut check4 = |w: &str| taken[0] += usize::from(agree(w, plain_ipv4_prefix, match_ipv4_prefix, ipv4_prefix_value));
        each_string(b"0129./", 8, &mut check4);
        let octets = ["0", "00", "01", "1", "9", "10", "99", "100", "199", "255", "256", "300", "999", "0000", "1000", ""];
        let masks = ["0", "00", "08", "8", "32", "33", "99", "100", "", "1a"];
        for a in octets {
            for b in octets {
                for c in ["0", "255", "256", "01"] {
                    for d in octets {
                        for m in masks {
                            check4(&format!("{a}.{b}.{c}.{d}/{m}"));
                        }
                    }
                }
            }
        }
        for w in ["10.0.0.0/8", "1.2.3.4/32", "0.0.0.0/0", "1.2.3/24", "1.2.3.4.5/32", "1.2.3.4/", "1.2.3.4"] {
            check4(w);
        }
        assert!(taken[0] > 3_000 && taken[1] > 10_000, "the readers took too little: {taken:?}");
    }

    /// The one-pass IPv4 reader stands for the grammar's token and the value reader, and
    /// takes every plain address: over every string of up to eight characters of a small
    /// alphabet and over octet forms combined.
    #[test]
    fn plain_ipv4_agrees_with_the_token_and_value_readers() {
        let mut taken = 0;
        let mut check = |w: &str| {
            let plain = plain_ipv4(w.as_bytes());
            if let Some(a) = plain {
                assert_eq!(match_ipv4(w), Exact, "{w}");
                assert_eq!(ipv4_value(w), Some(a), "{w}");
                taken += 1;
            }
            // Every plain spelling is taken: four octets of 0-255 without leading zeros.
            let parts: Vec<&str> = w.split('.').collect();
            let is_plain = parts.len() == 4
                && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) && (p.len() == 1 || !p.starts_with('0')) && p.parse::<u32>().is_ok_and(|v| v <= 255));
            assert_eq!(plain.is_some(), is_plain, "{w}");
        };
        each_string(b"0129.", 8, &mut check);
        let octets = ["0", "00", "01", "1", "9", "10", "99", "100", "199", "255", "256", "300", "999", "0000", "1000", ""];
        for a in octets {
            for b in octets {
                for c in ["0", "255", "256", "01", "1"] {
                    for d in octets {
                        check(&format!("{a}.{b}.{c}.{d}"));
                    }
                }
            }
        }
        for w in ["10.200.0.1", "1.2.3.4.5", "1.2.3", "1.2.3.4/32", "1..2.3", ".1.2.3", "1.2.3.4."] {
            check(w);
        }
        assert!(taken > 4_000, "the reader took only {taken} strings");
    }

    /// Where the one-pass reader gives an address, the standard parser gives the same one;
    /// over every string of up to ten characters from a small alphabet, and long forms.
    #[test]
    fn plain_ipv6_agrees_with_the_standard_parser() {
        let alphabet: &[u8] = b"0f:1.g";
        let mut taken = 0;
        let mut word = Vec::new();
        fn each(alphabet: &[u8], word: &mut Vec<u8>, depth: usize, taken: &mut usize) {
            let text = std::str::from_utf8(word).unwrap_or_default();
            let std: Option<Ipv6Addr> = text.parse().ok();
            if let Some(a) = plain_ipv6(word) {
                assert_eq!(Some(a), std, "{text}");
                *taken += 1;
            }
            if depth == 0 {
                return;
            }
            for &c in alphabet {
                word.push(c);
                each(alphabet, word, depth - 1, taken);
                word.pop();
            }
        }
        each(alphabet, &mut word, 8, &mut taken);
        assert!(taken > 1000, "the reader took only {taken} strings");
        for text in ["2001:db8::/32", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "fe80::1", "::", "2001:0db8:0000::ffff", "ABCD:ef01::"] {
            let addr = text.split('/').next().unwrap_or_default();
            assert_eq!(plain_ipv6(addr.as_bytes()), addr.parse().ok(), "{text}");
        }
        for text in ["1:2:3:4:5:6:7:8::", "1::2::3", ":1::", "1:", "12345::", "::ffff:1.2.3.4", "1:2:3:4:5:6:7"] {
            assert_eq!(plain_ipv6(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn keywords_abbreviate() {
        assert_eq!(match_keyword("neighbor", "nei"), Partly);
        assert_eq!(match_keyword("neighbor", "neighbor"), Exact);
        assert_eq!(match_keyword("neighbor", "neighbors"), No);
        assert_eq!(match_keyword("neighbor", "NEIGHBOR"), No);
        assert_eq!(match_keyword("neighbor", ""), No);
    }

    #[test]
    fn ipv4_like_frr_8_4() {
        assert_eq!(match_ipv4("10.0.0.1"), Exact);
        assert_eq!(match_ipv4(".1.2.3"), Exact);
        assert_eq!(match_ipv4("10.0"), Partly);
        assert_eq!(match_ipv4("1.2.3."), Partly);
        assert_eq!(match_ipv4("010.0.0.1"), Shape);
        assert_eq!(match_ipv4("1.2.3.256"), Shape);
        assert_eq!(match_ipv4("1.2.3.4."), No);
        assert_eq!(match_ipv4("1.2.3.x"), No);
        assert_eq!(ipv4_value(".1.2.3"), Some(Ipv4Addr::new(0, 1, 2, 3)));
    }

    #[test]
    fn ipv4_prefix_like_frr_8_4() {
        assert_eq!(match_ipv4_prefix("10.0.0.0/8"), Exact);
        assert_eq!(match_ipv4_prefix("10.0.0.0/32"), Exact);
        assert_eq!(match_ipv4_prefix("10.0.0.0/33"), Shape);
        assert_eq!(match_ipv4_prefix("10.0.0.0/033"), Shape);
        assert_eq!(match_ipv4_prefix("10.0.0.256/8"), Shape);
        assert_eq!(match_ipv4_prefix("10.0.0.0"), Partly);
        assert_eq!(match_ipv4_prefix("10.0.0.0/"), Partly);
        assert_eq!(match_ipv4_prefix("any"), No);
        assert_eq!(
            ipv4_prefix_value("10.1.1.1/8").map(|n| n.to_string()),
            Some("10.1.1.1/8".into())
        );
    }

    #[test]
    fn ipv6_like_frr_8_4() {
        assert_eq!(match_ipv6("2001:db8::1"), Exact);
        assert_eq!(match_ipv6("::ffff:1.2.3.4"), Exact);
        assert_eq!(match_ipv6("2001:db8::1%eth0"), No);
        assert_eq!(match_ipv6("2001:db8:"), Partly);
        assert_eq!(match_ipv6_prefix("2001:db8::/32"), Exact);
        assert_eq!(match_ipv6_prefix("::/0"), Exact);
        assert_eq!(match_ipv6_prefix("2001:DB8::/64"), Exact);
        assert_eq!(match_ipv6_prefix("::ffff:1.2.3.4/128"), Exact);
        assert_eq!(match_ipv6_prefix("2001:db8::1/064"), Exact);
        assert_eq!(match_ipv6_prefix("2001:db8::/129"), Shape);
        assert_eq!(match_ipv6_prefix("2001:db8:::/64"), No);
        assert_eq!(match_ipv6_prefix("2001:db8::/"), Partly);
        assert_eq!(match_ipv6_prefix("2001:db8::"), Partly);
        assert_eq!(match_ipv6_prefix("1:2:3:4:5:6:7:8:9/64"), No);
        assert_eq!(match_ipv6_prefix("12345::/64"), No);
        assert_eq!(match_ipv6_prefix("1::2::3/64"), No);
        assert_eq!(match_ipv6_prefix("1:2:3:4:5:6:7::/64"), Exact);
    }

    #[test]
    fn ranges_mac_asnum() {
        assert_eq!(match_word(Tok::Range(0, 65535), "+5"), Exact);
        assert_eq!(match_word(Tok::Range(0, 65535), "-0"), Exact);
        assert_eq!(match_word(Tok::Range(0, 65535), "0x5"), No);
        assert_eq!(match_word(Tok::Range(1, 4294967295), "4294967296"), Shape);
        assert_eq!(
            match_word(Tok::Range(1, 10), "99999999999999999999999"),
            Shape
        );
        assert_eq!(match_word(Tok::Range(-10, 10), "-7"), Exact);
        assert_eq!(match_mac("00:11:22:33:44:55", false), Exact);
        assert_eq!(match_mac("00:11:22:33:44:55/48", true), Exact);
        assert_eq!(match_mac("00:11:22:33:44:55/49", true), Shape);
        assert_eq!(match_mac("00:11:22", false), Partly);
        assert_eq!(match_mac("0011.2233.4455", false), No);
        assert_eq!(parse_asnum("65001"), Ok(65001));
        assert_eq!(parse_asnum("1.10"), Ok(65546));
        assert_eq!(parse_asnum("0.0"), Err(true));
        assert_eq!(parse_asnum("0"), Err(true));
        assert_eq!(parse_asnum("4294967296"), Err(true));
        assert_eq!(parse_asnum("65536.1"), Err(true));
        assert_eq!(parse_asnum("as1"), Err(false));
    }
}
