//! Command-line splitting as a POSIX shell does it, for the subset a learner types: words,
//! single and double quotes, backslash escapes, and the `&&`, `||`, `;` and `|` operators.
//! Never fails: an unterminated quote is reported as an error value.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Word(String),
    And,
    Or,
    Semi,
    Pipe,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unterminated(pub char);

pub fn tokenize(line: &str) -> Result<Vec<Token>, Unterminated> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err(Unterminated('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err(Unterminated('"')),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(Unterminated('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            '#' if !in_word => break,
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    out.push(Token::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
            }
            '&' | '|' | ';' => {
                if in_word {
                    out.push(Token::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
                match (c, chars.peek()) {
                    ('&', Some('&')) => {
                        chars.next();
                        out.push(Token::And);
                    }
                    ('|', Some('|')) => {
                        chars.next();
                        out.push(Token::Or);
                    }
                    ('|', _) => out.push(Token::Pipe),
                    (';', _) => out.push(Token::Semi),
                    _ => out.push(Token::Semi), // a lone `&` (background) runs in the foreground here
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(Token::Word(cur));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Token {
        Token::Word(s.into())
    }

    #[test]
    fn splits_and_quotes() {
        assert_eq!(
            tokenize("apt-get update && apt-get install -y 'curl' \"a b\"").unwrap(),
            vec![
                w("apt-get"),
                w("update"),
                Token::And,
                w("apt-get"),
                w("install"),
                w("-y"),
                w("curl"),
                w("a b")
            ]
        );
        assert_eq!(tokenize("echo hi # comment").unwrap(), vec![w("echo"), w("hi")]);
        assert_eq!(tokenize("echo 'x").unwrap_err(), Unterminated('\''));
        assert_eq!(tokenize("a|b;c").unwrap(), vec![w("a"), Token::Pipe, w("b"), Token::Semi, w("c")]);
    }
}
