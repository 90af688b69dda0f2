//! Follows a platform's paging from a first URL: `split` takes a decoded page and gives its
//! items and the next URL. A page cap stops a runaway upstream; `next` URLs must stay on the
//! connection's host.

use super::http::{same_host, Page, Upstream};
use super::SyncError;
use serde::de::DeserializeOwned;

const MAX_PAGES: usize = 100_000;

/// Items of every page. A status in `empty` (GitHub's 409 for an empty repository) means no
/// items; 404 is an error, since the link was just validated.
pub async fn walk<B, I>(
    up: &Upstream,
    first: String,
    empty: &[u16],
    mut split: impl FnMut(Page<B>, &str) -> (Vec<I>, Option<String>),
) -> Result<Vec<I>, SyncError>
where
    B: DeserializeOwned,
{
    let mut url = first;
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let Some(page) = up.get::<B>(&url, empty).await? else {
            return if out.is_empty() && !empty.is_empty() {
                Ok(out)
            } else {
                Err(SyncError::NotFound(format!("{url} answered 404")))
            };
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
    Err(SyncError::Convert {
        url,
        message: format!("more than {MAX_PAGES} pages"),
    })
}
