//! The Leptos UI (server-rendered, hydrated in the browser). Components render and call server
//! functions in `crate::api`; they hold no SQL and no domain rule.

pub mod components;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this origin or inline with this
/// response's nonce (Leptos puts it on its hydration and streaming scripts), WebAssembly for the
/// hydrated app, no framing, forms and connections to this origin only.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Puts keyboard focus on the page's main content (the skip link's target).
fn focus_main() {
    #[cfg(feature = "hydrate")]
    if let Some(main) = document().get_element_by_id("main").and_then(|e| leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(e).ok()) {
        let _ = main.focus();
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let hydrated = components::ui::hydrated();
    view! {
        <Stylesheet id="leptos" href="/pkg/velocity.css"/>
        <Title text="Velocity"/>
        <Router>
            // First in the tab order: keyboard users skip the navigation to the page itself.
            // rel="external": the browser follows it (the router would only scroll), and the
            // click moves focus into the page, so the next Tab starts there.
            <a href="#main" rel="external" on:click=|_| focus_main() class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-indigo-700 focus:ring-2 focus:ring-indigo-500">"Skip to content"</a>
            <components::nav::Nav/>
            // The link pages render completely on the server (SsrMode::Async), so their forms
            // and content work before, or without, the browser running the app.
            <main id="main" tabindex="-1" class="mx-auto max-w-6xl px-4 py-6 focus:outline-none" data-hydrated=move || hydrated.get().to_string()>
                <Routes fallback=|| view! { <components::not_found::NotFound/> }>
                    <Route path=path!("") view=pages::directory::DirectoryPage/>
                    <Route path=path!("/login") view=pages::login::LoginPage/>
                    <Route path=path!("/projects") view=pages::projects::ProjectsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:key") view=pages::projects::ProjectPage ssr=SsrMode::Async/>
                    <Route path=path!("/people") view=pages::people::PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("/people/:id") view=pages::people::PersonPage ssr=SsrMode::Async/>
                    <Route path=path!("/me/accounts") view=pages::people::MyAccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/me/tokens") view=pages::tokens::TokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/sync") view=pages::sync::SyncPage ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view=pages::audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/link-health") view=pages::health::HealthPage ssr=SsrMode::Async/>
                    <Route path=path!("/migration") view=pages::migration::MigrationPage/>
                    <Route path=path!("/connections") view=pages::connections::ConnectionsPage/>
                    <Route path=path!("/setup") view=pages::setup::SetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/import") view=pages::import::ImportPage/>
                    <Route path=path!("/transfer") view=pages::transfer::TransferPage/>
                    <Route path=path!("/suggestions") view=pages::review::ReviewPage/>
                    <Route path=path!("/pending") view=pages::pending::PendingPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
