//! The subset of JQL the Jira simulator understands: `AND`-joined clauses of
//! `project = X`, `project in (A, B)`, `updated >= "…"`/`created >= "…"` (and `>`, `<`, `<=`),
//! then `ORDER BY field [ASC|DESC], …`. Anything else is a 400 with Jira's kind of message.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Project(Vec<String>),
    Time { field: TimeField, op: Cmp, at: DateTime<Utc> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Updated,
    Created,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Ge,
    Gt,
    Le,
    Lt,
}

impl Cmp {
    pub fn holds(self, value: DateTime<Utc>, at: DateTime<Utc>) -> bool {
        match self {
            Cmp::Ge => value >= at,
            Cmp::Gt => value > at,
            Cmp::Le => value <= at,
            Cmp::Lt => value < at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Updated,
    Created,
    Key,
    Id,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub clauses: Vec<Clause>,
    /// (field, descending)
    pub order: Vec<(SortField, bool)>,
}

fn tokens(input: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\'' {
            chars.next();
            let mut s = String::from("\"");
            loop {
                match chars.next() {
                    Some(q) if q == c => break,
                    Some(x) => s.push(x),
                    None => return Err("The quoted string in the JQL query is not closed.".into()),
                }
            }
            out.push(s);
        } else if "(),".contains(c) {
            out.push(c.to_string());
            chars.next();
        } else if "<>=!".contains(c) {
            let mut op = String::new();
            while let Some(&x) = chars.peek() {
                if "<>=!".contains(x) {
                    op.push(x);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(op);
        } else {
            let mut word = String::new();
            while let Some(&x) = chars.peek() {
                if x.is_whitespace() || "(),<>=!\"'".contains(x) {
                    break;
                }
                word.push(x);
                chars.next();
            }
            out.push(word);
        }
    }
    Ok(out)
}

fn unquote(t: &str) -> &str {
    t.strip_prefix('"').unwrap_or(t)
}

/// Jira accepts "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd", epoch ms and
/// periods relative to now ("-5d", "-90m", "4w 2d"; w, d, h, m).
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(ms) = s.parse::<i64>() {
        return Utc.timestamp_millis_opt(ms).single();
    }
    if let Some(period) = parse_period(s) {
        return Some(Utc::now() + period);
    }
    for fmt in ["%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    for fmt in ["%Y/%m/%d", "%Y-%m-%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?));
        }
    }
    None
}

/// A relative period: an optional sign, then space-separated `<n><unit>` segments.
fn parse_period(s: &str) -> Option<chrono::Duration> {
    let (sign, rest) = match s.trim().strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.trim().strip_prefix('+').unwrap_or(s.trim())),
    };
    let mut total = chrono::Duration::zero();
    let mut any = false;
    for segment in rest.split_whitespace() {
        let unit = segment.chars().last()?;
        let n: i64 = segment[..segment.len() - unit.len_utf8()].parse().ok()?;
        total += match unit {
            'w' => chrono::Duration::weeks(n),
            'd' => chrono::Duration::days(n),
            'h' => chrono::Duration::hours(n),
            'm' => chrono::Duration::minutes(n),
            _ => return None,
        };
        any = true;
    }
    any.then_some(total * sign)
}

pub fn parse(input: &str) -> Result<Query, String> {
    let toks = tokens(input)?;
    let lower: Vec<String> = toks.iter().map(|t| t.to_lowercase()).collect();
    let mut i = 0;
    let mut clauses = Vec::new();
    let mut order = Vec::new();
    while i < toks.len() {
        match lower[i].as_str() {
            "and" if !clauses.is_empty() => i += 1,
            "order" => {
                if lower.get(i + 1).map(String::as_str) != Some("by") {
                    return Err("Expecting 'BY' after 'ORDER'.".into());
                }
                i += 2;
                loop {
                    let field = match lower.get(i).map(String::as_str) {
                        Some("updated") => SortField::Updated,
                        Some("created") => SortField::Created,
                        Some("key") | Some("issuekey") => SortField::Key,
                        Some("id") => SortField::Id,
                        Some(other) => return Err(format!("Field '{other}' does not exist or you do not have permission to view it.")),
                        None => return Err("Expecting a field name after 'ORDER BY'.".into()),
                    };
                    i += 1;
                    let desc = match lower.get(i).map(String::as_str) {
                        Some("desc") => { i += 1; true }
                        Some("asc") => { i += 1; false }
                        _ => false,
                    };
                    order.push((field, desc));
                    if lower.get(i).map(String::as_str) == Some(",") {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if i < toks.len() {
                    return Err(format!("Error in the JQL Query: unexpected '{}' after ORDER BY.", toks[i]));
                }
                if order.len() > 7 {
                    return Err("The ORDER BY clause can have at most 7 fields.".into());
                }
            }
            "project" => {
                match lower.get(i + 1).map(String::as_str) {
                    Some("=") => {
                        let v = toks.get(i + 2).ok_or("Expecting a value after 'project ='.")?;
                        clauses.push(Clause::Project(vec![unquote(v).to_owned()]));
                        i += 3;
                    }
                    Some("in") => {
                        if toks.get(i + 2).map(String::as_str) != Some("(") {
                            return Err("Expecting '(' after 'project in'.".into());
                        }
                        i += 3;
                        let mut values = Vec::new();
                        loop {
                            let v = toks.get(i).ok_or("The list of values is not closed.")?;
                            if v == ")" {
                                i += 1;
                                break;
                            }
                            if v != "," {
                                values.push(unquote(v).to_owned());
                            }
                            i += 1;
                        }
                        if values.is_empty() {
                            return Err("Expecting at least one value in 'project in ()'.".into());
                        }
                        clauses.push(Clause::Project(values));
                    }
                    _ => return Err("Expecting operator '=' or 'in' after 'project'.".into()),
                }
            }
            field @ ("updated" | "created" | "updateddate" | "createddate") => {
                let field = if field.starts_with("updated") { TimeField::Updated } else { TimeField::Created };
                let op = match lower.get(i + 1).map(String::as_str) {
                    Some(">=") => Cmp::Ge,
                    Some(">") => Cmp::Gt,
                    Some("<=") => Cmp::Le,
                    Some("<") => Cmp::Lt,
                    _ => return Err("Expecting one of the operators '>=', '>', '<=', '<' for a date field.".into()),
                };
                let raw = toks.get(i + 2).ok_or("Expecting a date value.")?;
                let at = parse_date(unquote(raw)).ok_or_else(|| {
                    format!("Date value '{}' for field '{}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.", unquote(raw), lower[i])
                })?;
                clauses.push(Clause::Time { field, op, at });
                i += 3;
            }
            _ => return Err(format!("Error in the JQL Query: the character or word '{}' is not supported here.", toks[i])),
        }
    }
    Ok(Query { clauses, order })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_connector_queries() {
        let q = parse(r#"project = 10001 AND updated >= "2026/01/02 03:04" ORDER BY updated ASC, id"#).unwrap();
        assert_eq!(q.clauses[0], Clause::Project(vec!["10001".into()]));
        assert!(matches!(q.clauses[1], Clause::Time { field: TimeField::Updated, op: Cmp::Ge, .. }));
        assert_eq!(q.order, vec![(SortField::Updated, false), (SortField::Id, false)]);
        let q = parse("project in (MOBILE, \"PLAT\") order by key desc").unwrap();
        assert_eq!(q.clauses, vec![Clause::Project(vec!["MOBILE".into(), "PLAT".into()])]);
        assert_eq!(q.order, vec![(SortField::Key, true)]);
    }

    #[test]
    fn accepts_jira_date_forms() {
        for s in ["2026/01/02 03:04", "2026-01-02 03:04", "2026/01/02", "2026-01-02", "1767322800000"] {
            assert!(parse_date(s).is_some(), "{s}");
        }
        assert!(parse_date("yesterday").is_none());
        let ago = |s: &str| (Utc::now() - parse_date(s).unwrap()).num_minutes();
        assert!((89..=90).contains(&ago("-90m")), "{}", ago("-90m"));
        assert!((2 * 1440 + 119..=2 * 1440 + 120).contains(&ago("-2d 2h")));
        assert!(ago("4w 2d") < 0, "unsigned periods lie ahead");
        assert!(parse_date("-5x").is_none() && parse_date("-").is_none() && parse_date("-m").is_none());
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        assert!(parse("assignee = currentUser()").is_err());
        assert!(parse("updated >= \"not a date\"").unwrap_err().contains("invalid"));
        assert!(parse("project in (").is_err());
    }
}
