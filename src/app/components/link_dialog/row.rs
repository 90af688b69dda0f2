//! One candidate of the link dialog (a suggestion or a search hit): its state, its checks and
//! how it shows them.

use crate::api::link_dialog::{check_link, CheckView};
use crate::api::suggestions::{dismiss_suggestion, SuggestionView};
use crate::app::components::ui::BUTTON_SMALL;
use crate::domain::catalog::UpstreamHit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Check {
    Idle,
    Loading,
    Done(CheckView),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Outcome {
    Linked,
    /// Written, but waiting for an admin's approval (the self-linking rule).
    Pending,
    Failed(String),
}

impl Outcome {
    /// Confirm wrote the link, active or waiting: it is not confirmed again.
    pub(super) fn written(outcome: &Option<Outcome>) -> bool {
        matches!(outcome, Some(Outcome::Linked | Outcome::Pending))
    }
}

/// One candidate row; its state lives in signals so ticking one row re-renders only that row.
#[derive(Clone)]
pub(super) struct Row {
    pub(super) key: String,
    pub(super) platform: String,
    pub(super) connection_id: Uuid,
    pub(super) external_id: String,
    pub(super) label: String,
    pub(super) suggestion: Option<SuggestionView>,
    pub(super) checked: ArcRwSignal<bool>,
    pub(super) check: ArcRwSignal<Check>,
    pub(super) acknowledged: ArcRwSignal<bool>,
    pub(super) outcome: ArcRwSignal<Option<Outcome>>,
    pub(super) dismissed: ArcRwSignal<bool>,
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

    pub(super) fn from_suggestion(s: SuggestionView, checked: bool) -> Self {
        Row::new(s.platform.clone(), s.connection_id, s.external_id.clone(), s.label.clone(), Some(s), checked)
    }

    pub(super) fn from_hit(h: UpstreamHit) -> Self {
        Row::new(h.platform, h.connection_id, h.external_id, h.label, None, false)
    }

    fn held_elsewhere(&self) -> Option<String> {
        match self.check.get() {
            Check::Done(CheckView { conflict: Some(c), .. }) => Some(c.holder),
            _ => self.suggestion.as_ref().and_then(|s| s.conflict.clone()),
        }
    }

    /// Runs the confirmation checks (preview, conflict, warnings) once.
    pub(super) fn run_check(&self, owner: String) {
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

/// The id of a candidate's checkbox, from its key (a search hit scrolls to it).
pub(super) fn dom_id(key: &str) -> String {
    format!("cand-{}", key.replace(['/', '{', '}'], "-"))
}

#[component]
pub(super) fn CandidateRow(row: Row, owner: String) -> impl IntoView {
    let id = dom_id(&row.key);
    let r = row.clone();
    let held = move || r.held_elsewhere();
    let r = row.clone();
    let linked = move || Outcome::written(&r.outcome.get());
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
    let row_checked = row.checked.clone();
    let suggestion = row.suggestion.clone();
    let describe = format!("{id}-details");
    let label = row.label.clone();
    let held2 = held.clone();
    let linked2 = linked.clone();
    let dismissed2 = dismissed.clone();
    view! {
        <li class="rounded-md border border-slate-200 p-2" data-testid="candidate" data-label=label.clone()>
            // A dismissed candidate says so where it was, rather than vanishing.
            {let dismissed = dismissed2.clone(); let label = label.clone(); move || dismissed.get().then(|| view! {
                <p role="status" class="text-sm text-slate-600" data-testid="dismissed">{format!("Dismissed {label} — it returns only with new evidence.")}</p>
            })}
            <div class="flex items-start gap-2" class:hidden=move || dismissed2.get()>
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
                            Some(Outcome::Pending) => Some(view! { <p class="font-medium text-amber-800" data-testid="outcome-pending">"Waiting for an admin's approval: nothing syncs through it until then."</p> }.into_any()),
                            Some(Outcome::Failed(e)) => Some(view! { <p role="alert" class="font-medium text-red-700">{e}</p> }.into_any()),
                            None => None,
                        }}
                    </div>
                </div>
                {suggestion.map(|s| {
                    let dismissed = dismissed.clone();
                    let checked = row_checked.clone();
                    let (error, set_error) = signal(None::<String>);
                    view! {
                        <div class="text-right">
                            <button type="button" class=BUTTON_SMALL aria-label=format!("Dismiss suggestion {}", s.label) on:click=move |_| {
                                let (dismissed, checked) = (dismissed.clone(), checked.clone());
                                spawn_local(async move {
                                    match dismiss_suggestion(s.id).await {
                                        Ok(()) => {
                                            checked.set(false);
                                            dismissed.set(true);
                                        }
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
    let denied = view.denied.clone().map(|d| view! { <p role="alert" class="font-medium text-red-700" data-testid="check-denied">{d}</p> });
    let will_wait = view.will_wait.clone().map(|w| view! { <p class="mt-1 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900" data-testid="will-wait">{w}</p> });
    let preview = crate::domain::preview::preview_in_words(&view.preview);
    let warnings = view.warnings.clone();
    view! {
        {denied}
        {will_wait}
        <div class="mt-1 rounded bg-slate-50 p-2" data-testid="preview">
            <p class="font-medium text-slate-700">"Will sync:"</p>
            <ul class="space-y-0.5 break-words">
                {preview.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
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
