//! The link dialog of the spec ("Link Jira Projects to 'Mobile App'"): suggested links with
//! checkboxes (the strong ones pre-checked, look-alikes not), each with score and evidence; a
//! live upstream search; for every checked candidate the confirmation checks (what will sync,
//! who holds it, duplicate warnings to confirm); Cancel / Confirm Links. A modal dialog:
//! focus stays inside, Esc cancels, Enter in the search box searches. Nothing typed or ticked
//! is lost when a confirmation fails: the dialog stays open with the error beside its row.

use crate::api::link_dialog::{check_link, confirm_link, search_upstream, CheckView};
use crate::api::suggestions::{dismiss_suggestion, person_suggestions, project_suggestions, SuggestionView};
use crate::app::components::ui::{ErrorText, BUTTON, BUTTON_PRIMARY, BUTTON_SMALL, INPUT};
use crate::domain::catalog::{CatalogKind, UpstreamHit};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

/// Which suggestions start ticked: the best linkable one when it is reasonably strong, and
/// every other linkable one that is strong on its own. Look-alikes and conflicts never are:
/// the person only confirms what the evidence already says. `list` is in rank order.
pub const PRECHECK_BEST: f64 = 0.5;
pub const PRECHECK_ANY: f64 = 0.8;

pub fn prechecked(list: &[SuggestionView]) -> Vec<bool> {
    let linkable = |s: &SuggestionView| !s.look_alike && s.conflict.is_none();
    let best = list.iter().position(linkable);
    list.iter()
        .enumerate()
        .map(|(i, s)| linkable(s) && (s.score >= PRECHECK_ANY || (Some(i) == best && s.score >= PRECHECK_BEST)))
        .collect()
}

/// A preview field name as words: `lastIssueUpdate` → "last issue update".
pub fn words(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Whether a suggestion belongs in a dialog of this kind.
pub fn fits(kind: CatalogKind, platform: &str) -> bool {
    kind.holds(platform)
}

#[derive(Clone, Debug, PartialEq)]
enum Check {
    Idle,
    Loading,
    Done(CheckView),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Linked,
    Failed(String),
}

/// One candidate row; its state lives in signals so ticking one row re-renders only that row.
#[derive(Clone)]
struct Row {
    key: String,
    platform: String,
    connection_id: Uuid,
    external_id: String,
    label: String,
    suggestion: Option<SuggestionView>,
    checked: ArcRwSignal<bool>,
    check: ArcRwSignal<Check>,
    acknowledged: ArcRwSignal<bool>,
    outcome: ArcRwSignal<Option<Outcome>>,
    dismissed: ArcRwSignal<bool>,
}

impl Row {
    fn new(platform: String, connection_id: Uuid, external_id: String, label: String, suggestion: Option<SuggestionView>, checked: bool) -> Self {
        Row {
            key: format!("{connection_id}/{external_id}"),
            platform,
            connection_id,
            external_id,
            label,
            suggestion,
            checked: ArcRwSignal::new(checked),
            check: ArcRwSignal::new(Check::Idle),
            acknowledged: ArcRwSignal::new(false),
            outcome: ArcRwSignal::new(None),
            dismissed: ArcRwSignal::new(false),
        }
    }

    fn from_suggestion(s: SuggestionView, checked: bool) -> Self {
        Row::new(s.platform.clone(), s.connection_id, s.external_id.clone(), s.label.clone(), Some(s), checked)
    }

    fn from_hit(h: UpstreamHit) -> Self {
        Row::new(h.platform, h.connection_id, h.external_id, h.label, None, false)
    }

    fn held_elsewhere(&self) -> Option<String> {
        match self.check.get() {
            Check::Done(CheckView { conflict: Some(c), .. }) => Some(c.holder),
            _ => self.suggestion.as_ref().and_then(|s| s.conflict.clone()),
        }
    }

    /// Runs the confirmation checks (preview, conflict, warnings) once.
    fn run_check(&self, owner: String) {
        if !matches!(self.check.get_untracked(), Check::Idle | Check::Failed(_)) {
            return;
        }
        let row = self.clone();
        row.check.set(Check::Loading);
        spawn_local(async move {
            match check_link(owner, row.platform.clone(), row.connection_id, row.external_id.clone()).await {
                Ok(v) => {
                    if v.conflict.is_some() {
                        row.checked.set(false);
                    }
                    row.check.set(Check::Done(v));
                }
                Err(e) => row.check.set(Check::Failed(e.to_string())),
            }
        });
    }
}

#[component]
pub fn LinkDialog(
    /// `project:KEY` or `person:ID`.
    #[prop(into)]
    owner: String,
    kind: CatalogKind,
    #[prop(into)] title: Signal<String>,
    on_close: Callback<()>,
    on_linked: Callback<()>,
) -> impl IntoView {
    let rows: RwSignal<Vec<Row>> = RwSignal::new(Vec::new());
    let results: RwSignal<Vec<Row>> = RwSignal::new(Vec::new());
    let (load_error, set_load_error) = signal(None::<String>);
    let (loading, set_loading) = signal(true);
    let (query, set_query) = signal(String::new());
    let (searching, set_searching) = signal(false);
    let (search_error, set_search_error) = signal(None::<String>);
    let (searched, set_searched) = signal(false);
    let (busy, set_busy) = signal(false);
    let (form_error, set_form_error) = signal(None::<String>);

    // Suggestions load in the browser: they list every connection's catalog upstream.
    {
        let owner = owner.clone();
        Effect::new(move |prev: Option<()>| {
            if prev.is_some() {
                return;
            }
            let owner = owner.clone();
            spawn_local(async move {
                let found = match crate::api::owner::OwnerRef::parse(&owner) {
                    Ok(crate::api::owner::OwnerRef::Project(key)) => project_suggestions(key).await,
                    Ok(crate::api::owner::OwnerRef::Person(id)) => person_suggestions(id).await,
                    Err(e) => Err(crate::api::ApiError::invalid("owner", e)),
                };
                match found {
                    Ok(list) => {
                        let list: Vec<SuggestionView> = list.into_iter().filter(|s| fits(kind, &s.platform)).collect();
                        let ticks = prechecked(&list);
                        let list: Vec<Row> = list.into_iter().zip(ticks).map(|(s, t)| Row::from_suggestion(s, t)).collect();
                        for r in list.iter().filter(|r| r.checked.get_untracked()) {
                            r.run_check(owner.clone());
                        }
                        rows.set(list);
                    }
                    Err(e) => set_load_error.set(Some(e.to_string())),
                }
                set_loading.set(false);
            });
        });
    }

    let search_ref = NodeRef::<leptos::html::Input>::new();
    let first_ref = NodeRef::<leptos::html::Button>::new();
    let last_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(el) = search_ref.get() {
            let _ = el.focus();
        }
    });

    // Focus stays in the dialog: Tab from the last control goes to the first and back.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            on_close.run(());
        }
        "Tab" => {
            let (Some(first), Some(last)) = (first_ref.get_untracked(), last_ref.get_untracked()) else { return };
            let active = document().active_element();
            let is = |el: &leptos::web_sys::HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(el)));
            if ev.shift_key() && is(&first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && is(&last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };

    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        if q.trim().is_empty() {
            set_search_error.set(Some("Type part of a key or name to search.".into()));
            return;
        }
        set_searching.set(true);
        set_search_error.set(None);
        spawn_local(async move {
            match search_upstream(kind.as_str().to_owned(), q).await {
                Ok(hits) => {
                    let known: Vec<String> = rows.get_untracked().iter().map(|r| r.key.clone()).collect();
                    let kept: Vec<String> = results.get_untracked().iter().filter(|r| r.checked.get_untracked()).map(|r| r.key.clone()).collect();
                    // Ticked results stay; new ones that are not already suggested are added.
                    let mut next: Vec<Row> = results.get_untracked().into_iter().filter(|r| r.checked.get_untracked()).collect();
                    next.extend(hits.into_iter().map(Row::from_hit).filter(|r| !known.contains(&r.key) && !kept.contains(&r.key)));
                    results.set(next);
                    set_searched.set(true);
                }
                Err(e) => set_search_error.set(Some(e.to_string())),
            }
            set_searching.set(false);
        });
    };

    let owner_confirm = owner.clone();
    let confirm = move |_| {
        let owner = owner_confirm.clone();
        let chosen: Vec<Row> = rows.get_untracked().into_iter().chain(results.get_untracked()).filter(|r| r.checked.get_untracked() && r.outcome.get_untracked() != Some(Outcome::Linked)).collect();
        if chosen.is_empty() {
            set_form_error.set(Some("Tick at least one to link, or Cancel.".into()));
            return;
        }
        let unconfirmed: Vec<String> = chosen
            .iter()
            .filter(|r| matches!(r.check.get_untracked(), Check::Done(ref v) if !v.warnings.is_empty()) && !r.acknowledged.get_untracked())
            .map(|r| r.label.clone())
            .collect();
        if !unconfirmed.is_empty() {
            set_form_error.set(Some(format!("Confirm the warning first: {}", unconfirmed.join(", "))));
            return;
        }
        set_form_error.set(None);
        set_busy.set(true);
        spawn_local(async move {
            let mut failed = 0;
            let mut linked = 0;
            for r in chosen {
                let suggestion = r.suggestion.as_ref().map(|s| s.id);
                match confirm_link(owner.clone(), r.platform.clone(), r.connection_id, r.external_id.clone(), suggestion, r.acknowledged.get_untracked()).await {
                    Ok(_) => {
                        linked += 1;
                        r.outcome.set(Some(Outcome::Linked));
                        r.checked.set(false);
                    }
                    Err(e) => {
                        failed += 1;
                        r.outcome.set(Some(Outcome::Failed(e.to_string())));
                    }
                }
            }
            set_busy.set(false);
            if linked > 0 {
                on_linked.run(());
            }
            if failed == 0 {
                on_close.run(());
            } else {
                set_form_error.set(Some(format!("{failed} link(s) failed; see the rows marked below. The others are linked.")));
            }
        });
    };

    let owner_rows = owner.clone();
    let owner_results = owner.clone();
    let (search_label, search_heading) = match kind {
        CatalogKind::Jira => ("Search Jira projects…", "Search for other projects:"),
        CatalogKind::Repository => ("Search repositories…", "Search for other repositories:"),
        CatalogKind::Account => ("Search accounts…", "Search for other accounts:"),
    };
    view! {
        <div class="fixed inset-0 z-40 bg-slate-900/40" aria-hidden="true" on:click=move |_| on_close.run(())></div>
        <div
            role="dialog"
            aria-modal="true"
            aria-labelledby="link-dialog-title"
            class="fixed inset-x-2 top-4 bottom-4 z-50 mx-auto flex max-w-2xl flex-col rounded-lg bg-white shadow-xl ring-1 ring-slate-300 sm:inset-x-4 sm:top-10 sm:bottom-10"
            on:keydown=on_keydown
        >
            <div class="flex items-center border-b border-slate-200 px-4 py-3">
                <h2 id="link-dialog-title" class="text-lg font-semibold">{move || title.get()}</h2>
                <button node_ref=first_ref type="button" class="ml-auto rounded p-1 text-slate-500 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-indigo-500" aria-label="Close" on:click=move |_| on_close.run(())>"✕"</button>
            </div>
            <div class="flex-1 overflow-y-auto px-4 py-3">
                <h3 class="mb-1 text-sm font-medium text-slate-700">"Suggested links:"</h3>
                <Show when=move || loading.get()>
                    <p class="text-sm text-slate-500" role="status">"Looking for suggestions upstream…"</p>
                </Show>
                {move || load_error.get().map(|e| view! { <ErrorText message=format!("Suggestions could not be loaded: {e}")/> })}
                <Show when=move || !loading.get() && load_error.get().is_none() && rows.with(Vec::is_empty)>
                    <p class="text-sm text-slate-500">"No suggestions: search below."</p>
                </Show>
                <ul class="space-y-2" data-testid="suggested-links">
                    <For each=move || rows.get() key=|r| r.key.clone() let:row>
                        <CandidateRow row=row owner=owner_rows.clone()/>
                    </For>
                </ul>

                <form class="mt-4" on:submit=on_search role="search">
                    <label for="link-search" class="mb-1 block text-sm font-medium text-slate-700">{search_heading}</label>
                    <div class="flex gap-2">
                        <input
                            node_ref=search_ref
                            id="link-search"
                            type="search"
                            class=format!("{INPUT} flex-1")
                            placeholder=search_label
                            prop:value=query
                            on:input=move |ev| set_query.set(event_target_value(&ev))
                        />
                        <button type="submit" class=BUTTON disabled=move || searching.get()>{move || if searching.get() { "Searching…" } else { "Search" }}</button>
                    </div>
                </form>
                {move || search_error.get().map(|e| view! { <div class="mt-2"><ErrorText message=e/></div> })}
                <Show when=move || searched.get() && results.with(Vec::is_empty) && !searching.get()>
                    <p class="mt-2 text-sm text-slate-500" role="status">"Nothing upstream matches."</p>
                </Show>
                <ul class="mt-2 space-y-2" data-testid="search-results" aria-live="polite">
                    <For each=move || results.get() key=|r| r.key.clone() let:row>
                        <CandidateRow row=row owner=owner_results.clone()/>
                    </For>
                </ul>
            </div>
            <div class="border-t border-slate-200 px-4 py-3">
                {move || form_error.get().map(|e| view! { <div class="mb-2"><ErrorText message=e/></div> })}
                <div class="flex justify-end gap-2">
                    <button type="button" class=BUTTON on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button node_ref=last_ref type="button" class=BUTTON_PRIMARY disabled=move || busy.get() on:click=confirm>
                        {move || if busy.get() { "Linking…" } else { "Confirm Links" }}
                    </button>
                </div>
            </div>
        </div>
    }
}

#[component]
fn CandidateRow(row: Row, owner: String) -> impl IntoView {
    let id = format!("cand-{}", row.key.replace(['/', '{', '}'], "-"));
    let r = row.clone();
    let held = move || r.held_elsewhere();
    let r = row.clone();
    let linked = move || r.outcome.get() == Some(Outcome::Linked);
    let r = row.clone();
    let owner_check = owner.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        r.checked.set(on);
        if on {
            r.run_check(owner_check.clone());
        }
    };
    let (checked, check, acknowledged, outcome, dismissed) = (row.checked.clone(), row.check.clone(), row.acknowledged.clone(), row.outcome.clone(), row.dismissed.clone());
    let suggestion = row.suggestion.clone();
    let describe = format!("{id}-details");
    let label = row.label.clone();
    let held2 = held.clone();
    let linked2 = linked.clone();
    let dismissed2 = dismissed.clone();
    view! {
        <li class="rounded-md border border-slate-200 p-2" class:hidden=move || dismissed2.get() data-testid="candidate" data-label=label.clone()>
            <div class="flex items-start gap-2">
                <input
                    id=id.clone()
                    type="checkbox"
                    class="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500"
                    prop:checked=move || checked.get()
                    disabled=move || held2().is_some() || linked2()
                    aria-describedby=describe.clone()
                    on:change=on_change
                />
                <div class="min-w-0 flex-1">
                    <label for=id.clone() class="block text-sm font-medium break-words">{label.clone()}</label>
                    <div id=describe class="text-xs text-slate-600">
                        {suggestion.clone().map(|s| view! {
                            <p>
                                <span class="font-mono">{format!("score {:.2}", s.score)}</span>
                                {s.look_alike.then(|| view! { <span class="ml-2 rounded bg-amber-100 px-1 text-amber-800">"look-alike"</span> })}
                            </p>
                            <ul class="ml-4 list-disc">{s.evidence.iter().take(3).map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                        })}
                        {move || held().map(|h| view! { <p class="font-medium text-red-700" data-testid="conflict">{format!("Already linked to {h} — not linkable here.")}</p> })}
                        {move || match check.get() {
                            Check::Loading => Some(view! { <p role="status">"Checking upstream…"</p> }.into_any()),
                            Check::Failed(e) => Some(view! { <p class="text-red-700">{format!("Could not check: {e}")}</p> }.into_any()),
                            Check::Done(v) if v.conflict.is_none() => Some(view! { <CheckDetails view=v acknowledged=acknowledged.clone()/> }.into_any()),
                            _ => None,
                        }}
                        {move || match outcome.get() {
                            Some(Outcome::Linked) => Some(view! { <p class="font-medium text-emerald-700">"Linked."</p> }.into_any()),
                            Some(Outcome::Failed(e)) => Some(view! { <p role="alert" class="font-medium text-red-700">{e}</p> }.into_any()),
                            None => None,
                        }}
                    </div>
                </div>
                {suggestion.map(|s| {
                    let dismissed = dismissed.clone();
                    let (error, set_error) = signal(None::<String>);
                    view! {
                        <div class="text-right">
                            <button type="button" class=BUTTON_SMALL aria-label=format!("Dismiss suggestion {}", s.label) on:click=move |_| {
                                let dismissed = dismissed.clone();
                                spawn_local(async move {
                                    match dismiss_suggestion(s.id).await {
                                        Ok(()) => dismissed.set(true),
                                        Err(e) => set_error.set(Some(e.to_string())),
                                    }
                                });
                            }>"Dismiss"</button>
                            {move || error.get().map(|e| view! { <p class="text-xs text-red-700">{e}</p> })}
                        </div>
                    }
                })}
            </div>
        </li>
    }
}

/// What confirming would sync and the duplicate warnings to accept.
#[component]
fn CheckDetails(view: CheckView, acknowledged: ArcRwSignal<bool>) -> impl IntoView {
    let preview: Vec<(String, String)> = view
        .preview
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (words(k), match v { serde_json::Value::String(s) => s.clone(), serde_json::Value::Array(a) => format!("{} item(s)", a.len()), other => other.to_string() }))
                .collect()
        })
        .unwrap_or_default();
    let warnings = view.warnings.clone();
    view! {
        <div class="mt-1 rounded bg-slate-50 p-2" data-testid="preview">
            <p class="font-medium text-slate-700">"Will sync:"</p>
            <dl class="grid grid-cols-[max-content_1fr] gap-x-2">
                {preview.into_iter().map(|(k, v)| view! { <dt class="text-slate-500">{k}</dt><dd class="break-all">{v}</dd> }).collect_view()}
            </dl>
        </div>
        {(!warnings.is_empty()).then(|| view! {
            <div class="mt-1 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900" data-testid="duplicate-warning">
                <ul>{warnings.iter().map(|w| view! { <li>{format!("Possible duplicate: {}", w.message)}</li> }).collect_view()}</ul>
                <label class="mt-1 flex items-center gap-1 font-medium">
                    <input type="checkbox" prop:checked={
                        let a = acknowledged.clone();
                        move || a.get()
                    } on:change=move |ev| acknowledged.set(event_target_checked(&ev))/>
                    "Link anyway"
                </label>
            </div>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(score: f64, look_alike: bool, conflict: Option<&str>) -> SuggestionView {
        SuggestionView { id: Uuid::nil(), status: "open".into(), platform: "jira".into(), connection_id: Uuid::nil(), external_id: "1".into(), label: "X".into(), score, rules: vec![], evidence: vec![], look_alike, conflict: conflict.map(str::to_owned) }
    }

    #[test]
    fn the_best_linkable_and_the_strong_are_prechecked_look_alikes_and_conflicts_not() {
        // Held elsewhere and look-alike first (as ranks can place them), then the real ones.
        let list = [s(0.95, false, Some("BILLING")), s(0.9, true, None), s(0.6, false, None), s(0.55, false, None), s(0.85, false, None)];
        assert_eq!(prechecked(&list), vec![false, false, true, false, true]);
        assert_eq!(prechecked(&[s(0.4, false, None)]), vec![false], "too weak even as the best");
        assert_eq!(prechecked(&[]), Vec::<bool>::new());
    }

    #[test]
    fn preview_fields_read_as_words() {
        assert_eq!(words("lastIssueUpdate"), "last issue update");
        assert_eq!(words("key"), "key");
    }

    #[test]
    fn dialogs_show_only_their_kind() {
        assert!(fits(CatalogKind::Jira, "jira"));
        assert!(!fits(CatalogKind::Jira, "bitbucket"));
        assert!(fits(CatalogKind::Repository, "bitbucket"));
    }
}
