//! Helpers the Git-host simulators (GitHub, GitLab, Bitbucket) share: query-string pairs,
//! ISO 8601 parsing, `page`/`per_page` parameters, page windows, page and `link` URLs, extra
//! response headers, JSON merging, stable fake shas, the account a token acts as, and finding a
//! commit by ref or sha prefix and a repository by an old path. Each simulator keeps its own
//! error shapes, timestamp formats and pagination envelopes.

use super::org::{GitAccount, GitHost, Repo};
use axum::http::{HeaderName, HeaderValue, Uri};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

/// Decoded query-string pairs in request order, repeated keys kept.
pub(super) type Pairs = Vec<(String, String)>;

pub(super) fn with_headers(mut response: Response, headers: impl IntoIterator<Item = (&'static str, String)>) -> Response {
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    response
}

/// `base` with the fields of the object `extra` added.
pub(super) fn merge(mut base: Value, extra: Value) -> Value {
    if let (Value::Object(b), Value::Object(e)) = (&mut base, extra) {
        b.extend(e);
    }
    base
}

pub(super) fn query_pairs(uri: &Uri) -> Pairs {
    serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default()
}

/// Every value of `key`, in order (empty ones included).
pub(super) fn all<'a>(q: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    q.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The first value of `key`; an empty value counts as absent.
pub(super) fn first<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// ISO 8601 as the APIs accept it: full timestamps (any offset), naive ones (UTC) or plain dates.
pub(super) fn parse_iso8601(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

/// A time query parameter: `parse_iso8601` after trimming and undoing form decoding's damage.
pub(super) fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    // An unencoded `+hh:mm` offset arrives as a space after form decoding.
    parse_iso8601(&raw.trim().replace(' ', "+"))
}

/// `page` (1-based) and `per_page` (at most 100; 0 or less means the default); Err names the bad field.
pub(super) fn page_params(q: &[(String, String)], default: usize) -> Result<(usize, usize), &'static str> {
    let number = |key: &'static str, fallback: i64| first(q, key).map_or(Ok(fallback), |v| v.trim().parse::<i64>().map_err(|_| key));
    let page = number("page", 1)?.max(1) as usize;
    let per_page = number("per_page", default as i64)?;
    Ok((page, if per_page <= 0 { default } else { (per_page as usize).min(100) }))
}

/// The items on 1-based `page` of `per_page` each; empty past the end.
pub(super) fn page_window<T>(items: &[T], (page, per_page): (usize, usize)) -> &[T] {
    let start = (page - 1).saturating_mul(per_page).min(items.len());
    &items[start..start.saturating_add(per_page).min(items.len())]
}

/// The request's URL with `page` replaced, its other parameters kept.
pub(super) fn page_url(base: &str, uri: &Uri, page: usize) -> String {
    let mut pairs: Pairs = query_pairs(uri).into_iter().filter(|(k, _)| k != "page").collect();
    pairs.push(("page".into(), page.to_string()));
    format!("{base}{}?{}", uri.path(), serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

/// A `link` header from (present, page, rel) triples.
pub(super) fn link_value(base: &str, uri: &Uri, rels: &[(bool, usize, &str)]) -> String {
    let present = rels.iter().filter(|(on, _, _)| *on);
    present.map(|(_, n, rel)| format!("<{}>; rel=\"{rel}\"", page_url(base, uri, *n))).collect::<Vec<_>>().join(", ")
}

/// A stable 40-hex-digit sha for objects the model has no sha for (trees, PR heads).
pub(super) fn fake_sha(seed: u64) -> String {
    // splitmix64, 32 bits per round.
    let mix = |k: u64| {
        let x = seed.wrapping_add(k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let z = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        format!("{:08x}", (z ^ (z >> 27)) as u32)
    };
    (1..=5).map(mix).collect()
}

/// A stable seed from text (FNV-1a), for `fake_sha` and made-up numbers.
pub(super) fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The account a host's token acts as: its first active person (bots and machine users aside).
pub(super) fn token_owner(host: &GitHost) -> Option<&GitAccount> {
    host.accounts.iter().find(|a| a.active && !a.bot)
}

/// When an account was made: a stable date from its numeric id (the model has none).
pub(super) fn account_created(a: &GitAccount) -> DateTime<Utc> {
    let id: i64 = a.id.parse().unwrap_or_default();
    DateTime::from_timestamp(1_420_070_400 + id % 300_000_000, 0).unwrap_or_default()
}

/// Whether `full` ("owner/name") is an old path: a bare previous slug lived under the host's
/// owner, one with a `/` (a transfer) names its old owner too.
pub(super) fn old_path_matches(previous: &str, host_owner: &str, full: &str) -> bool {
    if previous.contains('/') { previous.eq_ignore_ascii_case(full) } else { format!("{host_owner}/{previous}").eq_ignore_ascii_case(full) }
}

/// Indexes, oldest first, of the commits whose sha starts with `reference` (case-insensitive,
/// at least 4 digits).
pub(super) fn sha_prefix_hits<'a>(r: &'a Repo, reference: &str) -> impl DoubleEndedIterator<Item = usize> + 'a {
    let wanted = reference.to_lowercase();
    r.commits.iter().enumerate().filter(move |(_, c)| wanted.len() >= 4 && c.sha.starts_with(&wanted)).map(|(i, _)| i)
}

/// Index of the commit a ref names: `HEAD`, the default branch, or an unambiguous sha prefix.
pub(super) fn resolve_ref(r: &Repo, reference: &str) -> Option<usize> {
    if reference == "HEAD" || reference == r.default_branch || reference == format!("refs/heads/{}", r.default_branch) {
        return r.commits.len().checked_sub(1);
    }
    let mut hits = sha_prefix_hits(r, reference);
    hits.next().filter(|_| hits.next().is_none())
}
