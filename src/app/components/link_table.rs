//! Per-link actions shared by project and person pages: activate/deactivate, make primary and
//! unlink (with a confirmation step). Plain forms, so they work before the page hydrates.

use crate::api::projects::{ChangeLink, Unlink};
use crate::app::components::ui::{BUTTON_DANGER, BUTTON_SMALL};
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
    let (owner1, id1) = (owner.clone(), id.clone());
    let toggle = view! {
        <ActionForm action=change>
            <input type="hidden" name="owner" value=owner1/>
            <input type="hidden" name="link_id" value=id1/>
            <input type="hidden" name="active" value=(!active).to_string()/>
            <button type="submit" class=BUTTON_SMALL aria-label=toggle_label>{toggle_text}</button>
        </ActionForm>
    };
    let (owner2, id2, primary_label) = (owner.clone(), id.clone(), format!("Make primary: {label}"));
    let toggle = (!unlink_only).then_some(toggle);
    let make_primary = (!primary && active && !unlink_only).then(move || view! {
        <ActionForm action=change>
            <input type="hidden" name="owner" value=owner2/>
            <input type="hidden" name="link_id" value=id2/>
            <input type="hidden" name="primary" value="true"/>
            <button type="submit" class=BUTTON_SMALL aria-label=primary_label>"Make primary"</button>
        </ActionForm>
    });
    let unlink_label = format!("Unlink {label}");
    let details = NodeRef::<leptos::html::Details>::new();
    // The confirmation closes as it is answered: the rows re-render in place after the unlink,
    // and an open one would show up on the row that moved into its place.
    let answered = move |_| {
        if let Some(d) = details.get_untracked() {
            d.set_open(false);
            focus_section_heading(&d);
        }
    };
    let confirm = view! {
        <ActionForm action=unlink>
            <input type="hidden" name="owner" value=owner/>
            <input type="hidden" name="link_id" value=id/>
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

/// Focus goes to the heading of the table the row was in (the row itself is about to go), so a
/// second Enter or click does not land on another row's button.
fn focus_section_heading(from: &leptos::web_sys::Element) {
    use leptos::wasm_bindgen::JsCast;
    let heading = from.closest("section").ok().flatten().and_then(|s| s.query_selector("h2").ok().flatten());
    if let Some(h) = heading.and_then(|h| h.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
        let _ = h.set_attribute("tabindex", "-1");
        let _ = h.focus();
    }
}

/// The last error of the link forms, if any.
#[component]
pub fn ActionErrors(change: ServerAction<ChangeLink>, unlink: ServerAction<Unlink>) -> impl IntoView {
    let error = move || {
        let c = change.value().get().and_then(|r| r.err());
        let u = unlink.value().get().and_then(|r| r.err());
        c.or(u).map(|e| view! { <crate::app::components::ui::ErrorText message=e.to_string()/> })
    };
    view! { <div class="mb-2">{error}</div> }
}
