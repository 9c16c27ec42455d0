//! The shell language a learner types, as a typed tree: a line (or several) is lexed into words
//! and operators and parsed into lists of pipelines joined by `;`, `&`, newlines, `&&` and `||`,
//! with `for NAME [in WORDS]; do LIST; done`, `while`/`until LIST; do LIST; done`,
//! `if LIST; then LIST; [elif LIST; then LIST;]… [else LIST;] fi`, `( LIST )`, `{ LIST; }`, `!`,
//! assignments `X=1` and words made of literal, quoted and expanded parts (`$X`, `${X}`, `$?`,
//! `$(…)`, `` `…` ``, `$((…))`). Quotes and backslashes work as POSIX says; `#` starts a comment.
//! Redirections, `case`, functions, here-documents and globbing are not part of it (`>` and `<`
//! stay ordinary word characters, as before).
//!
//! Parsing never fails hard: input that stops inside a construct (an open `for`, a trailing
//! `&&` or `|`, an open quote or `$(`) is [`ParseError::Incomplete`], so the terminal can show
//! the `> ` continuation prompt and parse again with the next line; anything else wrong is a
//! syntax error worded by [`ParseError::message`] as bash 5, busybox ash or dash print it.

/// Which shell the terminal is: it decides the syntax error texts and the prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// GNU bash 5 (ubuntu and debian images, the workstation, the node after `minikube ssh`).
    Bash,
    /// busybox ash (busybox and alpine images).
    Ash,
    /// dash (`sh` in debian-based images).
    Dash,
}

impl Flavor {
    /// The shell `prog` (`sh`, `bash`, `ash`; its base name) is in an image of `distro`:
    /// busybox's ash in busybox and alpine images, bash when asked for by name, and `sh` in
    /// Debian and Ubuntu images is dash.
    pub fn of_image(distro: &str, prog: &str) -> Flavor {
        if distro == "busybox" || distro == "alpine" {
            Flavor::Ash
        } else if prog == "bash" {
            Flavor::Bash
        } else {
            Flavor::Dash
        }
    }
}

/// One piece of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted literal text (a keyword or assignment if it is the whole word's start).
    Lit(String),
    /// Text from quotes or a backslash: never split, never a keyword.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`…; `true` inside double quotes (not split).
    Var(String, bool),
    /// `$(…)` or `` `…` ``: the source inside; `true` inside double quotes.
    Subst(String, bool),
    /// `$((…))`: the expression; `true` inside double quotes.
    Arith(String, bool),
}

/// A word as typed: its parts, expanded when the command runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// The word's text if it is one unquoted literal (what keywords and names must be).
    pub fn plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// `NAME=value`: the name and the value's parts.
    fn assignment(&self) -> Option<(String, Word)> {
        let Some(Part::Lit(first)) = self.0.first() else { return None };
        let (name, rest) = first.split_once('=')?;
        if !is_name(name) {
            return None;
        }
        let mut parts = Vec::new();
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
        }
        parts.extend(self.0[1..].iter().cloned());
        Some((name.to_string(), Word(parts)))
    }
}

/// A valid shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word),
    /// `&&`, `||`, `;`, `;;`, `&`, `|`, `(`, `)`, `\n`.
    Op(&'static str),
    /// A redirection operator (its target is the next word).
    Redir(RedirOp, Option<u8>),
}

/// A redirection operator: `>`, `>>`, `<`, `>&` (`2>&1`), `&>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    Out,
    Append,
    In,
    Dup,
    /// `&>` (bash): standard output and error.
    Both,
}

/// `[fd]op target`, e.g. `> /dev/null`, `2>&1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redir {
    pub fd: Option<u8>,
    pub op: RedirOp,
    pub target: Word,
}

/// A simple or compound command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cmd {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: List,
    },
    Loop {
        until: bool,
        cond: List,
        body: List,
    },
    If {
        arms: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    /// `( LIST )` (true: a subshell, variables set inside are lost) or `{ LIST; }`.
    Group(List, bool),
}

/// `[!] cmd | cmd …`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Cmd>,
}

/// A pipeline, then more joined by `&&` (true) or `||` (false).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(bool, Pipeline)>,
}

pub type List = Vec<AndOr>;

/// The token a syntax error is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Word(String),
    Keyword(String),
    Op(&'static str),
    Newline,
}

/// Why a line does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The input ends inside a construct: more lines may complete it. `expecting` is the
    /// keyword the parser waits for (ash and dash name it at end of file).
    Incomplete {
        expecting: Option<&'static str>,
        quote: Option<char>,
    },
    Unexpected {
        found: Found,
        expecting: Option<&'static str>,
    },
    /// `for` not followed by a valid name.
    BadForVar(Option<String>),
    /// A construct sdplay does not simulate (`case`, functions).
    Unsupported(&'static str),
}

const RESERVED_CLOSERS: &[&str] = &["do", "done", "then", "elif", "else", "fi", "}", "esac"];
const RESERVED: &[&str] = &[
    "!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while", "{", "}",
];

impl ParseError {
    /// The error as the shell prints it (`prefix` is `bash`, `-bash`, `sh` or `sh: 1`), with
    /// the line's exit status. `eof` says the input really ended (Ctrl-D) rather than a line.
    pub fn message(&self, flavor: Flavor, prefix: &str) -> (String, i32) {
        let tok = |f: &Found| match (flavor, f) {
            (Flavor::Bash, Found::Word(w) | Found::Keyword(w)) => w.clone(),
            (Flavor::Bash, Found::Op(o)) => o.to_string(),
            (_, Found::Newline) => "newline".into(),
            (_, Found::Word(_)) => "word".into(),
            (_, Found::Keyword(k)) => format!("\"{k}\""),
            (_, Found::Op(o)) => format!("\"{o}\""),
        };
        let expecting = |e: &Option<&str>| e.map(|k| format!(" (expecting \"{k}\")")).unwrap_or_default();
        let text = match (self, flavor) {
            (ParseError::Unexpected { found, .. }, Flavor::Bash) => {
                let t = match found {
                    Found::Newline => "newline".to_string(),
                    f => tok(f),
                };
                format!("{prefix}: syntax error near unexpected token `{t}'\n")
            }
            (ParseError::Unexpected { found, expecting: e }, Flavor::Ash) => {
                format!("{prefix}: syntax error: unexpected {}{}\n", tok(found), expecting(e))
            }
            (ParseError::Unexpected { found, expecting: e }, Flavor::Dash) => {
                format!("{prefix}: Syntax error: {} unexpected{}\n", tok(found), expecting(e))
            }
            (ParseError::Incomplete { quote: Some(q), .. }, Flavor::Bash) => {
                format!("{prefix}: unexpected EOF while looking for matching `{q}'\n{prefix}: syntax error: unexpected end of file\n")
            }
            (ParseError::Incomplete { quote: Some(_), .. }, Flavor::Ash) => {
                format!("{prefix}: syntax error: unterminated quoted string\n")
            }
            (ParseError::Incomplete { quote: Some(_), .. }, Flavor::Dash) => {
                format!("{prefix}: Syntax error: Unterminated quoted string\n")
            }
            (ParseError::Incomplete { .. }, Flavor::Bash) => format!("{prefix}: syntax error: unexpected end of file\n"),
            (ParseError::Incomplete { expecting: e, .. }, Flavor::Ash) => {
                format!("{prefix}: syntax error: unexpected end of file{}\n", expecting(e))
            }
            (ParseError::Incomplete { expecting: e, .. }, Flavor::Dash) => {
                format!("{prefix}: Syntax error: end of file unexpected{}\n", expecting(e))
            }
            (ParseError::BadForVar(Some(v)), Flavor::Bash) => {
                return (format!("{prefix}: `{v}': not a valid identifier\n"), 1);
            }
            (ParseError::BadForVar(None), Flavor::Bash) => format!("{prefix}: syntax error near unexpected token `newline'\n"),
            (ParseError::BadForVar(_), Flavor::Ash) => format!("{prefix}: syntax error: bad for loop variable\n"),
            (ParseError::BadForVar(_), Flavor::Dash) => format!("{prefix}: Syntax error: Bad for loop variable\n"),
            (ParseError::Unsupported(what), _) => {
                return (format!("sdplay: `{what}` is not simulated in this shell\n"), 2);
            }
        };
        (text, 2)
    }
}

/// Parse a whole input (one line, or several joined by `\n`).
pub fn parse(src: &str) -> Result<List, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0 };
    p.program()
}

fn lex(src: &str) -> Result<Vec<Tok>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    let mut lit = String::new();
    let mut in_word = false;
    let mut i = 0;
    let incomplete = |q: Option<char>| ParseError::Incomplete { expecting: None, quote: q };
    fn flush_lit(lit: &mut String, parts: &mut Vec<Part>) {
        if !lit.is_empty() {
            parts.push(Part::Lit(std::mem::take(lit)));
        }
    }
    fn end_word(lit: &mut String, parts: &mut Vec<Part>, in_word: &mut bool, out: &mut Vec<Tok>) {
        if *in_word {
            flush_lit(lit, parts);
            out.push(Tok::Word(Word(std::mem::take(parts))));
            *in_word = false;
        }
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => {
                in_word = true;
                flush_lit(&mut lit, &mut parts);
                let start = i + 1;
                let Some(end) = chars[start..].iter().position(|&ch| ch == '\'') else {
                    return Err(incomplete(Some('\'')));
                };
                parts.push(Part::Quoted(chars[start..start + end].iter().collect()));
                i = start + end + 1;
            }
            '"' => {
                in_word = true;
                flush_lit(&mut lit, &mut parts);
                i += 1;
                let mut q = String::new();
                loop {
                    let Some(&ch) = chars.get(i) else {
                        return Err(incomplete(Some('"')));
                    };
                    match ch {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' => match chars.get(i + 1) {
                            Some(&n @ ('"' | '\\' | '$' | '`')) => {
                                q.push(n);
                                i += 2;
                            }
                            Some('\n') => i += 2,
                            Some(&n) => {
                                q.push('\\');
                                q.push(n);
                                i += 2;
                            }
                            None => return Err(incomplete(Some('"'))),
                        },
                        '$' | '`' => {
                            let (part, next) = dollar(&chars, i, true)?;
                            match part {
                                Some(p) => {
                                    if !q.is_empty() {
                                        parts.push(Part::Quoted(std::mem::take(&mut q)));
                                    }
                                    parts.push(p);
                                }
                                None => q.push('$'),
                            }
                            i = next;
                        }
                        _ => {
                            q.push(ch);
                            i += 1;
                        }
                    }
                }
                parts.push(Part::Quoted(q));
            }
            '\\' => match chars.get(i + 1) {
                Some('\n') => i += 2,
                Some(&n) => {
                    in_word = true;
                    flush_lit(&mut lit, &mut parts);
                    parts.push(Part::Quoted(n.to_string()));
                    i += 2;
                }
                None => return Err(incomplete(None)),
            },
            '$' | '`' => {
                let (part, next) = dollar(&chars, i, false)?;
                in_word = true;
                match part {
                    Some(p) => {
                        flush_lit(&mut lit, &mut parts);
                        parts.push(p);
                    }
                    None => lit.push('$'),
                }
                i = next;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ' ' | '\t' | '\r' => {
                end_word(&mut lit, &mut parts, &mut in_word, &mut out);
                i += 1;
            }
            '>' | '<' => {
                // A word of one digit right before the operator is its file descriptor.
                let fd = match (in_word, parts.is_empty(), lit.as_str()) {
                    (true, true, d @ ("0" | "1" | "2")) => d.parse().ok(),
                    _ => None,
                };
                if fd.is_some() {
                    lit.clear();
                    in_word = false;
                } else {
                    end_word(&mut lit, &mut parts, &mut in_word, &mut out);
                }
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('>', Some('>')) => (RedirOp::Append, 2),
                    ('>', Some('&')) => (RedirOp::Dup, 2),
                    ('>', _) => (RedirOp::Out, 1),
                    _ => (RedirOp::In, 1),
                };
                out.push(Tok::Redir(op, fd));
                i += len;
            }
            '&' if chars.get(i + 1) == Some(&'>') => {
                end_word(&mut lit, &mut parts, &mut in_word, &mut out);
                out.push(Tok::Redir(RedirOp::Both, None));
                i += 2;
            }
            '\n' | '&' | '|' | ';' | '(' | ')' => {
                end_word(&mut lit, &mut parts, &mut in_word, &mut out);
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('&', Some('&')) => ("&&", 2),
                    ('|', Some('|')) => ("||", 2),
                    (';', Some(';')) => (";;", 2),
                    ('&', _) => ("&", 1),
                    ('|', _) => ("|", 1),
                    (';', _) => (";", 1),
                    ('(', _) => ("(", 1),
                    (')', _) => (")", 1),
                    _ => ("\n", 1),
                };
                out.push(Tok::Op(op));
                i += len;
            }
            _ => {
                in_word = true;
                lit.push(c);
                i += 1;
            }
        }
    }
    end_word(&mut lit, &mut parts, &mut in_word, &mut out);
    Ok(out)
}

/// An expansion starting at `chars[i]` (`$` or a backtick): the part and the index after it;
/// `None` for a `$` that starts none (it is literal).
fn dollar(chars: &[char], i: usize, quoted: bool) -> Result<(Option<Part>, usize), ParseError> {
    let incomplete = ParseError::Incomplete {
        expecting: None,
        quote: None,
    };
    if chars[i] == '`' {
        let mut j = i + 1;
        let mut s = String::new();
        loop {
            match chars.get(j) {
                None => {
                    return Err(ParseError::Incomplete {
                        expecting: None,
                        quote: Some('`'),
                    })
                }
                Some('`') => break,
                Some('\\') if matches!(chars.get(j + 1), Some('`' | '\\' | '$')) => {
                    s.push(chars[j + 1]);
                    j += 2;
                    continue;
                }
                Some(&c) => s.push(c),
            }
            j += 1;
        }
        return Ok((Some(Part::Subst(s, quoted)), j + 1));
    }
    match chars.get(i + 1) {
        Some('(') if chars.get(i + 2) == Some(&'(') => {
            // $(( expr )): up to the `))` closing the outer pair.
            let mut depth = 0usize;
            let mut j = i + 3;
            while let Some(&c) = chars.get(j) {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 0 => {
                        if chars.get(j + 1) == Some(&')') {
                            return Ok((Some(Part::Arith(chars[i + 3..j].iter().collect(), quoted)), j + 2));
                        }
                        return Err(incomplete);
                    }
                    ')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            Err(incomplete)
        }
        Some('(') => {
            let end = matching_paren(chars, i + 2).ok_or(incomplete)?;
            Ok((Some(Part::Subst(chars[i + 2..end].iter().collect(), quoted)), end + 1))
        }
        Some('{') => {
            let start = i + 2;
            let end = chars[start..].iter().position(|&c| c == '}').ok_or(incomplete)? + start;
            Ok((Some(Part::Var(chars[start..end].iter().collect(), quoted)), end + 1))
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                j += 1;
            }
            Ok((Some(Part::Var(chars[i + 1..j].iter().collect(), quoted)), j))
        }
        Some(&c) if c.is_ascii_digit() || "?$#!@*-".contains(c) => Ok((Some(Part::Var(c.to_string(), quoted)), i + 2)),
        _ => Ok((None, i + 1)),
    }
}

/// The index of the `)` closing a `$(` whose body starts at `start`, skipping quotes.
fn matching_paren(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = start;
    while let Some(&c) = chars.get(j) {
        match c {
            '\\' => j += 1,
            '\'' => j += chars.get(j + 1..)?.iter().position(|&c| c == '\'')? + 1,
            '"' => {
                j += 1;
                while *chars.get(j)? != '"' {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Some(j),
            ')' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    None
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn found(t: &Tok) -> Found {
    match t {
        Tok::Op("\n") => Found::Newline,
        Tok::Op(o) => Found::Op(o),
        Tok::Redir(op, _) => Found::Op(match op {
            RedirOp::Out => ">",
            RedirOp::Append => ">>",
            RedirOp::In => "<",
            RedirOp::Dup => ">&",
            RedirOp::Both => "&>",
        }),
        Tok::Word(w) => match w.plain() {
            Some(k) if RESERVED.contains(&k) => Found::Keyword(k.to_string()),
            Some(k) => Found::Word(k.to_string()),
            None => Found::Word(word_text(w)),
        },
    }
}

/// A word's text as typed, roughly (for error messages).
fn word_text(w: &Word) -> String {
    w.0.iter()
        .map(|p| match p {
            Part::Lit(s) | Part::Quoted(s) => s.clone(),
            Part::Var(v, _) => format!("${v}"),
            Part::Subst(s, _) => format!("$({s})"),
            Part::Arith(s, _) => format!("$(({s}))"),
        })
        .collect()
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_kw(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => w.plain(),
            _ => None,
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn skip_newlines(&mut self) {
        while self.is_op("\n") {
            self.pos += 1;
        }
    }

    fn unexpected(&self, expecting: Option<&'static str>) -> ParseError {
        match self.peek() {
            Some(t) => ParseError::Unexpected {
                found: found(t),
                expecting,
            },
            None => ParseError::Incomplete { expecting, quote: None },
        }
    }

    fn expect_kw(&mut self, kw: &'static str) -> Result<(), ParseError> {
        if self.peek_kw() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(Some(kw)))
        }
    }

    fn program(&mut self) -> Result<List, ParseError> {
        let list = self.list()?;
        if self.peek().is_some() {
            return Err(self.unexpected(None));
        }
        Ok(list)
    }

    /// A list up to a reserved closing word, `)`, or the end.
    fn list(&mut self) -> Result<List, ParseError> {
        let mut list = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) => break,
                Some(Tok::Word(w)) if w.plain().is_some_and(|k| RESERVED_CLOSERS.contains(&k)) => break,
                _ => {}
            }
            list.push(self.and_or()?);
            if matches!(self.peek(), Some(Tok::Op(";" | "&" | "\n"))) {
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(list)
    }

    /// A list that must not be empty, closed by one of `closers` (the first is what the error
    /// at end of file expects).
    fn body(&mut self, closers: &[&'static str]) -> Result<List, ParseError> {
        let list = self.list()?;
        let expecting = closers.first().copied();
        if self.peek().is_none() {
            return Err(ParseError::Incomplete { expecting, quote: None });
        }
        if list.is_empty() {
            return Err(self.unexpected(None));
        }
        let closed = self.peek_kw().is_some_and(|k| closers.contains(&k)) || (closers.contains(&")") && self.is_op(")"));
        if !closed {
            return Err(self.unexpected(expecting));
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        while let Some(Tok::Op(op @ ("&&" | "||"))) = self.peek() {
            let and = *op == "&&";
            self.pos += 1;
            self.skip_newlines();
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut bang = false;
        while self.peek_kw() == Some("!") {
            self.pos += 1;
            bang = !bang;
        }
        let mut cmds = vec![self.command()?];
        while self.is_op("|") {
            self.pos += 1;
            self.skip_newlines();
            cmds.push(self.command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn command(&mut self) -> Result<Cmd, ParseError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(ParseError::Incomplete {
                expecting: None,
                quote: None,
            });
        };
        let w = match tok {
            Tok::Op("(") => {
                self.pos += 1;
                let list = self.body(&[")"])?;
                self.pos += 1;
                return Ok(Cmd::Group(list, true));
            }
            Tok::Op(_) => return Err(self.unexpected(None)),
            Tok::Redir(..) => return self.simple(),
            Tok::Word(w) => w,
        };
        match w.plain() {
            Some("for") => {
                self.pos += 1;
                self.for_loop()
            }
            Some(k @ ("while" | "until")) => {
                self.pos += 1;
                let cond = self.body(&["do"])?;
                self.pos += 1;
                let body = self.body(&["done"])?;
                self.pos += 1;
                Ok(Cmd::Loop {
                    until: k == "until",
                    cond,
                    body,
                })
            }
            Some("if") => {
                self.pos += 1;
                let mut arms = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.body(&["then"])?;
                    self.pos += 1;
                    let then = self.body(&["fi", "elif", "else"])?;
                    arms.push((cond, then));
                    match self.peek_kw() {
                        Some("elif") => self.pos += 1,
                        Some("else") => {
                            self.pos += 1;
                            otherwise = Some(self.body(&["fi"])?);
                            self.pos += 1;
                            break;
                        }
                        _ => {
                            self.pos += 1;
                            break;
                        }
                    }
                }
                Ok(Cmd::If { arms, otherwise })
            }
            Some("{") => {
                self.pos += 1;
                let list = self.body(&["}"])?;
                self.pos += 1;
                Ok(Cmd::Group(list, false))
            }
            Some("case") => Err(ParseError::Unsupported("case … esac")),
            Some("function") => Err(ParseError::Unsupported("function")),
            Some(k) if RESERVED_CLOSERS.contains(&k) => Err(self.unexpected(None)),
            _ => self.simple(),
        }
    }

    fn for_loop(&mut self) -> Result<Cmd, ParseError> {
        let var = match self.peek() {
            Some(Tok::Word(w)) => match w.plain() {
                Some(n) if is_name(n) => n.to_string(),
                _ => return Err(ParseError::BadForVar(Some(word_text(w)))),
            },
            _ => return Err(ParseError::BadForVar(None)),
        };
        self.pos += 1;
        self.skip_newlines();
        let mut items = None;
        if self.peek_kw() == Some("in") {
            self.pos += 1;
            let mut v = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                v.push(w.clone());
                self.pos += 1;
            }
            match self.peek() {
                Some(Tok::Op(";" | "\n")) => self.pos += 1,
                None => {
                    return Err(ParseError::Incomplete {
                        expecting: None,
                        quote: None,
                    })
                }
                _ => return Err(self.unexpected(None)),
            }
            items = Some(v);
        } else if self.is_op(";") {
            self.pos += 1;
        }
        self.skip_newlines();
        self.expect_kw("do")?;
        let body = self.body(&["done"])?;
        self.pos += 1;
        Ok(Cmd::For { var, items, body })
    }

    fn simple(&mut self) -> Result<Cmd, ParseError> {
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::Word(w)) => {
                    match w.assignment() {
                        Some(a) if words.is_empty() => assigns.push(a),
                        _ => words.push(w.clone()),
                    }
                    self.pos += 1;
                }
                Some(Tok::Redir(op, fd)) => {
                    let (op, fd) = (*op, *fd);
                    self.pos += 1;
                    match self.peek() {
                        Some(Tok::Word(target)) => {
                            redirs.push(Redir {
                                fd,
                                op,
                                target: target.clone(),
                            });
                            self.pos += 1;
                        }
                        // `echo >` then the end of the line: bash and ash name the newline.
                        None => {
                            return Err(ParseError::Unexpected {
                                found: Found::Newline,
                                expecting: None,
                            })
                        }
                        _ => return Err(self.unexpected(None)),
                    }
                }
                _ => break,
            }
        }
        Ok(Cmd::Simple { assigns, words, redirs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str, f: Flavor) -> String {
        let prefix = match f {
            Flavor::Bash => "bash",
            Flavor::Ash => "sh",
            Flavor::Dash => "sh: 1",
        };
        parse(src).unwrap_err().message(f, prefix).0
    }

    #[test]
    fn parses_loops_and_lists() {
        let l = parse("for i in 1 2 3; do curl -s ent:8080; done && echo ok || echo no").unwrap();
        assert_eq!(l.len(), 1);
        assert!(matches!(&l[0].first.cmds[0], Cmd::For { var, items: Some(v), .. } if var == "i" && v.len() == 3));
        assert_eq!(l[0].rest.len(), 2);
        assert!(parse("if [ 1 -lt 2 ]; then echo a; elif true; then echo b; else echo c; fi").is_ok());
        assert!(parse("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done").is_ok());
        assert!(parse("echo $(echo \"a)b\") `echo c`").is_ok());
    }

    #[test]
    fn incomplete_waits_for_more() {
        for src in [
            "for i in 1 2 3",
            "for i in 1\ndo echo",
            "echo a &&",
            "echo a |",
            "echo 'x",
            "if true; then",
            "echo $(a",
        ] {
            assert!(matches!(parse(src), Err(ParseError::Incomplete { .. })), "{src}");
        }
        assert!(parse("for i in 1 2 3\ndo\necho $i\ndone").is_ok());
    }

    #[test]
    fn errors_as_the_shells_print_them() {
        assert_eq!(err("done", Flavor::Bash), "bash: syntax error near unexpected token `done'\n");
        assert_eq!(err("done", Flavor::Ash), "sh: syntax error: unexpected \"done\"\n");
        assert_eq!(
            err("for i in 1 2; done", Flavor::Ash),
            "sh: syntax error: unexpected \"done\" (expecting \"do\")\n"
        );
        assert_eq!(
            err("if true; fi", Flavor::Ash),
            "sh: syntax error: unexpected \"fi\" (expecting \"then\")\n"
        );
        assert_eq!(err("for", Flavor::Bash), "bash: syntax error near unexpected token `newline'\n");
        assert_eq!(err("for", Flavor::Ash), "sh: syntax error: bad for loop variable\n");
        assert_eq!(err("| grep x", Flavor::Bash), "bash: syntax error near unexpected token `|'\n");
        assert_eq!(err("echo a ;;", Flavor::Ash), "sh: syntax error: unexpected \";;\"\n");
        assert_eq!(
            err("while; do echo; done", Flavor::Bash),
            "bash: syntax error near unexpected token `;'\n"
        );
        assert_eq!(
            err("for i in 1; do echo; done x", Flavor::Ash),
            "sh: syntax error: unexpected word\n"
        );
        assert_eq!(
            err("for i in 1; do echo; done x", Flavor::Dash),
            "sh: 1: Syntax error: word unexpected\n"
        );
        assert_eq!(err("if true; then fi", Flavor::Dash), "sh: 1: Syntax error: \"fi\" unexpected\n");
        assert_eq!(
            err("for 1 in a; do echo; done", Flavor::Bash),
            "bash: `1': not a valid identifier\n"
        );
        assert_eq!(
            err("{ echo a }", Flavor::Ash),
            "sh: syntax error: unexpected end of file (expecting \"}\")\n"
        );
        assert_eq!(
            err("for i in 1 2 3; do", Flavor::Dash),
            "sh: 1: Syntax error: end of file unexpected (expecting \"done\")\n"
        );
        assert_eq!(err("echo )", Flavor::Ash), "sh: syntax error: unexpected \")\"\n");
    }
}
