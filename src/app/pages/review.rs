//! Bulk review (admins): every open suggestion across people, or across projects, in one list
//! filtered by score and platform. Nothing is pre-ticked: the admin ticks what is right and
//! confirms once; each ticked one is linked through the same checks as a single link, and the
//! outcome of each is shown (one refusal does not stop the others).

use crate::api::review::{accept_suggestions, review_suggestions, AcceptOutcome, ReviewList};
use crate::api::suggestions::SuggestionView;
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::directory_import::ImportKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;
use uuid::Uuid;

/// One row of the list: a suggestion and whose it is.
#[derive(Clone)]
struct Row {
    entity_id: String,
    entity_name: String,
    s: SuggestionView,
}

fn rows(list: &ReviewList) -> Vec<Row> {
    list.entities
        .iter()
        .flat_map(|e| e.suggestions.iter().map(|s| Row { entity_id: e.entity_id.clone(), entity_name: e.entity_name.clone(), s: s.clone() }))
        .collect()
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let kind = RwSignal::new(ImportKind::People);
    let (version, set_version) = signal(0u32);
    let list = Resource::new(move || (kind.get(), version.get()), |(k, _)| review_suggestions(k));
    let outcomes = RwSignal::new(None::<Vec<AcceptOutcome>>);
    let reload = Callback::new(move |o: Vec<AcceptOutcome>| {
        outcomes.set(Some(o));
        set_version.update(|n| *n += 1);
    });
    let tab = move |k: ImportKind, label: &'static str| {
        view! {
            <button type="button" role="tab" aria-selected=move || (kind.get() == k).to_string()
                class="rounded-t-md border-b-2 px-3 py-1.5 text-sm aria-selected:border-indigo-600 aria-selected:font-semibold aria-selected:text-indigo-700 border-transparent"
                on:click=move |_| { outcomes.set(None); kind.set(k); }>{label}</button>
        }
    };
    view! {
        <PageHeader title="Review suggestions">{()}</PageHeader>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">
            "Every open suggestion, across everyone. Tick the ones that are right and confirm once: each goes through the same checks as linking one by one, and nothing you do not tick is linked."
        </p>
        <div role="tablist" class="mb-4 flex gap-2 border-b border-slate-200">
            {tab(ImportKind::People, "People")}
            {tab(ImportKind::Projects, "Projects")}
        </div>
        {move || outcomes.get().map(|o| view! { <OutcomeSummary o/> })}
        <Transition fallback=|| view! { <p class="text-slate-500">"Looking for suggestions upstream…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    list.await.map(|l| view! { <ReviewTable list=l kind=kind.get_untracked() on_done=reload/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn OutcomeSummary(o: Vec<AcceptOutcome>) -> impl IntoView {
    let linked = o.iter().filter(|x| x.linked).count();
    let refused: Vec<AcceptOutcome> = o.into_iter().filter(|x| !x.linked).collect();
    view! {
        <div class=format!("{CARD} mb-4") role="status" data-testid="review-outcome">
            <p class="text-sm font-medium">{format!("Linked {linked}; {} refused.", refused.len())}</p>
            {(!refused.is_empty()).then(|| view! {
                <ul class="mt-2 list-disc pl-5 text-sm text-red-800">
                    {refused.into_iter().map(|r| view! { <li>{r.message}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
fn ReviewTable(list: ReviewList, kind: ImportKind, on_done: Callback<Vec<AcceptOutcome>>) -> impl IntoView {
    let all = rows(&list);
    let platforms: BTreeSet<String> = all.iter().map(|r| r.s.platform.clone()).collect();
    let min_score = RwSignal::new(0.0f64);
    let platform = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let acknowledge = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let all = StoredValue::new(all);
    let shown = move || -> Vec<Row> {
        let (min, p) = (min_score.get(), platform.get());
        all.get_value().into_iter().filter(|r| r.s.score >= min && (p.is_empty() || r.s.platform == p)).collect()
    };
    let tickable = |r: &Row| r.s.conflict.is_none() && r.s.status == "open";
    let confirm = move || {
        let ids: Vec<Uuid> = chosen.get_untracked().into_iter().collect();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match accept_suggestions(ids, acknowledge.get_untracked()).await {
                Ok(o) => on_done.run(o),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let errors = list.errors.clone();
    if all.with_value(Vec::is_empty) {
        let what = if kind == ImportKind::People { "person" } else { "project" };
        return view! {
            <div class=CARD data-testid="no-suggestions">
                <p class="text-sm">{format!("No open suggestion for any active {what}: everything suggested is linked or dismissed, or the connections list nothing that matches. ")}<a href="/import" class=LINK>"Bring in more"</a></p>
                {errors.into_iter().map(|e| view! { <ErrorText message=e/> }).collect_view()}
            </div>
        }
        .into_any();
    }
    view! {
        {errors.into_iter().map(|e| view! { <ErrorText message=e/> }).collect_view()}
        <div class=format!("{CARD} mb-3 flex flex-wrap items-end gap-4")>
            <label class="text-sm">
                <span class="mb-1 block text-slate-700">"Score at least"</span>
                <select class=INPUT on:change=move |ev| min_score.set(event_target_value(&ev).parse().unwrap_or(0.0))>
                    <option value="0">"any"</option>
                    <option value="0.5">"50%"</option>
                    <option value="0.7">"70%"</option>
                    <option value="0.9">"90%"</option>
                </select>
            </label>
            <label class="text-sm">
                <span class="mb-1 block text-slate-700">"Platform"</span>
                <select class=INPUT on:change=move |ev| platform.set(event_target_value(&ev))>
                    <option value="">"all"</option>
                    {platforms.into_iter().map(|p| view! { <option value=p.clone()>{platform_name(&p)}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" class=BUTTON on:click=move |_| chosen.update(|c| c.extend(shown().iter().filter(|r| tickable(r)).map(|r| r.s.id)))>"Tick all shown"</button>
            <button type="button" class=BUTTON on:click=move |_| chosen.set(BTreeSet::new())>"Untick all"</button>
            <label class="flex items-center gap-1 text-sm">
                <input type="checkbox" prop:checked=move || acknowledge.get() on:change=move |ev| acknowledge.set(event_target_checked(&ev))/>
                "Link despite warnings"
            </label>
            <button type="button" class=format!("{BUTTON_PRIMARY} ml-auto") disabled=move || busy.get() || chosen.get().is_empty() on:click=move |_| confirm()>
                {move || if busy.get() { "Linking…".to_owned() } else { format!("Confirm {} links", chosen.get().len()) }}
            </button>
        </div>
        {move || error.get().map(|m| view! { <ErrorText message=m/> })}
        <div class="overflow-x-auto" tabindex="0">
            <table class=TABLE data-testid="review-list">
                <thead class=HEAD><tr>
                    <th class=CELL><span class="sr-only">"Link"</span></th>
                    <th class=CELL>{if kind == ImportKind::People { "Person" } else { "Project" }}</th>
                    <th class=CELL>"Platform"</th>
                    <th class=CELL>"Suggested"</th>
                    <th class=CELL>"Score"</th>
                    <th class=CELL>"Evidence"</th>
                </tr></thead>
                <tbody>
                    {move || shown().into_iter().map(|r| {
                        let id = r.s.id;
                        let can = tickable(&r);
                        let href = if kind == ImportKind::People { format!("/people/{}", r.entity_id) } else { format!("/projects/{}", r.entity_id) };
                        let label = format!("Link {} to {}", r.s.label, r.entity_name);
                        view! {
                            <tr class=ROW data-testid="review-row">
                                <td class=CELL>
                                    <input type="checkbox" aria-label=label disabled=!can
                                        prop:checked=move || chosen.get().contains(&id)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                        }/>
                                </td>
                                <td class=CELL><a href=href class=LINK>{r.entity_name}</a></td>
                                <td class=CELL>{platform_name(&r.s.platform)}</td>
                                <td class=CELL>
                                    {r.s.label.clone()}
                                    {r.s.conflict.clone().map(|c| view! { <div class="text-xs text-red-700">{format!("linked to {c}")}</div> })}
                                    {r.s.look_alike.then(|| view! { <div class="text-xs text-amber-700">"looks like another entry; check before linking"</div> })}
                                </td>
                                <td class=CELL>{format!("{:.0}%", r.s.score * 100.0)}</td>
                                <td class=format!("{CELL} text-xs text-slate-600")>{r.s.evidence.join("; ")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
