//! "Commit e-mails" on a person page: the git author e-mails linked to the person (commits under
//! them count as the person's from the next sync), the ones rule 5 suggests, and a field to link
//! another. Plain forms, so they work before the page hydrates.

use crate::api::commit_emails::{commit_emails, ApproveCommitEmail, CommitEmailsData, LinkCommitEmail, UnlinkCommitEmail};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::commit_identity::IdentityStatus;
use crate::domain::health::Severity;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn CommitEmails(person: Uuid) -> impl IntoView {
    let link = ServerAction::<LinkCommitEmail>::new();
    let unlink = ServerAction::<UnlinkCommitEmail>::new();
    let approve = ServerAction::<ApproveCommitEmail>::new();
    let data = Resource::new(
        move || (link.version().get(), unlink.version().get(), approve.version().get()),
        move |_| commit_emails(person),
    );
    let status = move || {
        let error = link.value().get().and_then(|r| r.err()).or(unlink.value().get().and_then(|r| r.err())).or(approve.value().get().and_then(|r| r.err()));
        if let Some(e) = error {
            return Some(view! { <ErrorText message=e.to_string()/> }.into_any());
        }
        let said = match link.value().get() {
            Some(Ok(i)) if i.status == IdentityStatus::Pending => format!("{} waits for an admin's approval: it is not your own e-mail. Nothing is attributed until then.", i.external_id),
            Some(Ok(i)) => format!("Linked {}: its commits count as this person's from the next sync.", i.external_id),
            _ => return None,
        };
        Some(view! { <p role="status" data-testid="commit-email-status" class="mb-2 text-sm text-emerald-800">{said}</p> }.into_any())
    };
    view! {
        <section class="mb-4" aria-labelledby="commit-emails-title" data-testid="commit-emails">
            <h2 id="commit-emails-title" class=H2>"Commit e-mails"</h2>
            <p class="mb-2 text-sm text-slate-500">"Commits are attributed through a linked git-host account, or through an author e-mail linked here."</p>
            {status}
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                    {move || Suspend::new(async move {
                        data.await.map(|d| view! { <CommitEmailsView person data=d link unlink approve/> })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

#[component]
fn CommitEmailsView(
    person: Uuid,
    data: CommitEmailsData,
    link: ServerAction<LinkCommitEmail>,
    unlink: ServerAction<UnlinkCommitEmail>,
    approve: ServerAction<ApproveCommitEmail>,
) -> impl IntoView {
    let CommitEmailsData { emails, can_manage, can_approve } = data;
    let person_id = person.to_string();
    let empty = emails.identities.is_empty().then(|| view! { <tr><td class=CELL colspan="4">"No commit e-mail linked."</td></tr> });
    let rows = emails.identities.into_iter().map(|i| {
        let pending = i.status == IdentityStatus::Pending;
        let (pid, id) = (person_id.clone(), i.id.to_string());
        let (pid2, id2) = (pid.clone(), id.clone());
        let email = i.external_id.clone();
        view! {
            <tr class=ROW data-testid="commit-email">
                <td class=CELL>{i.external_id.clone()}</td>
                <td class=CELL>{if pending { view! { <Badge severity=Severity::Warn text="waiting for an admin's approval"/> }.into_any() } else { view! { <Badge severity=Severity::Good text="linked"/> }.into_any() }}</td>
                <td class=CELL>{format!("{} commit{}", i.commits, if i.commits == 1 { "" } else { "s" })}</td>
                <td class=CELL><div class="flex flex-wrap gap-1">
                    {(pending && can_approve).then(|| view! {
                        <ActionForm action=approve>
                            <input type="hidden" name="person" value=pid2/>
                            <input type="hidden" name="identity" value=id2/>
                            <button type="submit" class=BUTTON_SMALL>{format!("Approve {email}")}</button>
                        </ActionForm>
                    })}
                    {can_manage.then(|| view! {
                        <ActionForm action=unlink>
                            <input type="hidden" name="person" value=pid/>
                            <input type="hidden" name="identity" value=id/>
                            <button type="submit" class=BUTTON_DANGER>{format!("Unlink {}", i.external_id)}</button>
                        </ActionForm>
                    })}
                </div></td>
            </tr>
        }
    }).collect_view();
    let no_suggestion = emails.suggestions.is_empty().then(|| view! { <li class="py-1 text-slate-500">"None: no unattributed commit carries an address like this person's."</li> });
    let suggestions = emails.suggestions.into_iter().map(|s| {
        let pid = person_id.clone();
        view! {
            <li class="flex flex-wrap items-center gap-2 py-1" data-testid="commit-email-suggestion">
                <span class="font-medium">{s.email.clone()}</span>
                <span class="text-xs text-slate-500">{format!("{} · {} unattributed commit{}", s.reason, s.commits, if s.commits == 1 { "" } else { "s" })}</span>
                {can_manage.then(|| view! {
                    <ActionForm action=link>
                        <input type="hidden" name="person" value=pid/>
                        <input type="hidden" name="email" value=s.email.clone()/>
                        <button type="submit" class=BUTTON_SMALL>{format!("Link {}", s.email)}</button>
                    </ActionForm>
                })}
            </li>
        }
    }).collect_view();
    let pid = person_id.clone();
    view! {
        <div class="overflow-x-auto" tabindex="0">
            <table class=TABLE data-testid="commit-emails-table">
                <thead class=HEAD><tr>
                    <th class=CELL>"E-mail"</th><th class=CELL>"Status"</th><th class=CELL>"Commits"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>{empty}{rows}</tbody>
            </table>
        </div>
        <h3 class="mt-3 text-sm font-medium">"Suggested from synced commits"</h3>
        <ul class="text-sm">{no_suggestion}{suggestions}</ul>
        {can_manage.then(|| view! {
            <ActionForm action=link attr:class="mt-2 flex flex-wrap items-center gap-2">
                <input type="hidden" name="person" value=pid/>
                <label class="text-sm" for="commit-email-input">"Link another commit e-mail"</label>
                <input id="commit-email-input" type="email" name="email" required class=INPUT placeholder="name@example.com"/>
                <button type="submit" class=BUTTON>"Link e-mail"</button>
            </ActionForm>
        })}
    }
}
