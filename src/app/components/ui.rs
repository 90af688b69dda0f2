//! The shared look: Tailwind class sets and the small pieces every page uses (badges, yes/no
//! flags, times), so pages stay consistent.

use crate::domain::health::{HealthCounts, Severity};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

pub const TABLE: &str = "stack w-full overflow-hidden rounded-lg bg-white text-left text-sm shadow-sm ring-1 ring-slate-200";
pub const HEAD: &str = "bg-slate-100 text-xs uppercase tracking-wide text-slate-600";
pub const CELL: &str = "px-3 py-2 align-top";
pub const ROW: &str = "border-t border-slate-100";
pub const CARD: &str = "rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200";
pub const INPUT: &str = "rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
pub const BUTTON: &str = "inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-500 disabled:opacity-50";
pub const BUTTON_SMALL: &str = "inline-flex items-center rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-500";
pub const BUTTON_PRIMARY: &str = "inline-flex items-center rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-500 focus:ring-offset-1 disabled:opacity-50";
pub const BUTTON_DANGER: &str = "inline-flex items-center rounded border border-red-300 bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 hover:bg-red-100 focus:outline-none focus:ring-2 focus:ring-red-500";
/// Underlined: a link must not rely on colour alone to stand out from the text around it.
pub const LINK: &str = "text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-700";
pub const H1: &str = "text-2xl font-semibold";
pub const H2: &str = "mb-2 text-lg font-medium";

pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Good => "bg-emerald-100 text-emerald-800",
        Severity::Neutral => "bg-slate-100 text-slate-600",
        Severity::Warn => "bg-amber-100 text-amber-800",
        Severity::Bad => "bg-red-100 text-red-800",
    }
}

#[component]
pub fn Badge(severity: Severity, #[prop(into)] text: String) -> impl IntoView {
    view! { <span class=format!("inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium {}", severity_class(severity))>{text}</span> }
}

/// The link-health badge of a project or person.
#[component]
pub fn HealthBadge(counts: HealthCounts) -> impl IntoView {
    let (severity, text) = counts.summary();
    view! { <span data-testid="health-badge"><Badge severity text/></span> }
}

/// A yes/no cell that reads as words, not colour alone.
#[component]
pub fn Flag(value: bool, #[prop(into)] yes: String, #[prop(into)] no: String) -> impl IntoView {
    let (severity, text) = if value { (Severity::Good, yes) } else { (Severity::Neutral, no) };
    view! { <Badge severity text/> }
}

/// Shown on a link whose connection an admin disabled: why it does not sync.
#[component]
pub fn DisabledConnection(name: Option<String>) -> impl IntoView {
    name.map(|n| view! { <span data-testid="connection-disabled"><Badge severity=Severity::Warn text=format!("{n} is disabled: not synced")/></span> })
}

/// A platform's wire name as people write it.
pub fn platform_name(wire: &str) -> String {
    crate::domain::platform::display_name(wire).to_owned()
}

/// An upstream id as people read it: Bitbucket wraps its uuids in braces, which say nothing.
pub fn shown_id(id: &str) -> &str {
    id.strip_prefix('{').and_then(|i| i.strip_suffix('}')).unwrap_or(id)
}

pub fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| "never".into())
}

/// A time to the second, with its zone: where the order of events matters (the audit log).
pub fn when_exact(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A page heading with room for actions on the right.
#[component]
pub fn PageHeader(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <div class="mb-6 flex flex-wrap items-center gap-4">
            <h1 class=H1>{title}</h1>
            <div class="ml-auto flex flex-wrap items-center gap-2">{children()}</div>
        </div>
    }
}

/// `true` once the component runs in the browser (effects run only there). Pages expose it as
/// `data-hydrated` so tests wait for it before using what only the hydrated page answers in place.
pub fn hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

/// An error from a server function, in words.
#[component]
pub fn ErrorText(#[prop(into)] message: String) -> impl IntoView {
    view! { <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{message}</p> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn platform_names() {
        assert_eq!(super::platform_name("github"), "GitHub");
        assert_eq!(super::platform_name("other"), "other");
    }
}
