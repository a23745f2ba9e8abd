//! Reads one `grammar/<node>.frr` file (format: docs/grammar.md) with nom: the `%` directives,
//! then one command per line in FRR's notation followed by `@` annotations. Errors are data
//! with the file and line, so that a test can list every mistake in the grammar at once.

use super::lexer::{next_lexeme, Lexeme};
use super::pattern::Elem;
use super::token::Tok;
use super::version::FrrVersion;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{space0, space1};
use nom::combinator::{all_consuming, map, opt, rest, value};
use nom::error::{Error, ErrorKind};
use nom::multi::{many0, separated_list1};
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};
use std::fmt;

/// A mistake in a grammar file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrammarError {
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grammar/{}:{}: {}", self.file, self.line, self.message)
    }
}

/// One file, read but not yet linked to the others.
#[derive(Clone, Debug, Default)]
pub struct FileAst {
    pub file: &'static str,
    pub node: Option<(&'static str, u32)>,
    pub parent: Option<(&'static str, u32)>,
    pub title: Option<&'static str>,
    /// `Some(true)` for `%checked`, `Some(false)` for `%opaque`.
    pub checked: Option<bool>,
    pub commands: Vec<CommandDecl>,
}

/// One command line of a grammar file.
#[derive(Clone, Debug)]
pub struct CommandDecl {
    pub line: u32,
    /// The command in FRR notation, without the annotations.
    pub text: &'static str,
    pub elems: Vec<Elem>,
    pub since: Option<FrrVersion>,
    pub until: Option<FrrVersion>,
    pub enter: Option<(&'static str, u32)>,
    pub exit: bool,
    pub end: bool,
    pub hidden: bool,
    pub deprecated: bool,
}

type Res<T> = IResult<&'static str, T>;

/// Which lines of a file to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The `%` directives only: enough to link the nodes.
    Header,
    /// The command lines only.
    Commands,
    /// Every line (a file read whole, in tests).
    #[cfg(test)]
    Both,
}

/// Read part of a file (see [`Part`]); every line read that could not be read is an error
/// and is left out.
pub fn parse_part(
    file: &'static str,
    text: &'static str,
    part: Part,
    errors: &mut Vec<GrammarError>,
) -> FileAst {
    let mut ast = FileAst {
        file,
        ..FileAst::default()
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let mut err = |message: String| {
            errors.push(GrammarError {
                file: file.to_string(),
                line,
                message,
            });
        };
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('%') {
            if part == Part::Commands {
                continue;
            }
            match directive(l) {
                Ok((_, d)) => {
                    let dup = match d {
                        Directive::Node(n) => ast.node.replace((n, line)).is_some(),
                        Directive::Parent(p) => ast.parent.replace((p, line)).is_some(),
                        Directive::Title(t) => ast.title.replace(t).is_some(),
                        Directive::Mode(c) => ast.checked.replace(c).is_some(),
                    };
                    if dup {
                        err(format!(
                            "`{}` given twice",
                            l.split_whitespace().next().unwrap_or(l)
                        ));
                    }
                }
                Err(_) => err(format!("unknown or malformed directive `{l}`")),
            }
            continue;
        }
        if part == Part::Header {
            continue;
        }
        match command_line(l, line) {
            Ok(c) => ast.commands.push(c),
            Err(m) => err(m),
        }
    }
    ast
}

#[derive(Clone)]
enum Directive {
    Node(&'static str),
    Parent(&'static str),
    Title(&'static str),
    Mode(bool),
}

fn node_name(i: &'static str) -> Res<&'static str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_').parse(i)
}

fn directive(i: &'static str) -> Res<Directive> {
    all_consuming(terminated(
        alt((
            map(preceded((tag("%node"), space1), node_name), Directive::Node),
            map(
                preceded((tag("%parent"), space1), node_name),
                Directive::Parent,
            ),
            map(
                preceded((tag("%title"), space1), rest),
                |t: &'static str| Directive::Title(t.trim()),
            ),
            value(Directive::Mode(true), tag("%checked")),
            value(Directive::Mode(false), tag("%opaque")),
        )),
        space0,
    ))
    .parse(i)
}

#[derive(Clone)]
enum Annotation {
    Since(&'static str),
    Until(&'static str),
    Enter(&'static str),
    Exit,
    End,
    Hidden,
    Deprecated,
}

fn version_text(i: &'static str) -> Res<&'static str> {
    take_while1(|c: char| !c.is_whitespace()).parse(i)
}

fn annotation(i: &'static str) -> Res<Annotation> {
    alt((
        map(
            preceded((tag("@since"), space1), version_text),
            Annotation::Since,
        ),
        map(
            preceded((tag("@until"), space1), version_text),
            Annotation::Until,
        ),
        map(
            preceded((tag("@enter"), space1), node_name),
            Annotation::Enter,
        ),
        value(Annotation::Exit, tag("@exit")),
        value(Annotation::End, tag("@end")),
        value(Annotation::Hidden, tag("@hidden")),
        value(Annotation::Deprecated, tag("@deprecated")),
    ))
    .parse(i)
}

fn annotations(i: &'static str) -> Res<Vec<Annotation>> {
    all_consuming(terminated(many0(preceded(space0, annotation)), space0)).parse(i)
}

/// Split a command line into notation and annotations and read both.
fn command_line(l: &'static str, line: u32) -> Result<CommandDecl, String> {
    let (text, notes) = match l.find('@') {
        Some(at) if !l[..at].ends_with([' ', '\t']) => {
            return Err("an annotation must follow the command after white space".into());
        }
        Some(at) => (l[..at].trim_end(), &l[at..]),
        None => (l, ""),
    };
    let elems = pattern(text)?;
    let notes = annotations(notes)
        .map_err(|_| format!("malformed annotation in `{notes}`"))?
        .1;
    let mut c = CommandDecl {
        line,
        text,
        elems,
        since: None,
        until: None,
        enter: None,
        exit: false,
        end: false,
        hidden: false,
        deprecated: false,
    };
    for n in notes {
        let version = |v: &str| {
            FrrVersion::parse(v).ok_or_else(|| format!("`{v}` is not a version (want e.g. 10.2)"))
        };
        match n {
            Annotation::Since(v) => c.since = Some(version(v)?),
            Annotation::Until(v) => c.until = Some(version(v)?),
            Annotation::Enter(node) => c.enter = Some((node, line)),
            Annotation::Exit => c.exit = true,
            Annotation::End => c.end = true,
            Annotation::Hidden => c.hidden = true,
            Annotation::Deprecated => c.deprecated = true,
        }
    }
    if let (Some(s), Some(u)) = (c.since, c.until) {
        if s >= u {
            return Err(format!("@since {s} is not before @until {u}"));
        }
    }
    if u8::from(c.enter.is_some()) + u8::from(c.exit) + u8::from(c.end) > 1 {
        return Err("at most one of @enter, @exit and @end".into());
    }
    Ok(c)
}

/// Read a command in FRR notation.
pub fn pattern(text: &'static str) -> Result<Vec<Elem>, String> {
    match all_consuming(terminated(seq, space0)).parse(text) {
        Ok((_, elems)) if elems.is_empty() => Err("empty command".into()),
        Ok((_, elems)) => Ok(elems),
        Err(e) => {
            let at = match e {
                nom::Err::Error(e) | nom::Err::Failure(e) => e.input,
                nom::Err::Incomplete(_) => "",
            };
            let col = text.len() - at.len() + 1;
            let near: String = at.trim_start().chars().take(12).collect();
            Err(format!(
                "cannot read the command at column {col} (near `{near}`): `{text}`"
            ))
        }
    }
}

fn fail<T>(i: &'static str) -> Res<T> {
    Err(nom::Err::Error(Error::new(i, ErrorKind::Verify)))
}

fn lexeme(i: &'static str) -> Res<Lexeme<'static>> {
    match next_lexeme(i) {
        Some((lx, rest)) => Ok((rest, lx)),
        None => Err(nom::Err::Error(Error::new(i, ErrorKind::Eof))),
    }
}

fn punct(c: char) -> impl Fn(&'static str) -> Res<()> {
    move |i| match lexeme(i)? {
        (rest, Lexeme::Punct(p)) if p == c => Ok((rest, ())),
        _ => fail(i),
    }
}

/// `$name` after a token or a bracket: a capture name, ignored.
fn varname(i: &'static str) -> Res<()> {
    let (rest, ()) = punct('$')(i)?;
    match lexeme(rest)? {
        (rest, Lexeme::Word(_) | Lexeme::Variable(_)) => Ok((rest, ())),
        _ => fail(i),
    }
}

fn ellipsis(i: &'static str) -> Res<()> {
    value((), (punct('.'), punct('.'), punct('.'))).parse(i)
}

/// A token after its lexeme `lx` (read from `i`, leaving `rest`), with `...` and `$name`.
fn simple(i: &'static str, lx: Lexeme<'static>, rest: &'static str) -> Res<Elem> {
    let tok = match lx {
        Lexeme::Word(w) => Tok::Keyword(w),
        Lexeme::Variable(v) => Tok::Variable(v),
        Lexeme::Range(lo, hi) if lo <= hi => Tok::Range(lo, hi),
        Lexeme::Ipv4 => Tok::Ipv4,
        Lexeme::Ipv4Prefix => Tok::Ipv4Prefix,
        Lexeme::Ipv6 => Tok::Ipv6,
        Lexeme::Ipv6Prefix => Tok::Ipv6Prefix,
        Lexeme::Mac => Tok::Mac,
        Lexeme::MacPrefix => Tok::MacPrefix,
        Lexeme::Asnum => Tok::Asnum,
        Lexeme::Range(..) | Lexeme::Punct(_) => return fail(i),
    };
    let (rest, (dots1, _, dots2)) = (opt(ellipsis), opt(varname), opt(ellipsis)).parse(rest)?;
    Ok((
        rest,
        Elem::Token {
            tok,
            repeat: dots1.is_some() || dots2.is_some(),
        },
    ))
}

fn alternatives(i: &'static str) -> Res<Vec<Vec<Elem>>> {
    separated_list1(punct('|'), seq).parse(i)
}

/// One element: a bracketed group (`<…>`, `[…]`, `{…}`, then an optional `$name`) or a
/// token. The first lexeme decides which, so it is read once.
fn element(i: &'static str) -> Res<Elem> {
    let (rest, lx) = lexeme(i)?;
    let (close, make): (char, fn(Vec<Vec<Elem>>) -> Elem) = match lx {
        Lexeme::Punct('<') => ('>', Elem::Choice),
        Lexeme::Punct('[') => (']', Elem::Optional),
        Lexeme::Punct('{') => ('}', Elem::Group),
        _ => return simple(i, lx, rest),
    };
    let (rest, alts) = terminated(alternatives, punct(close)).parse(rest)?;
    let (rest, _) = opt(varname).parse(rest)?;
    Ok((rest, make(alts)))
}

fn seq(i: &'static str) -> Res<Vec<Elem>> {
    many0(element).parse(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(k: &'static str) -> Elem {
        Elem::Token {
            tok: Tok::Keyword(k),
            repeat: false,
        }
    }

    #[test]
    fn reads_frr_notation() {
        let p = pattern("[no] neighbor <A.B.C.D|WORD$peer> remote-as <(1-4294967295)|internal>")
            .unwrap_or_default();
        assert_eq!(p.len(), 5);
        assert_eq!(p[0], Elem::Optional(vec![vec![kw("no")]]));
        assert_eq!(
            p[2],
            Elem::Choice(vec![
                vec![Elem::Token {
                    tok: Tok::Ipv4,
                    repeat: false
                }],
                vec![Elem::Token {
                    tok: Tok::Variable("WORD"),
                    repeat: false
                }]
            ])
        );
        let p = pattern("description LINE...").unwrap_or_default();
        assert_eq!(
            p[1],
            Elem::Token {
                tok: Tok::Variable("LINE"),
                repeat: true
            }
        );
        let p = pattern("bgp confederation peers (1-4294967295)...").unwrap_or_default();
        assert_eq!(
            p[3],
            Elem::Token {
                tok: Tok::Range(1, 4294967295),
                repeat: true
            }
        );
        let p = pattern("a {b|c d}$x").unwrap_or_default();
        assert_eq!(
            p[1],
            Elem::Group(vec![vec![kw("b")], vec![kw("c"), kw("d")]])
        );
        let p = pattern("coalesce-time(0-4294967295)").unwrap_or_default();
        assert_eq!(
            p,
            vec![
                kw("coalesce-time"),
                Elem::Token {
                    tok: Tok::Range(0, 4294967295),
                    repeat: false
                }
            ]
        );
    }

    #[test]
    fn reports_errors_with_lines() {
        let text = "%node bgp\n%parent config\n%checked\n\nneighbor <A.B.C.D|WORD\nexit @exit\nx @since ten\ny @enter\n%bogus\n";
        let mut errors = Vec::new();
        let ast = parse_part("bgp.frr", text, Part::Both, &mut errors);
        let lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![5, 7, 8, 9], "{errors:?}");
        assert_eq!(ast.commands.len(), 1);
        assert!(ast.commands[0].exit);
        assert_eq!(ast.node, Some(("bgp", 1)));
        assert!(errors[0].to_string().starts_with("grammar/bgp.frr:5: "));
    }

    #[test]
    fn reads_annotations() {
        let mut errors = Vec::new();
        let ast = parse_part(
            "bgp.frr",
            "neighbor WORD remote-as auto   @since 10.2 @deprecated\naddress-family ipv4 [unicast] @enter bgp-ipv4-unicast\n",
            Part::Both,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ast.commands[0].since, Some(FrrVersion::new(10, 2)));
        assert!(ast.commands[0].deprecated);
        assert_eq!(ast.commands[0].text, "neighbor WORD remote-as auto");
        assert_eq!(ast.commands[1].enter, Some(("bgp-ipv4-unicast", 2)));
    }
}
