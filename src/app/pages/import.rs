//! Import (admins): bring people and projects in from a connection's directory. Pick a
//! connection and what to bring in, look at the preview (bots, deactivated accounts, accounts
//! without an e-mail and what Velocity already has are left unticked, with the reason), then
//! create the ticked ones. No link is made: linking is the review step's decision.

use crate::api::connections::list_connections;
use crate::api::onboarding::{import_directory, preview_directory};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::connection::{ConnectionKind, ConnectionView};
use crate::domain::directory_import::{DirectoryImportReport, DirectoryPreview, ImportKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;
use uuid::Uuid;

#[component]
pub fn ImportPage() -> impl IntoView {
    let connections = Resource::new(|| (), |_| list_connections());
    view! {
        <PageHeader title="Bring in people and projects">{()}</PageHeader>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">
            "People come from Slack, Jira, GitHub, GitLab or Bitbucket accounts (with their e-mails where the platform shares them); projects from Jira projects and repositories. Importing creates them in Velocity and links nothing: review the suggestions afterwards."
        </p>
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    connections.await.map(|list| view! { <Importer list/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What a connection of this kind can bring in.
fn kinds_of(kind: ConnectionKind) -> &'static [ImportKind] {
    match kind {
        ConnectionKind::Slack => &[ImportKind::People],
        _ => &[ImportKind::People, ImportKind::Projects],
    }
}

#[component]
fn Importer(list: Vec<ConnectionView>) -> impl IntoView {
    let usable: Vec<ConnectionView> = list.into_iter().filter(|c| c.enabled).collect();
    if usable.is_empty() {
        return view! {
            <div class=CARD data-testid="no-connections">
                <p class="text-sm">"No enabled connection yet. "<a href="/connections" class=LINK>"Add one"</a>" first."</p>
            </div>
        }
        .into_any();
    }
    let first = usable[0].id;
    let kinds = StoredValue::new(usable.iter().map(|c| (c.id, c.kind)).collect::<Vec<(Uuid, ConnectionKind)>>());
    let connection = RwSignal::new(first);
    let kind = RwSignal::new(ImportKind::People);
    let preview = RwSignal::new(None::<DirectoryPreview>);
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let report = RwSignal::new(None::<DirectoryImportReport>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let offers = move || kinds.with_value(|ks| ks.iter().find(|(id, _)| *id == connection.get()).map_or(&[][..], |(_, k)| kinds_of(*k)));
    let load = move || {
        busy.set(true);
        error.set(None);
        report.set(None);
        preview.set(None);
        spawn_local(async move {
            match preview_directory(connection.get_untracked(), kind.get_untracked()).await {
                Ok(p) => {
                    chosen.set(p.entries.iter().filter(|e| e.preselected).map(|e| e.external_id.clone()).collect());
                    preview.set(Some(p));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let import = move || {
        let ids: Vec<String> = chosen.get_untracked().into_iter().collect();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match import_directory(connection.get_untracked(), kind.get_untracked(), ids).await {
                Ok(r) => {
                    report.set(Some(r));
                    preview.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let noun = move || match kind.get() {
        ImportKind::People => "people",
        ImportKind::Projects => "projects",
    };
    view! {
        <div class=format!("{CARD} mb-4 flex flex-wrap items-end gap-4")>
            <label class="text-sm">
                <span class="mb-1 block text-slate-700">"Connection"</span>
                <select class=INPUT on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse() {
                        connection.set(id);
                        if !offers().contains(&kind.get_untracked()) {
                            kind.set(ImportKind::People);
                        }
                    }
                }>
                    {usable.iter().map(|c| view! { <option value=c.id.to_string()>{format!("{} ({})", c.name, c.kind.label())}</option> }).collect_view()}
                </select>
            </label>
            <fieldset class="text-sm">
                <legend class="mb-1 text-slate-700">"Bring in"</legend>
                <div class="flex gap-3">
                    {move || offers().iter().map(|k| {
                        let k = *k;
                        let label = if k == ImportKind::People { "People" } else { "Projects" };
                        view! {
                            <label class="flex items-center gap-1">
                                <input type="radio" name="import-kind" prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                                {label}
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="button" class=BUTTON_PRIMARY disabled=move || busy.get() on:click=move |_| load()>
                {move || if busy.get() { "Reading the directory…" } else { "Preview" }}
            </button>
        </div>
        {move || error.get().map(|m| view! { <ErrorText message=m/> })}
        {move || report.get().map(|r| view! { <ImportReportView r/> })}
        {move || preview.get().map(|p| {
            let total = p.entries.len();
            view! {
                <div class="mb-3 flex flex-wrap items-center gap-2">
                    <p class="text-sm" data-testid="preview-summary">{format!("{} lists {total} {}; {} ticked.", p.connection_name, noun(), chosen.get().len())}</p>
                    <button type="button" class=format!("{BUTTON_PRIMARY} ml-auto") disabled=move || busy.get() || chosen.get().is_empty() on:click=move |_| import()>
                        {move || format!("Create {} {}", chosen.get().len(), noun())}
                    </button>
                </div>
                <PreviewTable p chosen/>
            }
        })}
    }
    .into_any()
}

#[component]
fn PreviewTable(p: DirectoryPreview, chosen: RwSignal<BTreeSet<String>>) -> impl IntoView {
    if p.entries.is_empty() {
        return view! { <p class=CARD>"The directory is empty: the connection's token sees nothing to bring in."</p> }.into_any();
    }
    let people = p.kind == ImportKind::People;
    view! {
        <div class="overflow-x-auto" tabindex="0">
            <table class=TABLE data-testid="directory-preview">
                <thead class=HEAD><tr>
                    <th class=CELL><span class="sr-only">"Import"</span></th>
                    <th class=CELL>"Name"</th>
                    <th class=CELL>{if people { "E-mail" } else { "Key" }}</th>
                    <th class=CELL>"Upstream"</th>
                    <th class=CELL>"Left out because"</th>
                </tr></thead>
                <tbody>
                    {p.entries.into_iter().map(|e| {
                        let id = e.external_id.clone();
                        let toggle_id = id.clone();
                        let name = e.name.clone();
                        view! {
                            <tr class=ROW data-testid="directory-entry">
                                <td class=CELL>
                                    <input type="checkbox" aria-label=format!("Import {name}") disabled=!e.importable
                                        prop:checked=move || chosen.get().contains(&id)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| { if on { c.insert(toggle_id.clone()); } else { c.remove(&toggle_id); } });
                                        }/>
                                </td>
                                <td class=CELL>{e.name}</td>
                                <td class=format!("{CELL} font-mono text-xs")>{if people { e.email.unwrap_or_default() } else { e.key.unwrap_or_default() }}</td>
                                <td class=format!("{CELL} text-xs text-slate-600")>{e.source}</td>
                                <td class=format!("{CELL} text-xs text-slate-600")>{e.reasons.join("; ")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ImportReportView(r: DirectoryImportReport) -> impl IntoView {
    view! {
        <div class=format!("{CARD} mb-4") role="status" data-testid="import-report">
            <p class="text-sm font-medium">{format!("Created {}, skipped {}.", r.created.len(), r.skipped.len())}</p>
            {(!r.created.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-700">{r.created.join(", ")}</p> })}
            {(!r.skipped.is_empty()).then(|| view! {
                <ul class="mt-2 list-disc pl-5 text-sm text-slate-700">
                    {r.skipped.into_iter().map(|s| view! { <li>{format!("{}: {}", s.external_id, s.reason)}</li> }).collect_view()}
                </ul>
            })}
            <p class="mt-2 text-sm"><a href="/suggestions" class=LINK>"Review the suggestions for them"</a></p>
        </div>
    }
}
