//! A list's filters and a summary's period as people and integrators send them (strings from a
//! query or a form), checked into a `ListFilter`: every refusal names its field.

use super::{cursor, ActivityError};
use crate::domain::activity::ListParams;
use crate::store::activity::ListFilter;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

fn invalid(field: &'static str, message: impl Into<String>) -> ActivityError {
    ActivityError::Invalid { field, message: message.into() }
}

/// RFC 3339, or a date meaning its midnight UTC.
pub fn time(field: &'static str, raw: Option<&str>) -> Result<Option<DateTime<Utc>>, ActivityError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else { return Ok(None) };
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Some(d.and_utc()))
        .ok_or_else(|| invalid(field, format!("'{raw}' is not a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:00:00Z)")))
}

/// Free text as typed: at most 200 characters and no NUL (which PostgreSQL text cannot hold).
fn text(field: &'static str, raw: Option<&str>) -> Result<Option<String>, ActivityError> {
    let Some(t) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if t.contains('\0') || t.chars().count() > 200 {
        return Err(invalid(field, "at most 200 characters, without NUL"));
    }
    Ok(Some(t.to_owned()))
}

fn flag(field: &'static str, raw: Option<&str>) -> Result<bool, ActivityError> {
    match raw.map(str::trim) {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(invalid(field, format!("'{other}' is not true or false"))),
    }
}

/// A `LIKE` pattern matching the text anywhere, its own `%`, `_` and `\` taken literally.
fn contains_pattern(t: &str) -> String {
    format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// The filter for a project's (`project`) or a person's (`person`) list.
pub fn list_filter(p: &ListParams, project: Option<Uuid>, person: Option<Uuid>) -> Result<ListFilter, ActivityError> {
    let person = match (person, text("person", p.person.as_deref())?) {
        (Some(_), Some(_)) => return Err(invalid("person", "a person's lists are theirs already; leave person out")),
        (Some(id), None) => Some(id),
        (None, raw) => raw.map(|r| Uuid::parse_str(&r).map_err(|_| invalid("person", format!("'{r}' is not a UUID")))).transpose()?,
    };
    let limit = match p.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => 50,
        Some(l) => l.parse::<i64>().ok().filter(|n| (1..=500).contains(n)).ok_or_else(|| invalid("limit", format!("'{l}' is not a number from 1 to 500")))?,
    };
    let (from, to) = (time("from", p.from.as_deref())?, time("to", p.to.as_deref())?);
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(invalid("to", "must be after from"));
        }
    }
    let after = match text("cursor", p.cursor.as_deref())? {
        Some(c) => Some(cursor::decode(&c).map_err(|m| invalid("cursor", m))?),
        None => None,
    };
    Ok(ListFilter {
        project,
        person,
        from,
        to,
        status: text("status", p.status.as_deref())?,
        text: text("q", p.q.as_deref())?.map(|t| contains_pattern(&t)),
        source: text("source", p.source.as_deref())?,
        include_deleted: flag("deleted", p.deleted.as_deref())?,
        after,
        limit,
    })
}

/// A summary's period: `to` defaults to now, `from` to 12 weeks before it; at most ten years.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(DateTime<Utc>, DateTime<Utc>), ActivityError> {
    let to = time("to", to)?.unwrap_or_else(Utc::now);
    let from = time("from", from)?.unwrap_or(to - chrono::Duration::weeks(12));
    if from >= to {
        return Err(invalid("to", "must be after from"));
    }
    if to - from > chrono::Duration::days(3660) {
        return Err(invalid("from", "a summary covers at most ten years"));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_or_refused_naming_their_field() {
        let p = ListParams { from: Some("2026-11-01".into()), q: Some("50%_off".into()), limit: Some("20".into()), ..Default::default() };
        let f = list_filter(&p, None, None).unwrap();
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(f.text.as_deref(), Some("%50\\%\\_off%"));
        assert_eq!(f.limit, 20);
        for (bad, field) in [
            (ListParams { limit: Some("0".into()), ..Default::default() }, "limit"),
            (ListParams { from: Some("soon".into()), ..Default::default() }, "from"),
            (ListParams { q: Some("a\0b".into()), ..Default::default() }, "q"),
            (ListParams { cursor: Some("x".into()), ..Default::default() }, "cursor"),
            (ListParams { deleted: Some("yes".into()), ..Default::default() }, "deleted"),
            (ListParams { from: Some("2026-02-01".into()), to: Some("2026-01-01".into()), ..Default::default() }, "to"),
        ] {
            match list_filter(&bad, None, None) {
                Err(ActivityError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert!(list_filter(&ListParams { person: Some(Uuid::nil().to_string()), ..Default::default() }, None, Some(Uuid::nil())).is_err());
    }

    #[test]
    fn a_period_defaults_to_twelve_weeks() {
        let (from, to) = period(None, Some("2026-12-01")).unwrap();
        assert_eq!((to - from).num_weeks(), 12);
        assert!(period(Some("2000-01-01"), Some("2026-01-01")).is_err());
    }
}
