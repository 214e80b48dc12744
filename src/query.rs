//! The query syntax of the contract, parsed into a small AST with errors that point at the
//! problem.
//!
//! Terms separated by white space are ANDed; `OR` (upper case, between terms) joins
//! alternatives and binds tighter than the AND (`甲 乙 OR 丙` is 甲 AND (乙 OR 丙)); `-term`
//! excludes; `"…"` is an exact phrase with its white space; `title:term` and `title:"…"`
//! match in the title only; `no:`, `issuer:` and `kind:` match in the document number, the
//! issuing office and the kind.

use std::fmt;

/// Where a term must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere a reader sees text, title included.
    Anywhere,
    /// In the title only.
    Title,
    /// In the document number (发文字号), brackets of any kind alike (`no:`).
    DocNumber,
    /// In the issuing office (`issuer:`).
    Issuer,
    /// The kind, exactly (`kind:`).
    Kind,
}

impl Scope {
    /// The field prefixes of the query syntax and the scopes they give.
    const PREFIXES: [(&'static str, Scope); 4] = [
        ("title:", Scope::Title),
        ("no:", Scope::DocNumber),
        ("issuer:", Scope::Issuer),
        ("kind:", Scope::Kind),
    ];

    /// Whether the scope is a metadata field (`no:`, `issuer:`, `kind:`): its terms are
    /// not looked for in the text, so they are never highlighted there.
    pub fn is_metadata(self) -> bool {
        matches!(self, Scope::DocNumber | Scope::Issuer | Scope::Kind)
    }
}

/// One search term as typed (not yet normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term without its `-`, `title:` or quotes; never empty (a phrase keeps its
    /// white space).
    pub text: String,
    /// Where it must occur: `title:` makes it [`Scope::Title`].
    pub scope: Scope,
    /// Quoted: white space inside is part of the term.
    pub phrase: bool,
}

/// Alternatives joined by `OR` (one term when there is no `OR`), possibly excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The alternatives, in query order; never empty.
    pub any_of: Vec<Term>,
    /// Excluded (`-term`): a hit must contain none of `any_of`. An excluded clause
    /// always has exactly one term.
    pub negated: bool,
}

/// A whole query: every clause must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The clauses in query order; never empty, though all may be excluded.
    pub clauses: Vec<Clause>,
}

impl Query {
    /// The terms a hit must contain (for highlighting), in query order.
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses
            .iter()
            .filter(|c| !c.negated)
            .flat_map(|c| c.any_of.iter())
    }
}

/// A query that cannot be parsed: what is wrong and where (a character column, from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong, as one phrase (`` `OR` needs a term after it ``).
    pub message: String,
    /// The character (not byte) column the problem starts at, from 1.
    pub column: usize,
    /// The whole query as given.
    pub query: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad query at column {}: {}\n  {}\n  {}^",
            self.column,
            self.message,
            self.query,
            pad(&self.query, self.column)
        )
    }
}

impl std::error::Error for QueryError {}

/// Spaces under the query up to `column`, counting wide characters twice.
fn pad(query: &str, column: usize) -> String {
    query
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| {
            if crate::text::is_cjk(c) || (c as u32) >= 0xFF00 {
                "  "
            } else {
                " "
            }
        })
        .collect()
}

/// A lexical piece of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Or,
    Term { term: Term, negated: bool },
}

/// Parses `input` into a [`Query`].
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let pieces = lex(input)?;
    let err = |message: &str, column: usize| QueryError {
        message: message.to_string(),
        column,
        query: input.to_string(),
    };
    if pieces.is_empty() {
        return Err(err("the query is empty", 1));
    }
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or: Option<usize> = None;
    for (piece, column) in pieces {
        match piece {
            Piece::Or => {
                if pending_or.is_some() {
                    return Err(err("`OR` follows another `OR`", column));
                }
                match clauses.last() {
                    None => return Err(err("`OR` needs a term before it", column)),
                    Some(last) if last.negated => {
                        return Err(err("an excluded term (`-…`) cannot take part in `OR`", column));
                    }
                    Some(_) => pending_or = Some(column),
                }
            }
            Piece::Term { term, negated } => {
                if pending_or.take().is_some() {
                    if negated {
                        return Err(err("an excluded term (`-…`) cannot take part in `OR`", column));
                    }
                    if let Some(last) = clauses.last_mut() {
                        last.any_of.push(term);
                    }
                } else {
                    clauses.push(Clause {
                        any_of: vec![term],
                        negated,
                    });
                }
            }
        }
    }
    if let Some(column) = pending_or {
        return Err(err("`OR` needs a term after it", column));
    }
    Ok(Query { clauses })
}

fn lex(input: &str) -> Result<Vec<(Piece, usize)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let err = |message: &str, column: usize| QueryError {
        message: message.to_string(),
        column,
        query: input.to_string(),
    };
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let column = i + 1;
        // A bare word up to white space or a quote.
        let mut negated = false;
        if chars[i] == '-' {
            negated = true;
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return Err(err("`-` needs a term right after it (`-疫情`)", column));
            }
        }
        let mut scope = Scope::Anywhere;
        let rest: String = chars[i..].iter().take(7).collect();
        if let Some((prefix, found)) = Scope::PREFIXES.iter().find(|(p, _)| rest.starts_with(p)) {
            scope = *found;
            i += prefix.chars().count();
            if i >= chars.len() || chars[i].is_whitespace() {
                let example = match found {
                    Scope::DocNumber => "no:〔2023〕12号",
                    Scope::Issuer => "issuer:人民政府",
                    Scope::Kind => "kind:通知",
                    _ => "title:总结",
                };
                return Err(err(
                    &format!("`{prefix}` needs a term right after it (`{example}`)"),
                    column,
                ));
            }
        }
        if chars[i] == '"' {
            let open = i;
            let Some(close) = chars[open + 1..].iter().position(|&c| c == '"') else {
                return Err(err("this quote is never closed", open + 1));
            };
            let text: String = chars[open + 1..open + 1 + close].iter().collect();
            if text.trim().is_empty() {
                return Err(err("the quotes hold no text", open + 1));
            }
            i = open + close + 2;
            if i < chars.len() && !chars[i].is_whitespace() {
                return Err(err("put a space after the closing quote", i + 1));
            }
            pieces.push((
                Piece::Term {
                    term: Term {
                        text,
                        scope,
                        phrase: true,
                    },
                    negated,
                },
                column,
            ));
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            if chars[i] == '"' {
                return Err(err("a quote must start a term (`\"工作 总结\"`)", i + 1));
            }
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        // `kind:` takes the kinds `--kind` takes; anything else would silently match nothing.
        if scope == Scope::Kind
            && let Err(message) = crate::meta::parse_kind(&text)
        {
            return Err(err(&message, start + 1));
        }
        if text == "OR" && !negated && scope == Scope::Anywhere {
            pieces.push((Piece::Or, column));
        } else {
            pieces.push((
                Piece::Term {
                    term: Term {
                        text,
                        scope,
                        phrase: false,
                    },
                    negated,
                },
                column,
            ));
        }
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str) -> Term {
        Term {
            text: text.into(),
            scope: Scope::Anywhere,
            phrase: false,
        }
    }

    fn scoped(text: &str, scope: Scope) -> Term {
        Term {
            text: text.into(),
            scope,
            phrase: false,
        }
    }

    fn clause(terms: &[Term], negated: bool) -> Clause {
        Clause {
            any_of: terms.to_vec(),
            negated,
        }
    }

    #[test]
    fn parses_the_contract_syntax() {
        let title = |t: &str, phrase| Term {
            text: t.into(),
            scope: Scope::Title,
            phrase,
        };
        let phrase = |t: &str| Term {
            text: t.into(),
            scope: Scope::Anywhere,
            phrase: true,
        };
        let cases: Vec<(&str, Vec<Clause>)> = vec![
            (
                "民族团结 宣传月",
                vec![
                    clause(&[term("民族团结")], false),
                    clause(&[term("宣传月")], false),
                ],
            ),
            (
                "乡村振兴 OR 河长制",
                vec![clause(&[term("乡村振兴"), term("河长制")], false)],
            ),
            (
                "安全生产 -疫情",
                vec![clause(&[term("安全生产")], false), clause(&[term("疫情")], true)],
            ),
            ("\"工作 总结\"", vec![clause(&[phrase("工作 总结")], false)]),
            ("title:总结", vec![clause(&[title("总结", false)], false)]),
            (
                "title:\"工作 总结\" 2023",
                vec![
                    clause(&[title("工作 总结", true)], false),
                    clause(&[term("2023")], false),
                ],
            ),
            (
                "甲 乙 OR 丙 OR 丁",
                vec![
                    clause(&[term("甲")], false),
                    clause(&[term("乙"), term("丙"), term("丁")], false),
                ],
            ),
            ("〔2023〕12号", vec![clause(&[term("〔2023〕12号")], false)]),
            (
                "or 或",
                vec![clause(&[term("or")], false), clause(&[term("或")], false)],
            ),
            (
                "民族团结\u{3000}宣传月",
                vec![
                    clause(&[term("民族团结")], false),
                    clause(&[term("宣传月")], false),
                ],
            ),
            (
                "-title:草稿 总结",
                vec![
                    clause(&[title("草稿", false)], true),
                    clause(&[term("总结")], false),
                ],
            ),
            ("5G-网络", vec![clause(&[term("5G-网络")], false)]),
            (
                "no:〔2023〕12号 issuer:人民政府 -kind:通知",
                vec![
                    clause(&[scoped("〔2023〕12号", Scope::DocNumber)], false),
                    clause(&[scoped("人民政府", Scope::Issuer)], false),
                    clause(&[scoped("通知", Scope::Kind)], true),
                ],
            ),
            (
                "kind:通知 OR kind:决定",
                vec![clause(
                    &[scoped("通知", Scope::Kind), scoped("决定", Scope::Kind)],
                    false,
                )],
            ),
            ("nokind:通知", vec![clause(&[term("nokind:通知")], false)]),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).map(|q| q.clauses), Ok(want), "{input}");
        }
    }

    #[test]
    fn malformed_queries_point_at_the_problem() {
        let cases = [
            ("\"工作 总结", 1, "never closed"),
            ("总结 -", 4, "`-` needs a term"),
            ("OR 总结", 1, "needs a term before"),
            ("总结 OR", 4, "needs a term after"),
            ("甲 OR OR 乙", 6, "follows another"),
            ("title: 总结", 1, "`title:` needs a term"),
            ("title:", 1, "`title:` needs a term"),
            ("no: 12号", 1, "`no:` needs a term"),
            ("总结 issuer:", 4, "`issuer:` needs a term"),
            ("kind:", 1, "`kind:` needs a term"),
            ("总结 kind:其他", 9, "is not a kind: one of 决议"),
            ("", 1, "empty"),
            ("   ", 1, "empty"),
            ("甲 OR -乙", 6, "cannot take part"),
            ("\"\"", 1, "no text"),
            ("工作\"总结\"", 3, "must start a term"),
        ];
        for (input, column, message) in cases {
            let got = parse(input).expect_err(input);
            assert_eq!(got.column, column, "{input}: {got}");
            assert!(got.message.contains(message), "{input}: {got}");
        }
    }
}
