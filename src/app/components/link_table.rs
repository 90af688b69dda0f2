//! Per-link actions shared by project and person pages: activate/deactivate, make primary and
//! unlink (with a confirmation step). Plain forms, so they work before the page hydrates.

use crate::api::projects::{ChangeLink, LinkActionOutcome, Unlink};
use crate::api::ApiError;
use crate::app::components::ui::{ErrorText, BUTTON_DANGER, BUTTON_SMALL};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn LinkActions(
    change: ServerAction<ChangeLink>,
    unlink: ServerAction<Unlink>,
    #[prop(into)] owner: String,
    link_id: Uuid,
    active: bool,
    primary: bool,
    /// What the link is, for screen readers ("MOBILE - Mobile Application").
    #[prop(into)]
    label: String,
    /// Only "Unlink": a link waiting for an admin's approval is withdrawn, not switched on.
    #[prop(optional)]
    unlink_only: bool,
) -> impl IntoView {
    let id = link_id.to_string();
    let toggle_text = if active { "Deactivate" } else { "Activate" };
    let toggle_label = format!("{toggle_text} {label}");
    let (owner1, id1, label1) = (owner.clone(), id.clone(), label.clone());
    let toggle = view! {
        <ActionForm action=change>
            <input type="hidden" name="owner" value=owner1/>
            <input type="hidden" name="link_id" value=id1/>
            <input type="hidden" name="label" value=label1/>
            <input type="hidden" name="active" value=(!active).to_string()/>
            <button type="submit" class=BUTTON_SMALL aria-label=toggle_label>{toggle_text}</button>
        </ActionForm>
    };
    let (owner2, id2, label2, primary_label) = (owner.clone(), id.clone(), label.clone(), format!("Make primary: {label}"));
    let toggle = (!unlink_only).then_some(toggle);
    let make_primary = (!primary && active && !unlink_only).then(move || view! {
        <ActionForm action=change>
            <input type="hidden" name="owner" value=owner2/>
            <input type="hidden" name="link_id" value=id2/>
            <input type="hidden" name="label" value=label2/>
            <input type="hidden" name="primary" value="true"/>
            <button type="submit" class=BUTTON_SMALL aria-label=primary_label>"Make primary"</button>
        </ActionForm>
    });
    let unlink_label = format!("Unlink {label}");
    let details = NodeRef::<leptos::html::Details>::new();
    // The confirmation closes as it is answered: the rows re-render in place after the unlink,
    // and an open one would show up on the row that moved into its place. Focus then goes to the
    // status line that says what happened (`ActionStatus`).
    let answered = move |_| {
        if let Some(d) = details.get_untracked() {
            d.set_open(false);
        }
    };
    let label3 = label.clone();
    let confirm = view! {
        <ActionForm action=unlink>
            <input type="hidden" name="owner" value=owner/>
            <input type="hidden" name="link_id" value=id/>
            <input type="hidden" name="label" value=label3/>
            <button type="submit" class=BUTTON_DANGER on:click=answered>"Yes, unlink"</button>
        </ActionForm>
    };
    view! {
        <div class="flex flex-wrap items-start gap-1">
            {toggle}
            {make_primary}
            <details node_ref=details>
                <summary class=format!("{BUTTON_DANGER} cursor-pointer list-none") aria-label=unlink_label>"Unlink"</summary>
                <div class="mt-1 w-56 rounded-md bg-red-50 p-2 text-xs ring-1 ring-red-200">
                    <p class="mb-2">"Unlink " <strong>{label}</strong> "? Its synced data is kept."</p>
                    {confirm}
                </div>
            </details>
        </div>
    }
}

/// The answer to the latest link action of a page, whichever form sent it. Lives with the page,
/// so it survives the page's reload after the action.
pub fn latest_outcome(change: ServerAction<ChangeLink>, unlink: ServerAction<Unlink>) -> RwSignal<Option<Result<LinkActionOutcome, ApiError>>> {
    let latest = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(r) = change.value().get() {
            latest.set(Some(r));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = unlink.value().get() {
            latest.set(Some(r));
        }
    });
    latest
}

/// How long an Undo stays offered after a change.
const UNDO_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// The latest link action in a sentence (or its error), with Undo for a few seconds where one
/// form can undo it.
#[component]
pub fn ActionStatus(latest: RwSignal<Option<Result<LinkActionOutcome, ApiError>>>, change: ServerAction<ChangeLink>, #[prop(into)] owner: String) -> impl IntoView {
    let undo_open = RwSignal::new(true);
    // Each outcome gets its own few seconds: an older timer must not close a newer Undo.
    let shown = StoredValue::new(0u32);
    Effect::new(move |_| {
        if latest.get().is_some() {
            shown.update_value(|n| *n += 1);
            let this = shown.get_value();
            undo_open.set(true);
            // The page may have re-rendered this status away by then: try_, not panic.
            set_timeout(
                move || {
                    if shown.try_get_value() == Some(this) {
                        let _ = undo_open.try_set(false);
                    }
                },
                UNDO_FOR,
            );
        }
    });
    // The status takes focus when it appears: the rows it is about re-rendered (a row may be
    // gone), so a second Enter lands here, not on another row's button.
    let status_ref = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = status_ref.get() {
            let _ = p.focus();
        }
    });
    let status = move || {
        latest.get().map(|r| match r {
            Ok(o) => {
                let undo = o.undo_active.map(|active| {
                    let (owner, link_id, label) = (owner.clone(), o.link_id.to_string(), o.label.clone());
                    move || {
                        undo_open.get().then(|| {
                            let (owner, link_id, label) = (owner.clone(), link_id.clone(), label.clone());
                            view! {
                                <ActionForm action=change attr:class="inline">
                                    <input type="hidden" name="owner" value=owner/>
                                    <input type="hidden" name="link_id" value=link_id/>
                                    <input type="hidden" name="label" value=label/>
                                    <input type="hidden" name="active" value=active.to_string()/>
                                    <button type="submit" class=format!("{BUTTON_SMALL} ml-2")>"Undo"</button>
                                </ActionForm>
                            }
                        })
                    }
                });
                view! {
                    <p node_ref=status_ref tabindex="-1" role="status" data-testid="link-action-status" class="focus:outline-none focus:ring-2 focus:ring-indigo-500 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                        <span data-testid="link-action-said">{o.said}</span>{undo}
                    </p>
                }
                .into_any()
            }
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    };
    view! { <div class="mb-2">{status}</div> }
}
