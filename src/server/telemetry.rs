//! Structured logs through `tracing`; the filter comes from RUST_LOG (default `info`).

use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Logs go to stderr so stdout stays for what commands print on purpose (the URL, JSON).
    let _ = fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
