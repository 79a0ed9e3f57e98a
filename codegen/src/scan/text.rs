//! Finding `mod` items without parsing: the cheap path for files that hold no config.
//!
//! Only module-level tokens are looked at. Every `{ ... }` that is not an inline module's body
//! (function bodies, impls, macro calls) is skipped whole, which is also what the syn walk does.

use std::fmt;
use std::ops::Range;

use syn::Attribute;
use syn::parse::{Parse, ParseStream, Parser};

use super::attrs::{ModAttrs, cfg_texts};
use super::decls::{FileDecls, ModDecl};
use super::lexer::{Kind, LexError, Lexer, Lines, Token};
use super::vis::Visibility;

/// Deeper inline nesting is refused rather than risking the stack.
const MAX_INLINE_DEPTH: usize = 128;

/// Why the text scanner gave up on a file, at a 1-based line and character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl FileDecls {
    /// The `mod` items of `src`, found by a text scan that skips comments and literals.
    ///
    /// # Errors
    ///
    /// Unterminated comments or literals, unbalanced delimiters, and malformed attributes on a
    /// `mod` item: the file would not compile, and its modules cannot be trusted.
    pub fn from_text(src: &str) -> Result<Self, TextError> {
        // syn strips the BOM too, so columns on line 1 agree.
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let mut scanner = Scanner {
            src,
            lexer: Lexer::new(src, shebang_end(src)),
            peeked: None,
            lines: Lines::new(src),
        };
        let result = scanner.items(None, 0).and_then(|body| {
            let inner = parse_attrs(src, &body.inner, Attribute::parse_inner)?;
            Ok(FileDecls {
                inner_cfgs: cfg_texts(&inner),
                mods: body.mods,
            })
        });
        result.map_err(|fail| {
            let (line, column) = Lines::new(src).locate(fail.offset);
            TextError {
                line,
                column,
                message: fail.message,
            }
        })
    }
}

/// A failure at a byte offset.
struct Fail {
    offset: usize,
    message: String,
}

impl Fail {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
        }
    }
}

impl From<LexError> for Fail {
    fn from(e: LexError) -> Self {
        Self::new(e.offset, e.message)
    }
}

/// The contents of a file or of an inline module's braces.
#[derive(Default)]
struct Body {
    mods: Vec<ModDecl>,
    /// Byte ranges of `#![...]` attributes.
    inner: Vec<Range<usize>>,
}

struct Scanner<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token<'a>>,
    lines: Lines<'a>,
}

impl<'a> Scanner<'a> {
    fn next(&mut self) -> Result<Option<Token<'a>>, Fail> {
        match self.peeked.take() {
            Some(token) => Ok(Some(token)),
            None => Ok(self.lexer.next_token()?),
        }
    }

    fn push_back(&mut self, token: Token<'a>) {
        self.peeked = Some(token);
    }

    /// Items up to the end of input, or up to the `}` matching the `{` at `open`.
    fn items(&mut self, open: Option<usize>, depth: usize) -> Result<Body, Fail> {
        let mut body = Body::default();
        // Outer attributes seen since the last item ended; they belong to the next item.
        let mut pending: Vec<Range<usize>> = Vec::new();
        // The visibility just before this token; only `unsafe` may stand between it and `mod`.
        let mut vis = Vis::None;
        loop {
            let Some(token) = self.next()? else {
                return match open {
                    None => Ok(body),
                    Some(at) => Err(Fail::new(at, "this `{` is never closed")),
                };
            };
            let before = std::mem::take(&mut vis);
            match token.kind {
                Kind::Punct(b'#') => {
                    let inner = self.eat(Kind::Punct(b'!'))?;
                    if let Some(end) = self.bracketed()? {
                        let range = token.start..end;
                        if inner {
                            body.inner.push(range);
                        } else {
                            pending.push(range);
                        }
                    }
                }
                Kind::Ident {
                    text: "pub",
                    raw: false,
                } => vis = Vis::Pub(token.start),
                Kind::Ident {
                    text: "unsafe",
                    raw: false,
                } => vis = before.closed(),
                Kind::Ident {
                    text: "mod",
                    raw: false,
                } => {
                    let written = before.closed().range();
                    if let Some(decl) = self.module(token.start, &pending, written, depth)? {
                        body.mods.push(decl);
                    }
                    pending.clear();
                }
                Kind::Open(delim) => {
                    let end = self.skip_group(token.start, delim)?;
                    // `pub(crate)`, `pub(in path)`: the group right after `pub` belongs to it.
                    if let (b'(', Vis::Pub(start)) = (delim, before) {
                        vis = Vis::Written(start..end);
                    }
                    // A brace group ends an item; `pub(crate)` or `[T; N]` do not.
                    if delim == b'{' {
                        pending.clear();
                    }
                }
                Kind::Close(b'}') if open.is_some() => return Ok(body),
                Kind::Close(_) => {
                    return Err(Fail::new(token.start, "unexpected closing delimiter"));
                }
                Kind::Punct(b';') => pending.clear(),
                _ => {}
            }
        }
    }

    /// After `mod`: `name;` or `name { ... }`; anything else is not a module item.
    fn module(
        &mut self,
        at: usize,
        outer: &[Range<usize>],
        vis: Option<Range<usize>>,
        depth: usize,
    ) -> Result<Option<ModDecl>, Fail> {
        let Some(name_token) = self.next()? else {
            return Ok(None);
        };
        let Kind::Ident { text: name, .. } = name_token.kind else {
            self.push_back(name_token);
            return Ok(None);
        };
        let Some(after) = self.next()? else {
            return Ok(None);
        };
        let (line, column) = self.lines.locate(at);
        let outer_attrs = parse_attrs(self.src, outer, Attribute::parse_outer)?;
        let (attrs, body) = match after.kind {
            Kind::Punct(b';') => (outer_attrs, None),
            Kind::Open(b'{') => {
                if depth >= MAX_INLINE_DEPTH {
                    return Err(Fail::new(at, "inline modules are nested too deeply"));
                }
                let inner = self.items(Some(after.start), depth + 1)?;
                let mut attrs = outer_attrs;
                attrs.extend(parse_attrs(self.src, &inner.inner, Attribute::parse_inner)?);
                (attrs, Some(inner.mods))
            }
            _ => {
                self.push_back(after);
                return Ok(None);
            }
        };
        let vis = match vis {
            Some(range) => parse_vis(self.src, range)?,
            None => Visibility::Private,
        };
        Ok(Some(ModDecl {
            name: name.to_owned(),
            line,
            column,
            vis,
            attrs: ModAttrs::read(&attrs),
            body,
        }))
    }

    /// Consumes the next token when it is `expected`.
    fn eat(&mut self, expected: Kind<'_>) -> Result<bool, Fail> {
        match self.next()? {
            Some(token) if token.kind == expected => Ok(true),
            Some(token) => {
                self.push_back(token);
                Ok(false)
            }
            None => Ok(false),
        }
    }

    /// Consumes a `[ ... ]` group when one comes next, returning the offset after its `]`.
    fn bracketed(&mut self) -> Result<Option<usize>, Fail> {
        match self.next()? {
            Some(Token {
                kind: Kind::Open(b'['),
                start,
            }) => self.skip_group(start, b'[').map(Some),
            Some(token) => {
                self.push_back(token);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// Skips to the delimiter matching `open` at offset `at`; returns the offset after it.
    fn skip_group(&mut self, at: usize, open: u8) -> Result<usize, Fail> {
        // A heap stack, not recursion: deep nesting cannot overflow.
        let mut expected = vec![closer(open)];
        while let Some(token) = self.next()? {
            match token.kind {
                Kind::Open(d) => expected.push(closer(d)),
                Kind::Close(d) => {
                    if expected.pop() != Some(d) {
                        return Err(Fail::new(token.start, "mismatched closing delimiter"));
                    }
                    if expected.is_empty() {
                        return Ok(token.start + 1);
                    }
                }
                _ => {}
            }
        }
        Err(Fail::new(at, "unclosed delimiter"))
    }
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// Where the scanner is in reading a visibility.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Vis {
    /// None read, or something else came after it.
    #[default]
    None,
    /// `pub` at this offset, which a `(...)` may still extend.
    Pub(usize),
    /// A whole visibility: `pub` and maybe its `(...)`, as a byte range.
    Written(Range<usize>),
}

impl Vis {
    /// The same visibility, which no `(...)` can extend any more.
    fn closed(self) -> Self {
        match self {
            Self::Pub(start) => Self::Written(start..start + "pub".len()),
            other => other,
        }
    }

    fn range(self) -> Option<Range<usize>> {
        match self {
            Self::Written(range) => Some(range),
            Self::None | Self::Pub(_) => None,
        }
    }
}

/// Parses a visibility's source text with syn, so it reads the same on both paths.
fn parse_vis(src: &str, range: Range<usize>) -> Result<Visibility, Fail> {
    let text = src.get(range.clone()).unwrap_or_default();
    if text == "pub" {
        // The usual case, without a parse.
        return Ok(Visibility::Public);
    }
    syn::Visibility::parse
        .parse_str(text)
        .map(|vis| Visibility::from_syn(&vis))
        .map_err(|e| Fail::new(range.start, format!("malformed visibility: {e}")))
}

/// Parses attribute source text with syn, so attributes read the same on both paths.
fn parse_attrs(
    src: &str,
    ranges: &[Range<usize>],
    parser: fn(ParseStream<'_>) -> syn::Result<Vec<Attribute>>,
) -> Result<Vec<Attribute>, Fail> {
    let Some(first) = ranges.first() else {
        return Ok(Vec::new());
    };
    let text: Vec<&str> = ranges
        .iter()
        .map(|r| src.get(r.clone()).unwrap_or_default())
        .collect();
    parser
        .parse_str(&text.join("\n"))
        .map_err(|e| Fail::new(first.start, format!("malformed attribute: {e}")))
}

/// Where scanning starts: after a `#!` line, unless it begins an inner attribute `#![...]`.
fn shebang_end(src: &str) -> usize {
    if !src.starts_with("#!") {
        return 0;
    }
    let mut lexer = Lexer::new(src, 2);
    match lexer.skip_trivia() {
        Ok(at) if src.as_bytes().get(at) == Some(&b'[') => 0,
        _ => src.find('\n').unwrap_or(src.len()),
    }
}
