//! The lexer for FRR's command notation, rule for rule as FRR's `lib/command_lex.l`: the
//! longest match wins and, on a tie, the earlier rule. That is why glued text such as
//! `startup-delay(0-3600)` splits into a keyword and a range, why `X:X::X:X` is an IPv6 token
//! and not a variable, and why a single upper-case letter is a keyword, not a variable.

/// One token of a command string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lexeme<'a> {
    Ipv4,
    Ipv4Prefix,
    Ipv6,
    Ipv6Prefix,
    Mac,
    MacPrefix,
    Asnum,
    /// `WORD`, `AA:NN`, `RMAP_NAME`: upper-case start, two characters or more.
    Variable(&'a str),
    /// A keyword.
    Word(&'a str),
    /// `(N-M)`; numbers saturate like `strtoll`.
    Range(i64, i64),
    /// Any other single character: `< > [ ] { } | $ .`
    Punct(char),
}

/// Fixed-text rules, in FRR's rule order (they come before VARIABLE and WORD).
const FIXED: &[(&str, Lexeme<'static>)] = &[
    ("A.B.C.D", Lexeme::Ipv4),
    ("A.B.C.D/M", Lexeme::Ipv4Prefix),
    ("X:X::X:X", Lexeme::Ipv6),
    ("X:X::X:X/M", Lexeme::Ipv6Prefix),
    ("X:X:X:X:X:X", Lexeme::Mac),
    ("X:X:X:X:X:X/M", Lexeme::MacPrefix),
    ("ASNUM", Lexeme::Asnum),
];

/// Skip blanks (`[ \t]+`, as the lexer does) and read one token: the token and the input
/// after it, or `None` at the end of the input.
pub fn next_lexeme(input: &str) -> Option<(Lexeme<'_>, &str)> {
    let s = input.trim_start_matches([' ', '\t']);
    let first = s.chars().next()?;
    // The best match so far: (length, token); a later rule must be longer to replace it.
    let mut best: Option<(usize, Lexeme<'_>)> = None;
    fn consider<'a>(len: usize, lx: Lexeme<'a>, best: &mut Option<(usize, Lexeme<'a>)>) {
        if len > 0 && best.is_none_or(|(l, _)| len > l) {
            *best = Some((len, lx));
        }
    }
    for (text, lx) in FIXED {
        if s.starts_with(text) {
            consider(text.len(), *lx, &mut best);
        }
    }
    let var = variable_len(s);
    consider(var, Lexeme::Variable(&s[..var]), &mut best);
    let word = word_len(s);
    consider(word, Lexeme::Word(&s[..word]), &mut best);
    if let Some((len, lo, hi)) = range(s) {
        consider(len, Lexeme::Range(lo, hi), &mut best);
    }
    let (len, lx) = best.unwrap_or((first.len_utf8(), Lexeme::Punct(first)));
    Some((lx, &s[len..]))
}

/// `[A-Z][-_A-Z:0-9]+`
fn variable_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first().is_none_or(|c| !c.is_ascii_uppercase()) {
        return 0;
    }
    let n = 1 + b[1..]
        .iter()
        .take_while(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b':')
        })
        .count();
    if n >= 2 {
        n
    } else {
        0
    }
}

/// `(\-|\+)?[a-zA-Z0-9\*][-+_a-zA-Z0-9\*]*`
fn word_len(s: &str) -> usize {
    let b = s.as_bytes();
    let sign = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let start_ok = |c: &u8| c.is_ascii_alphanumeric() || *c == b'*';
    if !b.get(sign).is_some_and(start_ok) {
        return 0;
    }
    sign + 1
        + b[sign + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'*' | b'-' | b'+' | b'_'))
            .count()
}

/// `\((\-|\+)?[0-9]{1,20}[ ]?\-[ ]?(\-|\+)?[0-9]{1,20}\)`: length, low, high.
fn range(s: &str) -> Option<(usize, i64, i64)> {
    let b = s.as_bytes();
    let mut i = 0;
    let expect = |c: u8, i: &mut usize| -> Option<()> { (b.get(*i) == Some(&c)).then(|| *i += 1) };
    expect(b'(', &mut i)?;
    let lo = number(b, &mut i)?;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    expect(b'-', &mut i)?;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    let hi = number(b, &mut i)?;
    expect(b')', &mut i)?;
    Some((i, lo, hi))
}

fn number(b: &[u8], i: &mut usize) -> Option<i64> {
    let start = *i;
    let neg = match b.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    };
    let digits = b[*i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 20 {
        *i = start;
        return None;
    }
    let text = &b[*i..*i + digits];
    *i += digits;
    Some(saturating_decimal(text, neg))
}

/// The value `strtoll` gives for a run of ASCII digits: clamped to the `i64` range.
pub fn saturating_decimal(digits: &[u8], negative: bool) -> i64 {
    // The magnitude stops growing once past i64::MAX + 1: every larger value clamps alike.
    const CAP: u64 = i64::MAX as u64 + 1;
    let mut v: u64 = 0;
    for d in digits {
        v = v
            .saturating_mul(10)
            .saturating_add(u64::from(d.wrapping_sub(b'0')))
            .min(CAP);
    }
    if negative {
        0i64.checked_sub_unsigned(v).unwrap_or(i64::MIN)
    } else {
        i64::try_from(v).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<Lexeme<'_>> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some((lx, r)) = next_lexeme(rest) {
            out.push(lx);
            rest = r;
        }
        out
    }

    #[test]
    fn splits_glued_tokens_like_flex() {
        assert_eq!(
            all("startup-delay(0-3600)"),
            vec![Lexeme::Word("startup-delay"), Lexeme::Range(0, 3600)]
        );
        assert_eq!(
            all("(1-16777215)[prefix-routes-only]"),
            vec![
                Lexeme::Range(1, 16777215),
                Lexeme::Punct('['),
                Lexeme::Word("prefix-routes-only"),
                Lexeme::Punct(']')
            ]
        );
        assert_eq!(
            all("( -10 - +10 )"),
            vec![
                Lexeme::Punct('('),
                Lexeme::Word("-10"),
                Lexeme::Punct('-'),
                Lexeme::Word("+10"),
                Lexeme::Punct(')')
            ]
        );
        assert_eq!(all("(-10 - 10)"), vec![Lexeme::Range(-10, 10)]);
    }

    #[test]
    fn classifies_placeholders() {
        assert_eq!(
            all("A.B.C.D/M X:X::X:X X:X:X:X:X:X/M ASNUM"),
            vec![
                Lexeme::Ipv4Prefix,
                Lexeme::Ipv6,
                Lexeme::MacPrefix,
                Lexeme::Asnum
            ]
        );
        assert_eq!(
            all("AA:NN WORD W matching-MED-only"),
            vec![
                Lexeme::Variable("AA:NN"),
                Lexeme::Variable("WORD"),
                Lexeme::Word("W"),
                Lexeme::Word("matching-MED-only")
            ]
        );
        assert_eq!(
            all("LINE...$x"),
            vec![
                Lexeme::Variable("LINE"),
                Lexeme::Punct('.'),
                Lexeme::Punct('.'),
                Lexeme::Punct('.'),
                Lexeme::Punct('$'),
                Lexeme::Word("x")
            ]
        );
    }

    #[test]
    fn numbers_saturate() {
        assert_eq!(saturating_decimal(b"99999999999999999999", false), i64::MAX);
        assert_eq!(saturating_decimal(b"99999999999999999999", true), i64::MIN);
        assert_eq!(saturating_decimal(b"42", true), -42);
    }
}
