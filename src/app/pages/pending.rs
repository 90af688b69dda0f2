//! Pending (admins): links a person made to an account or a commit e-mail that nothing shows is
//! theirs, waiting for an admin. Each shows the evidence (the upstream e-mail against the
//! person's) and is approved or rejected with an optional reason, audited. Plain forms, so it
//! works before the page hydrates.

use crate::api::pending::{pending_queue, DecidePending};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::pending::PendingItem;
use leptos::prelude::*;

#[component]
pub fn PendingPage() -> impl IntoView {
    let decide = ServerAction::<DecidePending>::new();
    let queue = Resource::new(move || decide.version().get(), |_| pending_queue());
    let status = move || {
        decide.value().get().map(|outcome| match outcome {
            Ok(said) => view! { <p role="status" data-testid="pending-status" class="mb-3 text-sm text-emerald-800">{said}</p> }.into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    };
    view! {
        <PageHeader title="Pending links">{()}</PageHeader>
        <p class="mb-3 max-w-3xl text-sm text-slate-600">
            "A person who links an account or a commit e-mail whose e-mail upstream is not theirs waits here: nothing syncs through it until an admin approves. Compare the evidence, then approve or reject; a reason goes into the audit log."
        </p>
        {status}
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move { queue.await.map(|items| view! { <Queue items decide/> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Queue(items: Vec<PendingItem>, decide: ServerAction<DecidePending>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class=CARD data-testid="pending-empty">"Nothing waits for approval: every link a person made to their own account is active."</p> }.into_any();
    }
    let rows = items.into_iter().map(|i| view! { <PendingRow item=i decide/> }).collect_view();
    view! { <ul class="space-y-3" data-testid="pending-list">{rows}</ul> }.into_any()
}

#[component]
fn PendingRow(item: PendingItem, decide: ServerAction<DecidePending>) -> impl IntoView {
    let what = item.describe();
    let link_id = item.link_id.to_string();
    let kind = item.kind.as_str();
    let by = match (&item.linked_by_name, item.linked_by == Some(item.person_id)) {
        (Some(_), true) => "by themselves".to_owned(),
        (Some(name), false) => format!("by {name}"),
        (None, _) => "by an integration".to_owned(),
    };
    let linked_what = format!("linked {what}");
    view! {
        <li class=CARD data-testid="pending-item">
            <div class="flex flex-wrap items-baseline gap-x-2">
                <a class=LINK href=format!("/people/{}", item.person_id)>{item.person_name.clone()}</a>
                <span class="text-sm text-slate-500">{item.person_email.clone()}</span>
                <span class="text-sm">{linked_what}</span>
            </div>
            <p class="mt-1 text-sm text-amber-900" data-testid="pending-why">{item.why.clone()}</p>
            <p class="mt-1 text-xs text-slate-500">{format!("Linked {by}, {}", when(Some(item.linked_at)))}</p>
            <div class="mt-2 flex flex-wrap items-end gap-3">
                <Verdict decide kind link_id=link_id.clone() verdict="approve" text=format!("Approve {what}")/>
                <Verdict decide kind link_id verdict="reject" text=format!("Reject {what}")/>
            </div>
        </li>
    }
}

/// One verdict on a waiting link: its optional reason and its button.
#[component]
fn Verdict(decide: ServerAction<DecidePending>, kind: &'static str, link_id: String, verdict: &'static str, text: String) -> impl IntoView {
    let (reason_for, reason_id) = (format!("{verdict}-reason-{link_id}"), format!("{verdict}-reason-{link_id}"));
    let (label, button) = if verdict == "approve" { ("Why approve (optional)", BUTTON_PRIMARY) } else { ("Why reject (optional)", BUTTON_DANGER) };
    view! {
        <ActionForm action=decide attr:class="flex flex-wrap items-end gap-2">
            <input type="hidden" name="kind" value=kind/>
            <input type="hidden" name="verdict" value=verdict/>
            <input type="hidden" name="link_id" value=link_id/>
            <label class="text-xs text-slate-600" for=reason_for>{label}
                <input id=reason_id name="reason" maxlength="500" class=format!("{INPUT} block")/>
            </label>
            <button type="submit" class=button>{text}</button>
        </ActionForm>
    }
}
