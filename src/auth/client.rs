//! Which client a request came from, for the sign-in limits: the peer address of the TCP
//! connection, or — only when `VELOCITY_TRUST_FORWARDED_FOR=true` says a proxy of ours is in
//! front — the address that proxy appended last to `X-Forwarded-For` (earlier entries are the
//! client's to forge).

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

pub fn address(parts: &Parts) -> IpAddr {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = trust_forwarded_for()
        .then(|| parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(last_forwarded))
        .flatten();
    // Without either (a router served without connect info), every request is one client.
    forwarded.or(peer).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

fn trust_forwarded_for() -> bool {
    static TRUST: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRUST.get_or_init(|| std::env::var("VELOCITY_TRUST_FORWARDED_FOR").is_ok_and(|v| v == "true"))
}

fn last_forwarded(header: &str) -> Option<IpAddr> {
    header.rsplit(',').next().and_then(|a| a.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_own_entry_is_the_last() {
        assert_eq!(last_forwarded("6.6.6.6, 10.0.0.7"), Some("10.0.0.7".parse().unwrap()));
        assert_eq!(last_forwarded("2001:db8::1"), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(last_forwarded("garbage"), None);
    }
}
