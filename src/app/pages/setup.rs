//! First run and getting started. On an instance nobody has claimed: the form that takes the
//! setup code printed by the server (a plain form, so it works before hydration) and creates the
//! first admin. For an admin afterwards: the onboarding steps with how far each has come.

use crate::api::setup::{setup_status, ClaimSetup, Progress};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SetupPage() -> impl IntoView {
    // Claiming comes back here with `?welcome`: asked again then.
    let location = leptos_router::hooks::use_location();
    let status = Resource::new(move || location.search.get(), |_| setup_status());
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    status.await.map(|s| match (s.needed, s.progress) {
                        (true, _) => view! { <ClaimForm/> }.into_any(),
                        (false, Some(p)) => view! { <GettingStarted p/> }.into_any(),
                        (false, None) => view! {
                            <div class=CARD>
                                <h1 class=H1>"Velocity is set up"</h1>
                                <p class="mt-2 text-sm">"An admin already exists. "<a href="/login" class=LINK>"Sign in"</a>" with your account, or ask an admin for one."</p>
                            </div>
                        }.into_any(),
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

const FIELD: &str = "w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

#[component]
fn ClaimForm() -> impl IntoView {
    let claim = ServerAction::<ClaimSetup>::new();
    let error = move || claim.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <div class="mx-auto mt-8 max-w-md rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h1 class="mb-2 text-xl font-semibold">"Set up Velocity"</h1>
            <p class="mb-4 text-sm text-slate-600">
                "Nobody has an account yet. The server printed a one-time setup code when it started (the line "
                <code class="font-mono">"setup code: …"</code>"); enter it to become the first admin."
            </p>
            <ActionForm action=claim attr:class="space-y-4">
                <label class="block text-sm">
                    <span class="mb-1 block text-slate-700">"Setup code"</span>
                    <input type="text" name="code" required autocomplete="off" spellcheck="false" class=format!("{FIELD} font-mono uppercase")/>
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block text-slate-700">"Your name"</span>
                    <input type="text" name="name" required autocomplete="name" class=FIELD/>
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block text-slate-700">"E-mail"</span>
                    <input type="email" name="email" required autocomplete="username" class=FIELD/>
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block text-slate-700">"Password (at least 10 characters)"</span>
                    <input type="password" name="password" required minlength="10" autocomplete="new-password" class=FIELD/>
                </label>
                <button type="submit" class="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
                    "Create the first admin"
                </button>
                {move || error().map(|e| view! { <p role="alert" class="text-sm text-red-700">{e}</p> })}
            </ActionForm>
        </div>
    }
}

#[component]
fn Step(number: u8, #[prop(into)] title: String, #[prop(into)] state: String, done: bool, #[prop(into)] href: String, #[prop(into)] action: String, children: Children) -> impl IntoView {
    let mark = if done { "✓" } else { "" };
    view! {
        <li class=format!("{CARD} flex flex-wrap items-start gap-4") data-testid=format!("step-{number}")>
            <span class="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-indigo-100 font-semibold text-indigo-700" aria-hidden="true">{if done { mark.to_owned() } else { number.to_string() }}</span>
            <div class="min-w-0 flex-1">
                <h2 class="font-medium">{title}</h2>
                <p class="text-sm text-slate-600">{children()}</p>
                <p class="mt-1 text-sm" data-testid="step-state">{state}</p>
            </div>
            <a href=href class=BUTTON>{action}</a>
        </li>
    }
}

#[component]
fn GettingStarted(p: Progress) -> impl IntoView {
    view! {
        <PageHeader title="Getting started">{()}</PageHeader>
        <ol class="space-y-3">
            <Step number=1 title="Connect your tools" done={p.connections_tested_ok > 0} href="/connections" action="Connections"
                state=format!("{} connections, {} passed their last test", p.connections, p.connections_tested_ok)>
                "Add your Jira site, GitHub organisation, GitLab group, Bitbucket workspace and Slack workspace. Each is tested before it is saved."
            </Step>
            <Step number=2 title="Bring in people and projects" done={p.persons > 1 && p.projects > 0} href="/import" action="Import"
                state=format!("{} people, {} projects", p.persons, p.projects)>
                "Preview a connection's directory and create the people and projects you choose. Nothing is linked yet."
            </Step>
            <Step number=3 title="Review suggestions" done={p.active_links > 0} href="/suggestions" action="Review"
                state=format!("{} open suggestions, {} active links", p.open_suggestions, p.active_links)>
                "Velocity suggests which accounts, Jira projects and repositories belong to whom. Tick the right ones and confirm: only what you confirm is linked."
            </Step>
            <Step number=4 title="Sync" done=false href="/sync" action="Sync"
                state="Runs on each connection's interval, or now from the Sync page">
                "Issues, worklogs, commits and pull requests come in only through confirmed links."
            </Step>
        </ol>
    }
}
