//! The add/edit dialog of the Connections page: fields per kind with one sentence of help on
//! where to create the credential, "Test" to ask the upstream, "Save" that tests first and
//! saves only what the upstream accepted (or, after a refusal, "Save anyway"). Editing leaves
//! the token empty: typing one rotates the secret. Nothing typed is lost when a test fails.

use crate::api::connections::{create_connection, try_connection, update_connection};
use crate::app::components::ui::{ErrorText, BUTTON, BUTTON_PRIMARY, INPUT};
use crate::domain::connection::{AuthMode, ConnectionChange, ConnectionInput, ConnectionKind, ConnectionView, TestOutcome};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What a test said, as the dialog and the table show it.
#[component]
pub fn OutcomeView(outcome: TestOutcome) -> impl IntoView {
    let (role, class) = if outcome.ok { ("status", "border-emerald-200 bg-emerald-50 text-emerald-900") } else { ("alert", "border-red-200 bg-red-50 text-red-800") };
    let sees = outcome.sees.iter().map(|s| format!("{}{} {}", s.count, if s.more { "+" } else { "" }, s.what)).collect::<Vec<_>>().join(", ");
    view! {
        <div role=role data-testid="test-outcome" class=format!("rounded-md border px-3 py-2 text-sm {class}")>
            <p>{outcome.message}</p>
            {(!sees.is_empty()).then(|| view! { <p class="text-xs">{format!("Sees {sees}")}</p> })}
            {outcome.rate_limit_remaining.map(|r| view! { <p class="text-xs">{format!("Rate limit left: {r}")}</p> })}
            {outcome.warnings.into_iter().map(|w| view! { <p class="text-xs text-amber-800">{format!("Warning: {w}")}</p> }).collect_view()}
        </div>
    }
}

#[component]
pub fn ConnectionDialog(
    /// The connection being edited; none to add one.
    editing: Option<ConnectionView>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let id = editing.as_ref().map(|c| c.id);
    let kind = RwSignal::new(editing.as_ref().map_or(ConnectionKind::Jira, |c| c.kind));
    let name = RwSignal::new(editing.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let base_url = RwSignal::new(editing.as_ref().map_or_else(|| ConnectionKind::Jira.default_base_url().to_owned(), |c| c.base_url.clone()));
    let scope = RwSignal::new(editing.as_ref().map(|c| c.scope.clone()).unwrap_or_default());
    let auth = RwSignal::new(editing.as_ref().map_or(AuthMode::Basic, |c| c.auth));
    let email = RwSignal::new(editing.as_ref().and_then(|c| c.email.clone()).unwrap_or_default());
    let token = RwSignal::new(String::new());
    let interval = RwSignal::new(editing.as_ref().and_then(|c| c.sync_interval_secs).map(|s| s.to_string()).unwrap_or_default());
    let cap = RwSignal::new(editing.as_ref().and_then(|c| c.max_requests_per_second).map(|s| s.to_string()).unwrap_or_default());
    let outcome = RwSignal::new(None::<TestOutcome>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(false);

    // A new kind starts from its usual address and default authentication.
    let choose_kind = move |raw: String| {
        if let Ok(k) = raw.parse::<ConnectionKind>() {
            kind.set(k);
            base_url.set(k.default_base_url().to_owned());
            auth.set(k.auth_modes()[0]);
            outcome.set(None);
            refused.set(false);
        }
    };
    let interval_secs = move || interval.get().trim().parse::<i32>().ok();
    let cap_per_second = move || cap.get().trim().parse::<i32>().ok();
    let input = move || ConnectionInput {
        kind: kind.get().as_str().to_owned(),
        name: name.get(),
        base_url: base_url.get(),
        scope: scope.get(),
        auth: Some(auth.get()),
        email: (auth.get() == AuthMode::Basic).then(|| email.get()),
        token: token.get(),
        sync_interval_secs: interval_secs(),
        enabled: None,
        max_requests_per_second: cap_per_second(),
    };
    let run = move |force: bool, test_only: bool| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match (id, test_only) {
                (_, true) => try_connection(input()).await.map(|o| (Some(o), false)),
                (None, false) => create_connection(input(), force).await.map(|(o, saved)| (Some(o), saved.is_some())),
                (Some(id), false) => {
                    let change = ConnectionChange {
                        name: Some(name.get_untracked()),
                        base_url: Some(base_url.get_untracked()),
                        scope: Some(scope.get_untracked()),
                        auth: Some(auth.get_untracked()),
                        email: (auth.get_untracked() == AuthMode::Basic).then(|| email.get_untracked()),
                        token: Some(token.get_untracked()).filter(|t| !t.trim().is_empty()),
                        sync_interval_secs: Some(interval_secs().unwrap_or(0)),
                        enabled: None,
                        max_requests_per_second: Some(cap_per_second().unwrap_or(0)),
                    };
                    update_connection(id, change).await.map(|(_, o)| (o, true))
                }
            };
            busy.set(false);
            match result {
                Ok((o, saved)) => {
                    refused.set(o.as_ref().is_some_and(|o| !o.ok));
                    outcome.set(o);
                    if saved {
                        on_saved.run(());
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let title = if id.is_some() { "Edit connection" } else { "Add a connection" };
    let field = "mb-3 block text-sm";
    view! {
        <div class="fixed inset-0 z-10 flex items-start justify-center overflow-y-auto bg-slate-900/40 p-4">
            <div role="dialog" aria-modal="true" aria-labelledby="connection-dialog-title" class="w-full max-w-xl rounded-lg bg-white p-5 shadow-lg"
                on:keydown=move |e| if e.key() == "Escape" { on_close.run(()) }>
                <h2 id="connection-dialog-title" class="mb-3 text-lg font-semibold">{title}</h2>
                <label class=field>"Kind"
                    <select class=format!("{INPUT} mt-1 block w-full") disabled=id.is_some() on:change=move |e| choose_kind(event_target_value(&e))
                        prop:value=move || kind.get().as_str()>
                        {ConnectionKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class=field>"Name"
                    <input class=format!("{INPUT} mt-1 block w-full") placeholder="Acme Jira" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                </label>
                <label class=field>"Base URL"
                    <input class=format!("{INPUT} mt-1 block w-full font-mono") prop:value=move || base_url.get() on:input=move |e| base_url.set(event_target_value(&e))/>
                </label>
                {move || kind.get().scope_label().map(|label| view! {
                    <label class=field>{format!("Scope: {label}")}
                        <input class=format!("{INPUT} mt-1 block w-full") prop:value=move || scope.get() on:input=move |e| scope.set(event_target_value(&e))/>
                    </label>
                })}
                {move || (kind.get().auth_modes().len() > 1).then(|| view! {
                    <label class=field>"Authentication"
                        <select class=format!("{INPUT} mt-1 block w-full") prop:value=move || auth.get().as_str()
                            on:change=move |e| if let Some(m) = AuthMode::parse(&event_target_value(&e)) { auth.set(m) }>
                            <option value="basic">"API token with the account's e-mail"</option>
                            <option value="bearer">"Workspace or repository access token"</option>
                        </select>
                    </label>
                })}
                <p class="mb-3 rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600" data-testid="auth-help">{move || kind.get().help(auth.get())}</p>
                {move || (auth.get() == AuthMode::Basic).then(|| view! {
                    <label class=field>"Account e-mail"
                        <input type="email" class=format!("{INPUT} mt-1 block w-full") prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e))/>
                    </label>
                })}
                <label class=field>{if id.is_some() { "New token (leave empty to keep the current one)" } else { "Token" }}
                    <input type="password" autocomplete="off" class=format!("{INPUT} mt-1 block w-full font-mono") prop:value=move || token.get() on:input=move |e| token.set(event_target_value(&e))/>
                </label>
                <label class=field>"Sync every (seconds; empty: only when started)"
                    <input type="number" min="0" class=format!("{INPUT} mt-1 block w-40") prop:value=move || interval.get() on:input=move |e| interval.set(event_target_value(&e))/>
                </label>
                <label class=field>"At most (requests a second; empty: as fast as the upstream's limits allow)"
                    <input type="number" min="0" max="1000" class=format!("{INPUT} mt-1 block w-40") prop:value=move || cap.get() on:input=move |e| cap.set(event_target_value(&e))/>
                </label>
                {move || error.get().map(|m| view! { <ErrorText message=m/> })}
                {move || outcome.get().map(|o| view! { <OutcomeView outcome=o/> })}
                <div class="mt-4 flex flex-wrap justify-end gap-2">
                    <button type="button" class=BUTTON on:click=move |_| on_close.run(())>"Cancel"</button>
                    {id.is_none().then(|| view! { <button type="button" class=BUTTON disabled=move || busy.get() on:click=move |_| run(false, true)>"Test"</button> })}
                    {move || (refused.get() && id.is_none()).then(|| view! { <button type="button" class=BUTTON disabled=move || busy.get() on:click=move |_| run(true, false)>"Save anyway"</button> })}
                    <button type="button" class=BUTTON_PRIMARY disabled=move || busy.get() on:click=move |_| run(false, false)>
                        {move || if busy.get() { "Asking upstream…" } else if id.is_some() { "Save and test" } else { "Test and save" }}
                    </button>
                </div>
            </div>
        </div>
    }
}
