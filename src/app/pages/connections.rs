//! Connections (admins): the upstream systems Velocity reads, their state — last test, last
//! sync, rate limit left, active links — and adding, editing, testing, disabling, removing.

use crate::api::connections::{list_connections, remove_connection, test_connection, update_connection};
use crate::app::components::connection_dialog::{ConnectionDialog, OutcomeView};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::connection::{ConnectionChange, ConnectionView};
use crate::domain::health::Severity;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The dialog's state: closed, adding, or editing one connection.
#[derive(Clone)]
enum Dialog {
    Closed,
    Add,
    Edit(ConnectionView),
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let (version, set_version) = signal(0u32);
    let reload = move || set_version.update(|n| *n += 1);
    let connections = Resource::new(move || version.get(), |_| list_connections());
    let dialog = RwSignal::new(Dialog::Closed);
    let action_error = RwSignal::new(None::<String>);
    let close = Callback::new(move |_| dialog.set(Dialog::Closed));
    let saved = Callback::new(move |_| reload());
    // A saved connection's test outcome shows in its row; the dialog has done its job.
    let dialog_saved = Callback::new(move |_| {
        dialog.set(Dialog::Closed);
        reload();
    });
    view! {
        <PageHeader title="Connections">
            <button type="button" class=BUTTON_PRIMARY on:click=move |_| dialog.set(Dialog::Add)>"Add connection"</button>
        </PageHeader>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">
            "The Jira sites, GitHub organisations, GitLab groups, Bitbucket workspaces and Slack workspaces Velocity reads. Credentials are stored encrypted and never shown again; a disabled connection is never contacted."
        </p>
        {move || action_error.get().map(|m| view! { <ErrorText message=m/> })}
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    connections.await.map(|list| view! { <ConnectionsTable list dialog action_error on_changed=saved/> })
                })}
            </ErrorBoundary>
        </Transition>
        {move || match dialog.get() {
            Dialog::Closed => None,
            Dialog::Add => Some(view! { <ConnectionDialog editing=None on_close=close on_saved=dialog_saved/> }.into_any()),
            Dialog::Edit(c) => Some(view! { <ConnectionDialog editing=Some(c) on_close=close on_saved=dialog_saved/> }.into_any()),
        }}
    }
}

#[component]
fn ConnectionsTable(list: Vec<ConnectionView>, dialog: RwSignal<Dialog>, action_error: RwSignal<Option<String>>, on_changed: Callback<()>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <div class=CARD data-testid="no-connections">
                <p class="text-sm">"No connection yet. Add your Jira site, GitHub organisation, GitLab group, Bitbucket workspace or Slack workspace to bring people and projects in and link them."</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="overflow-x-auto" tabindex="0">
        <table class=TABLE data-testid="connections">
            <thead class=HEAD><tr>
                <th class=CELL>"Kind"</th><th class=CELL>"Name"</th><th class=CELL>"Address"</th><th class=CELL>"State"</th><th class=CELL>"Last test"</th><th class=CELL>"Last sync"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|c| view! { <ConnectionRow c dialog action_error on_changed/> }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

#[component]
fn ConnectionRow(c: ConnectionView, dialog: RwSignal<Dialog>, action_error: RwSignal<Option<String>>, on_changed: Callback<()>) -> impl IntoView {
    let id = c.id;
    let tested = RwSignal::new(c.last_test.clone());
    let busy = RwSignal::new(false);
    let confirm_remove = RwSignal::new(false);
    let act = move |what: &'static str| {
        busy.set(true);
        action_error.set(None);
        spawn_local(async move {
            let result = match what {
                "test" => test_connection(id).await.map(|o| tested.set(Some(o))),
                "disable" | "enable" => update_connection(id, ConnectionChange { enabled: Some(what == "enable"), ..ConnectionChange::default() }).await.map(|_| on_changed.run(())),
                _ => remove_connection(id).await.map(|_| on_changed.run(())),
            };
            busy.set(false);
            if let Err(e) = result {
                action_error.set(Some(e.to_string()));
            }
        });
    };
    let (state, state_text) = match (c.enabled, c.credentials.as_str()) {
        (false, _) => (Severity::Warn, "disabled".to_owned()),
        (true, "set") => (Severity::Good, "enabled".to_owned()),
        _ => (Severity::Bad, "no credentials".to_owned()),
    };
    let scope = (!c.scope.is_empty()).then(|| format!(" · {}", c.scope)).unwrap_or_default();
    let edit = c.clone();
    view! {
        <tr class=ROW data-testid=format!("connection-{}", c.name)>
            <td class=CELL>{c.kind.label()}</td>
            <td class=CELL>{c.name.clone()}<div class="text-xs text-slate-500">{format!("{} active links", c.active_links)}</div></td>
            <td class=format!("{CELL} font-mono text-xs break-all")>{format!("{}{scope}", c.base_url)}</td>
            <td class=CELL>
                <Badge severity=state text=state_text/>
                <div class="text-xs text-slate-500">{format!("secret {} {}", c.credentials, when(c.credentials_updated_at))}</div>
            </td>
            <td class=format!("{CELL} min-w-48")>{move || match tested.get() {
                Some(o) => view! { <OutcomeView outcome=o/> }.into_any(),
                None => view! { <span class="text-xs text-slate-500">"not tested"</span> }.into_any(),
            }}</td>
            <td class=format!("{CELL} text-xs")>{c.last_sync.map(|s| format!("run {} {} · {}", s.run_id, s.status, when(Some(s.started_at)))).unwrap_or_else(|| "never".into())}</td>
            <td class=CELL>
                <div class="flex flex-wrap gap-1">
                    <button type="button" class=BUTTON_SMALL disabled=move || busy.get() on:click=move |_| act("test")>"Test"</button>
                    <button type="button" class=BUTTON_SMALL on:click=move |_| dialog.set(Dialog::Edit(edit.clone()))>"Edit"</button>
                    {if c.enabled {
                        view! { <button type="button" class=BUTTON_SMALL disabled=move || busy.get() on:click=move |_| act("disable")>"Disable"</button> }.into_any()
                    } else {
                        view! { <button type="button" class=BUTTON_SMALL disabled=move || busy.get() on:click=move |_| act("enable")>"Enable"</button> }.into_any()
                    }}
                    <Show when=move || confirm_remove.get() fallback=move || view! {
                        <button type="button" class=BUTTON_DANGER on:click=move |_| confirm_remove.set(true)>"Remove"</button>
                    }>
                        <button type="button" class=BUTTON_DANGER disabled=move || busy.get() on:click=move |_| act("remove")>"Yes, remove"</button>
                        <button type="button" class=BUTTON_SMALL on:click=move |_| confirm_remove.set(false)>"Keep"</button>
                    </Show>
                </div>
            </td>
        </tr>
    }
}
