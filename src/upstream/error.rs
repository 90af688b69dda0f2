//! `HttpError`: what talking to an upstream can fail with, whoever talks (sync, link look-ups,
//! catalogs, connection tests). Each caller's own error wraps it with what the failure means
//! there (a run's error list, a link left unverified, a test's sentence).

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot reach {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("not sending credentials to {url}: {reason}")]
    Insecure { url: String, reason: String },
    #[error("{url} answered {status}: {snippet}")]
    Status { url: String, status: u16, snippet: String },
    #[error("{url} sent JSON we cannot read ({message}): {snippet}")]
    Decode { url: String, message: String, snippet: String },
    /// A paged list that must exist answered 404 part-way.
    #[error("{url} answered 404")]
    Gone { url: String },
    /// A paged list went on past its page cap: stopped rather than used partly.
    #[error("{url}: the list goes on past {pages} pages; stopped rather than use a partial list")]
    TooManyPages { url: String, pages: usize },
}

impl HttpError {
    /// Worth another attempt: the network, a truncated body, rate limits and server errors.
    pub fn is_transient(&self) -> bool {
        match self {
            HttpError::Unreachable { .. } | HttpError::Decode { .. } => true,
            HttpError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
