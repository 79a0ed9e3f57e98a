//! A lexer that knows just enough Rust to skip what can hide the word `mod`.
//!
//! Comments (nested), string literals of every kind, char literals and lifetimes are skipped
//! whole; identifiers, punctuation and delimiters are returned. It never allocates and never
//! panics: every slice goes through `str::get`.

/// What a token is, as far as the text scanner cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    /// An identifier or keyword; `raw` for `r#name`, whose text excludes the `r#`.
    Ident { text: &'a str, raw: bool },
    /// `(`, `[` or `{`.
    Open(u8),
    /// `)`, `]` or `}`.
    Close(u8),
    /// Any other ASCII punctuation, one byte at a time.
    Punct(u8),
    /// A string, char or number literal, or a lifetime: nothing the scanner looks into.
    Opaque,
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) kind: Kind<'a>,
    pub(crate) start: usize,
}

/// Input the lexer cannot get past, such as an unterminated string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) offset: usize,
    pub(crate) message: &'static str,
}

/// Walks `src` from a byte offset.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str, pos: usize) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            pos,
        }
    }

    /// The next token, or `None` at the end of the input.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token<'a>>, LexError> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(&byte) = self.bytes.get(start) else {
            return Ok(None);
        };
        let kind = match byte {
            b'"' => {
                self.pos += 1;
                self.quoted(b'"', start)?;
                Kind::Opaque
            }
            b'\'' => self.char_or_lifetime(start)?,
            b'0'..=b'9' => {
                self.pos = self.ident_end(start);
                Kind::Opaque
            }
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Kind::Open(byte)
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Kind::Close(byte)
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | 0x80.. => self.ident_or_prefixed(start)?,
            _ => {
                self.pos += 1;
                Kind::Punct(byte)
            }
        };
        Ok(Some(Token { kind, start }))
    }

    /// Skips whitespace and comments; returns the offset reached.
    pub(crate) fn skip_trivia(&mut self) -> Result<usize, LexError> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | 0x09..=0x0D) => self.pos += 1,
                Some(b'/') if self.byte_at(1) == Some(b'/') => {
                    self.pos = self.find_from(self.pos, |b| b == b'\n');
                }
                Some(b'/') if self.byte_at(1) == Some(b'*') => self.block_comment()?,
                Some(0x80..) => match self.char_at(self.pos) {
                    Some(c) if is_whitespace(c) => self.pos += c.len_utf8(),
                    _ => return Ok(self.pos),
                },
                _ => return Ok(self.pos),
            }
        }
    }

    /// `/* ... */`, where comments nest.
    fn block_comment(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        self.pos += 2;
        let mut depth = 1_usize;
        loop {
            self.pos = self.find_from(self.pos, |b| b == b'*' || b == b'/');
            match (self.bytes.get(self.pos), self.byte_at(1)) {
                (None, _) => {
                    return Err(LexError {
                        offset: start,
                        message: "unterminated block comment",
                    });
                }
                (Some(b'/'), Some(b'*')) => {
                    depth += 1;
                    self.pos += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    depth -= 1;
                    self.pos += 2;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The rest of a literal closed by `quote`, with backslash escapes; `pos` is past the opening.
    fn quoted(&mut self, quote: u8, start: usize) -> Result<(), LexError> {
        loop {
            self.pos = self.find_from(self.pos, |b| b == quote || b == b'\\');
            match self.bytes.get(self.pos) {
                None => {
                    return Err(LexError {
                        offset: start,
                        message: "unterminated literal",
                    });
                }
                // A continuation byte after `\` can never be a quote or a backslash.
                Some(b'\\') => self.pos += 2,
                Some(_) => {
                    self.pos += 1;
                    return Ok(());
                }
            }
        }
    }

    /// `r"..."`, `r#"..."#` and friends; `pos` is on the first `#` or the `"`.
    fn raw_string(&mut self, start: usize) -> Result<(), LexError> {
        let hashes_start = self.pos;
        self.pos = self.find_from(self.pos, |b| b != b'#');
        let hashes = self.pos - hashes_start;
        // The caller checked that a `"` follows the hashes.
        self.pos += 1;
        loop {
            self.pos = self.find_from(self.pos, |b| b == b'"');
            if self.pos >= self.bytes.len() {
                return Err(LexError {
                    offset: start,
                    message: "unterminated raw string",
                });
            }
            self.pos += 1;
            let closing = self
                .bytes
                .get(self.pos..self.pos + hashes)
                .is_some_and(|h| h.iter().all(|&b| b == b'#'));
            if closing {
                self.pos += hashes;
                return Ok(());
            }
        }
    }

    /// `'a'`, `'\n'` and `'\u{..}'` are chars; `'a` and `'static` are lifetimes.
    fn char_or_lifetime(&mut self, start: usize) -> Result<Kind<'a>, LexError> {
        let unterminated = LexError {
            offset: start,
            message: "unterminated char literal",
        };
        self.pos += 1;
        if self.bytes.get(self.pos) == Some(&b'\\') {
            // Skip the escaped character itself, which may be a quote: '\''.
            self.pos += 2;
            self.pos = self.find_from(self.pos, |b| b == b'\'' || b == b'\n');
            if self.bytes.get(self.pos) != Some(&b'\'') {
                return Err(unterminated);
            }
            self.pos += 1;
            return Ok(Kind::Opaque);
        }
        let Some(c) = self.char_at(self.pos) else {
            return Err(unterminated);
        };
        let after = self.pos + c.len_utf8();
        if self.bytes.get(after) == Some(&b'\'') {
            self.pos = after + 1;
            return Ok(Kind::Opaque);
        }
        if c == '_' || c.is_alphanumeric() {
            // A lifetime or label, possibly raw: 'r#ident.
            let mut end = self.ident_end(self.pos);
            if self.src.get(self.pos..end) == Some("r") && self.bytes.get(end) == Some(&b'#') {
                end = self.ident_end(end + 1);
            }
            self.pos = end;
            return Ok(Kind::Opaque);
        }
        Ok(Kind::Punct(b'\''))
    }

    /// An identifier, or a literal with a prefix: `b"..."`, `br#"..."#`, `c"..."`, `b'x'`.
    fn ident_or_prefixed(&mut self, start: usize) -> Result<Kind<'a>, LexError> {
        let end = self.ident_end(start);
        let text = self.src.get(start..end).unwrap_or_default();
        self.pos = end;
        match (text, self.bytes.get(end)) {
            ("b" | "c", Some(b'"')) => {
                self.pos += 1;
                self.quoted(b'"', start)?;
                Ok(Kind::Opaque)
            }
            ("b", Some(b'\'')) => {
                self.pos += 1;
                self.quoted(b'\'', start)?;
                Ok(Kind::Opaque)
            }
            ("r" | "br" | "cr", Some(b'"' | b'#')) => {
                let after_hashes = self.find_from(end, |b| b != b'#');
                if self.bytes.get(after_hashes) == Some(&b'"') {
                    self.raw_string(start)?;
                    return Ok(Kind::Opaque);
                }
                let raw_ident = text == "r"
                    && after_hashes == end + 1
                    && self.char_at(after_hashes).is_some_and(is_ident_start);
                if raw_ident {
                    self.pos = self.ident_end(after_hashes);
                    let text = self.src.get(after_hashes..self.pos).unwrap_or_default();
                    return Ok(Kind::Ident { text, raw: true });
                }
                Ok(Kind::Ident { text, raw: false })
            }
            _ if text.is_empty() => {
                // A non-ASCII character that cannot be part of an identifier.
                self.pos = start + self.char_at(start).map_or(1, char::len_utf8);
                Ok(Kind::Punct(b'?'))
            }
            _ => Ok(Kind::Ident { text, raw: false }),
        }
    }

    /// Where the identifier (or number) starting at `from` ends.
    fn ident_end(&self, from: usize) -> usize {
        let mut end = from;
        while let Some(&b) = self.bytes.get(end) {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => end += 1,
                0x80.. => match self.char_at(end) {
                    Some(c) if !is_whitespace(c) => end += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        end
    }

    /// The first offset at or after `from` whose byte matches, or the end of the input.
    fn find_from(&self, from: usize, pred: impl Fn(u8) -> bool) -> usize {
        self.bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| pred(b)))
            .map_or(self.bytes.len(), |i| from + i)
    }

    fn byte_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.src.get(at..).and_then(|s| s.chars().next())
    }
}

/// Rust's whitespace, as proc-macro2 and syn read it.
fn is_whitespace(c: char) -> bool {
    c.is_whitespace() || c == '\u{200e}' || c == '\u{200f}'
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

/// Turns byte offsets into 1-based lines and character columns, walking forward.
pub(crate) struct Lines<'a> {
    src: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self {
            src,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// The line and column of `offset`; cheap when offsets come in increasing order.
    pub(crate) fn locate(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            *self = Self::new(self.src);
        }
        let bytes = self.src.as_bytes();
        let end = offset.min(bytes.len());
        let walked = bytes.get(self.offset..end).unwrap_or_default();
        for (i, &b) in walked.iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = end;
        let column = self
            .src
            .get(self.line_start..end)
            .map_or(0, |s| s.chars().count());
        (self.line, column + 1)
    }
}
