//! Process-wide sync metrics in the Prometheus text format (`GET /metrics`): requests by
//! connector and status class, retries, rate-limit waits, rows written, run durations, and
//! (read from the database at scrape time) link health. Plain counters behind a mutex: a few
//! dozen series do not need a metrics crate.

use crate::upstream::client::Stats;
use super::report::RunReport;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Default)]
struct Totals {
    requests: BTreeMap<(String, String), u64>,
    retries: u64,
    refused: u64,
    rate_limit_waits: u64,
    rows_written: BTreeMap<String, u64>,
    runs: BTreeMap<String, u64>,
    run_seconds_sum: f64,
    run_seconds_count: u64,
}

static TOTALS: Mutex<Option<Totals>> = Mutex::new(None);

pub fn record_run(report: &RunReport, stats: &Stats, took: Duration) {
    let mut guard = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    let t = guard.get_or_insert_with(Totals::default);
    for (key, n) in stats
        .by_status
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
    {
        *t.requests.entry(key.clone()).or_insert(0) += n;
    }
    t.retries += stats.retries.load(Ordering::Relaxed);
    t.refused += stats.refused.load(Ordering::Relaxed);
    t.rate_limit_waits += stats.rate_limit_waits.load(Ordering::Relaxed);
    for (entity, c) in &report.counts {
        *t.rows_written.entry(entity.clone()).or_insert(0) += c.written + c.deleted;
    }
    *t.runs.entry(report.status.clone()).or_insert(0) += 1;
    t.run_seconds_sum += took.as_secs_f64();
    t.run_seconds_count += 1;
}

/// Link health: (kind, state) → count, state being active_verified, active_unverified or inactive.
pub type LinkHealth = Vec<(String, String, i64)>;

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub fn render(health: &LinkHealth) -> String {
    let guard = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    let empty = Totals::default();
    let t = guard.as_ref().unwrap_or(&empty);
    let mut out = String::new();
    let _ = writeln!(out, "# HELP velocity_sync_requests_total Upstream requests made by the sync engine.\n# TYPE velocity_sync_requests_total counter");
    for ((connector, status), n) in &t.requests {
        let _ = writeln!(
            out,
            "velocity_sync_requests_total{{connector=\"{}\",status=\"{}\"}} {n}",
            escape(connector),
            escape(status)
        );
    }
    let _ = writeln!(out, "# HELP velocity_sync_retries_total Upstream requests retried.\n# TYPE velocity_sync_retries_total counter\nvelocity_sync_retries_total {}", t.retries);
    let _ = writeln!(out, "# HELP velocity_sync_refused_total Upstream requests refused for a rate limit (429, or 403 with rate-limit headers).\n# TYPE velocity_sync_refused_total counter\nvelocity_sync_refused_total {}", t.refused);
    let _ = writeln!(out, "# HELP velocity_sync_rate_limit_waits_total Waits asked for by Retry-After or X-RateLimit headers.\n# TYPE velocity_sync_rate_limit_waits_total counter\nvelocity_sync_rate_limit_waits_total {}", t.rate_limit_waits);
    let _ = writeln!(out, "# HELP velocity_sync_rows_written_total Synced rows inserted, changed or marked deleted.\n# TYPE velocity_sync_rows_written_total counter");
    for (entity, n) in &t.rows_written {
        let _ = writeln!(
            out,
            "velocity_sync_rows_written_total{{entity=\"{}\"}} {n}",
            escape(entity)
        );
    }
    let _ = writeln!(out, "# HELP velocity_sync_runs_total Finished sync runs by status.\n# TYPE velocity_sync_runs_total counter");
    for (status, n) in &t.runs {
        let _ = writeln!(
            out,
            "velocity_sync_runs_total{{status=\"{}\"}} {n}",
            escape(status)
        );
    }
    let _ = writeln!(out, "# HELP velocity_sync_run_duration_seconds Wall time of sync runs.\n# TYPE velocity_sync_run_duration_seconds summary");
    let _ = writeln!(
        out,
        "velocity_sync_run_duration_seconds_sum {}\nvelocity_sync_run_duration_seconds_count {}",
        t.run_seconds_sum, t.run_seconds_count
    );
    let _ = writeln!(
        out,
        "# HELP velocity_links Declared links by kind and health.\n# TYPE velocity_links gauge"
    );
    for (kind, state, n) in health {
        let _ = writeln!(
            out,
            "velocity_links{{kind=\"{}\",state=\"{}\"}} {n}",
            escape(kind),
            escape(state)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_prometheus_text() {
        let text = super::render(&vec![("jira".into(), "active_verified".into(), 3)]);
        assert!(text.contains("# TYPE velocity_sync_requests_total counter"));
        assert!(text.contains("velocity_links{kind=\"jira\",state=\"active_verified\"} 3"));
        assert!(
            text.lines()
                .all(|l| l.starts_with('#') || l.split(' ').count() == 2),
            "{text}"
        );
    }
}
