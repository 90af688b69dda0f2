//! The opaque page cursor: the last row's (time, row id), base64url. Opaque so clients do not
//! build one; checked on the way in so a damaged one is a 400 naming the cursor, not a 500.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};

pub fn encode((at, id): (DateTime<Utc>, i64)) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
}

pub fn decode(cursor: &str) -> Result<(DateTime<Utc>, i64), String> {
    let bad = || format!("'{}' is not a cursor from a previous page's nextCursor", cursor.chars().take(60).collect::<String>());
    let text = URL_SAFE_NO_PAD.decode(cursor.trim()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let (at, id) = text.split_once('|').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at).map_err(|_| bad())?.with_timezone(&Utc);
    Ok((at, id.parse().map_err(|_| bad())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_to_the_microsecond_and_refuses_the_rest() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T08:15:42.123456Z").unwrap().with_timezone(&Utc);
        assert_eq!(decode(&encode((at, 42))).unwrap(), (at, 42));
        for bad in ["", "not-base64!", &URL_SAFE_NO_PAD.encode("2026-11-30|x"), &URL_SAFE_NO_PAD.encode("yesterday|1")] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
