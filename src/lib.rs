//! Velocity: the single source of truth for an organisation's projects and people. External
//! systems feed it only through links a person declared and confirmed.
//!
//! Layers: `domain` (types and rules, no IO) → `store` (all SQL) → `api` (server functions and
//! REST) → `app` (Leptos UI). `server` wires the process; `sim` holds the sample organisation.
//! Anything that touches the database, the network or the OS is behind the `ssr` feature.

// serde_json::json! of the simulators' larger objects nests deeper than the default 128.
#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod activity;
pub mod api;
pub mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod connections;
pub mod domain;

#[cfg(feature = "ssr")]
pub mod bench;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod onboarding;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sim;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod suggest;
#[cfg(feature = "ssr")]
pub mod sync;
#[cfg(feature = "ssr")]
pub mod upstream;
#[cfg(feature = "ssr")]
pub mod validation;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
