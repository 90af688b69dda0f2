//! The one paging walker: follows a platform's paging from a first URL, where `split` takes a
//! decoded page and gives its items and the next URL. A `next` URL on another origin is refused
//! (every request carries the connection's credentials), and a list longer than `max_pages` is an
//! error naming it, never a silently short list.

use super::client::{same_host, Page, Upstream};
use super::HttpError;
use serde::de::DeserializeOwned;

/// Enough for any real list (100,000 pages of 100); a runaway upstream stops here.
pub const MAX_PAGES: usize = 100_000;

/// Items of every page. A status in `empty` (GitHub's 409 for an empty repository, or 404 for a
/// list that may not exist) on the first page means no items; any later 404 is an error.
pub async fn walk<B, I>(
    up: &Upstream,
    first: String,
    empty: &[u16],
    max_pages: usize,
    mut split: impl FnMut(Page<B>, &str) -> (Vec<I>, Option<String>),
) -> Result<Vec<I>, HttpError>
where
    B: DeserializeOwned,
{
    let mut url = first;
    let mut out = Vec::new();
    for _ in 0..max_pages {
        let Some(page) = up.get::<B>(&url, empty).await? else {
            return if out.is_empty() && !empty.is_empty() { Ok(out) } else { Err(HttpError::Gone { url }) };
        };
        let (items, next) = split(page, &url);
        out.extend(items);
        match next {
            Some(next) => {
                same_host(up, &next)?;
                url = next;
            }
            None => return Ok(out),
        }
    }
    Err(HttpError::TooManyPages { url, pages: max_pages })
}
