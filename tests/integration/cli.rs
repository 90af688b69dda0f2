//! Bad configuration ends the binary with one clear sentence and a non-zero code, no panic.

use std::process::{Command, Output};

fn velocity(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_velocity"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "off")
        .output()
        .expect("run velocity")
}

fn assert_clear_failure(out: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {stderr}");
    assert!(stderr.contains(expected), "stderr should say '{expected}': {stderr}");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
}

#[test]
fn malformed_database_url() {
    let out = velocity(&["migrate"], "mysql://nope");
    assert_clear_failure(&out, "DATABASE_URL is not a valid PostgreSQL URL");
}

#[test]
fn unreachable_database() {
    let out = velocity(&["migrate"], "postgres://velocity@127.0.0.1:1/velocity");
    assert_clear_failure(&out, "cannot reach the database at postgres://velocity@127.0.0.1:1/velocity");
}

#[test]
fn port_already_taken() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL for the integration tests");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = velocity(&["serve", "--addr", &addr], &database_url);
    assert_clear_failure(&out, &format!("cannot listen on {addr}"));
}

#[test]
fn help_documents_environment_variables() {
    let out = velocity(&["serve", "--help"], "postgres://unused/x");
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in ["DATABASE_URL", "VELOCITY_ADDR", "VELOCITY_SITE_ROOT", "--addr"] {
        assert!(help.contains(needle), "--help mentions {needle}: {help}");
    }
}

#[test]
fn migrate_legacy_without_its_input_file() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL for the integration tests");
    let out = velocity(&["migrate-legacy", "--from", "/nonexistent.json"], &database_url);
    assert_clear_failure(&out, "cannot read the legacy records from /nonexistent.json");
}
