//! Where a connection's credentials may go: to its own origin only, and only over https —
//! except to loopback (the simulators, a tunnel on this machine) or when the operator started
//! the server with `--allow-http-upstreams` (a lab without TLS).

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};

static ALLOW_HTTP: AtomicBool = AtomicBool::new(false);

/// Set once at start from `--allow-http-upstreams` / `VELOCITY_ALLOW_HTTP_UPSTREAMS`.
pub fn set_allow_http(allow: bool) {
    ALLOW_HTTP.store(allow, Ordering::Relaxed);
}

pub fn allow_http() -> bool {
    ALLOW_HTTP.load(Ordering::Relaxed)
}

/// Why credentials may not be sent to `url`, or `None` when they may.
pub fn refuse_credentials_to(url: &reqwest::Url, allow_http: bool) -> Option<String> {
    match url.scheme() {
        "https" => None,
        "http" if allow_http || is_loopback(url) => None,
        "http" => Some(format!(
            "{} is plain http: credentials go only over https (loopback excepted); use https, or start the server with --allow-http-upstreams",
            url.origin().ascii_serialization()
        )),
        other => Some(format!("'{other}' is not http or https")),
    }
}

/// Whether `url` lies under the connection's base URL (scheme, host, port and path prefix): the
/// only place a paged `next` link may lead with the connection's credentials.
pub fn on_connection_origin(base_url: &str, url: &str) -> bool {
    url.strip_prefix(base_url.trim_end_matches('/')).is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'))
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str, allow_http: bool) -> bool {
        refuse_credentials_to(&reqwest::Url::parse(url).unwrap(), allow_http).is_some()
    }

    #[test]
    fn next_pages_stay_on_the_connections_origin() {
        let base = "https://acme.atlassian.net/";
        assert!(on_connection_origin(base, "https://acme.atlassian.net/rest/api/3/project/search?startAt=100"));
        assert!(!on_connection_origin(base, "https://evil.test/rest/api/3/project/search"));
        assert!(!on_connection_origin(base, "https://acme.atlassian.net.evil.test/x"));
        assert!(!on_connection_origin(base, "http://acme.atlassian.net/x"), "a downgrade to plain http is another origin");
        assert!(on_connection_origin("https://gitlab.acme.test/gitlab", "https://gitlab.acme.test/gitlab/api/v4/groups"));
        assert!(!on_connection_origin("https://gitlab.acme.test/gitlab", "https://gitlab.acme.test/gitlabx/api"));
    }

    #[test]
    fn https_always_http_only_to_loopback_or_when_allowed() {
        assert!(!refused("https://acme.atlassian.net/rest", false));
        assert!(!refused("http://127.0.0.1:4000/x", false));
        assert!(!refused("http://127.8.9.10/x", false));
        assert!(!refused("http://[::1]:80/x", false));
        assert!(!refused("http://localhost:3000/x", false));
        assert!(refused("http://gitlab.acme.test/api", false));
        assert!(refused("http://10.0.0.1/api", false));
        assert!(!refused("http://gitlab.acme.test/api", true));
        assert!(refused("ftp://acme.test/x", true));
    }
}
