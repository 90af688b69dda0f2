//! The link dialog of the spec ("Link Jira Projects to 'Mobile App'"): suggested links with
//! checkboxes (those `suggest::preticks` settles start ticked), each with score and evidence; a
//! live upstream search; for every checked candidate the confirmation checks (what will sync,
//! who holds it, duplicate warnings to confirm); Cancel / Confirm Links. A modal dialog:
//! focus stays inside, Esc cancels, Enter in the search box searches. Nothing typed or ticked
//! is lost when a confirmation fails: the dialog stays open with the error beside its row.

use crate::api::link_dialog::confirm_link;
use crate::api::suggestions::{person_suggestions, project_suggestions, SuggestionView};
use crate::app::components::ui::{ErrorText, BUTTON, BUTTON_PRIMARY, INPUT};
use crate::api::link_dialog::search_upstream;
use crate::domain::catalog::CatalogKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use row::{CandidateRow, Check, Outcome, Row};

mod row;

/// Whether a suggestion belongs in a dialog of this kind.
pub fn fits(kind: CatalogKind, platform: &str) -> bool {
    kind.holds(platform)
}

/// What a Confirm linked, for the page behind the dialog: "Linked PLAT and DATA."
pub fn linked_sentence(labels: &[String], waiting: usize) -> String {
    let listed = match labels {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    match waiting {
        0 => format!("Linked {listed}."),
        n if n == labels.len() => format!("Linked {listed}; waiting for an admin's approval before anything syncs."),
        n => format!("Linked {listed}; {n} of them wait for an admin's approval before anything syncs."),
    }
}

/// Shown when Confirm is pressed with nothing ticked.
const TICK_ONE: &str = "Tick at least one to link, or Cancel.";

#[component]
pub fn LinkDialog(
    /// `project:KEY` or `person:ID`.
    #[prop(into)]
    owner: String,
    kind: CatalogKind,
    #[prop(into)] title: Signal<String>,
    on_close: Callback<()>,
    /// Told, in a sentence for the page's status line, what a Confirm linked.
    on_linked: Callback<String>,
) -> impl IntoView {
    let rows: RwSignal<Vec<Row>> = RwSignal::new(Vec::new());
    let results: RwSignal<Vec<Row>> = RwSignal::new(Vec::new());
    let (load_error, set_load_error) = signal(None::<String>);
    let (loading, set_loading) = signal(true);
    let (query, set_query) = signal(String::new());
    let (searching, set_searching) = signal(false);
    let (search_error, set_search_error) = signal(None::<String>);
    let (searched, set_searched) = signal(false);
    // Hits that are suggested above already: named, not repeated below.
    let (already_listed, set_already_listed) = signal(Vec::<String>::new());
    let (busy, set_busy) = signal(false);
    let (form_error, set_form_error) = signal(None::<String>);
    let (notice, set_notice) = signal(None::<String>);

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
                        let list: Vec<Row> = list.into_iter().map(|s| { let ticked = s.preticked; Row::from_suggestion(s, ticked) }).collect();
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

    // The "tick at least one" hint goes as soon as one is ticked (issue 15, bug 7).
    Effect::new(move |_| {
        let ticked = |list: &Vec<Row>| list.iter().any(|r| r.checked.get());
        if (rows.with(ticked) || results.with(ticked)) && form_error.get_untracked().as_deref() == Some(TICK_ONE) {
            set_form_error.set(None);
        }
    });

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
                    let (listed, new): (Vec<Row>, Vec<Row>) = hits.into_iter().map(Row::from_hit).partition(|r| known.contains(&r.key));
                    next.extend(new.into_iter().filter(|r| !kept.contains(&r.key)));
                    results.set(next);
                    if let Some(first) = listed.first() {
                        if let Some(el) = document().get_element_by_id(&row::dom_id(&first.key)) {
                            el.scroll_into_view();
                        }
                    }
                    set_already_listed.set(listed.into_iter().map(|r| r.label).collect());
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
        let chosen: Vec<Row> = rows.get_untracked().into_iter().chain(results.get_untracked()).filter(|r| r.checked.get_untracked() && !Outcome::written(&r.outcome.get_untracked())).collect();
        if chosen.is_empty() {
            set_form_error.set(Some(TICK_ONE.into()));
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
            let (mut failed, mut linked, mut waiting) = (0, 0, 0);
            let mut labels = Vec::new();
            for r in chosen {
                let suggestion = r.suggestion.as_ref().map(|s| s.id);
                match confirm_link(owner.clone(), r.platform.clone(), r.connection_id, r.external_id.clone(), suggestion, r.acknowledged.get_untracked()).await {
                    Ok(c) => {
                        linked += 1;
                        labels.push(r.label.clone());
                        waiting += usize::from(c.pending);
                        r.outcome.set(Some(if c.pending { Outcome::Pending } else { Outcome::Linked }));
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
                on_linked.run(linked_sentence(&labels, waiting));
            }
            if waiting > 0 {
                set_notice.set(Some(format!(
                    "{waiting} of them wait{} for an admin's approval: the account's e-mail upstream is not yours. Nothing syncs through {} until an admin approves.",
                    if waiting == 1 { "s" } else { "" },
                    if waiting == 1 { "it" } else { "them" }
                )));
            }
            match (failed, linked) {
                (0, _) if waiting == 0 => on_close.run(()),
                (0, _) => {}
                (_, 0) => set_form_error.set(Some(format!("Nothing was linked: {failed} failed; see the rows marked below."))),
                _ => set_form_error.set(Some(format!("{failed} failed; see the rows marked below. {linked} linked."))),
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
                {move || (!already_listed.with(Vec::is_empty) && !searching.get()).then(|| view! {
                    <p class="mt-2 text-sm text-slate-600" role="status" data-testid="already-listed">
                        {format!("Already suggested above: {}.", already_listed.get().join(", "))}
                    </p>
                })}
                <Show when=move || searched.get() && results.with(Vec::is_empty) && already_listed.with(Vec::is_empty) && !searching.get()>
                    <p class="mt-2 text-sm text-slate-500" role="status">"Nothing upstream matches."</p>
                </Show>
                <ul class="mt-2 space-y-2" data-testid="search-results" aria-live="polite">
                    <For each=move || results.get() key=|r| r.key.clone() let:row>
                        <CandidateRow row=row owner=owner_results.clone()/>
                    </For>
                </ul>
            </div>
            <div class="border-t border-slate-200 px-4 py-3">
                {move || notice.get().map(|n| view! { <p role="status" class="mb-2 text-sm text-amber-900" data-testid="dialog-notice">{n}</p> })}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialogs_show_only_their_kind() {
        assert!(fits(CatalogKind::Jira, "jira"));
        assert!(!fits(CatalogKind::Jira, "bitbucket"));
        assert!(fits(CatalogKind::Repository, "bitbucket"));
    }

    #[test]
    fn linked_sentence_lists_in_words() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(linked_sentence(&l(&["PLAT"]), 0), "Linked PLAT.");
        assert_eq!(linked_sentence(&l(&["PLAT", "DATA"]), 0), "Linked PLAT and DATA.");
        assert_eq!(linked_sentence(&l(&["A", "B", "C"]), 1), "Linked A, B and C; 1 of them wait for an admin's approval before anything syncs.");
        assert_eq!(linked_sentence(&l(&["ana"]), 1), "Linked ana; waiting for an admin's approval before anything syncs.");
    }
}
