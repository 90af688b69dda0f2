//! People: the list and one person with their external accounts per platform, suggested
//! accounts (in the link dialog) and the account actions.

use crate::api::people::{list_people, my_accounts, person_page, PersonPageData};
use crate::api::projects::{ChangeLink, LinkActionOutcome, Unlink};
use crate::api::ApiError;
use crate::api::validate::CheckLinks;
use crate::app::components::check_links::CheckLinksNow;
use crate::app::components::error_view::ErrorView;
use crate::app::components::link_dialog::LinkDialog;
use crate::app::components::link_table::{latest_outcome, ActionStatus, LinkActions};
use crate::app::components::sync::RunNow;
use crate::domain::health::Severity;
use crate::app::components::records::{AdminOnly, EditPersonForm, NewPersonForm, PersonWrites, SavedStatus};
use crate::app::components::ui::*;
use crate::domain::catalog::CatalogKind;
use crate::domain::AccountPlatform;
use crate::app::components::activity::ActivitySection;
use crate::app::components::commit_emails::CommitEmails;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let people = Resource::new(q, list_people);
    view! {
        <PageHeader title="People">
            <Form method="GET" action="">
                <input type="search" name="q" aria-label="Search people" placeholder="Search name or e-mail…" class=format!("{INPUT} w-72") value=q/>
                <button type="submit" class=format!("{BUTTON} ml-2")>"Search"</button>
            </Form>
        </PageHeader>
        <AdminOnly><NewPersonForm/></AdminOnly>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    people.await.map(|people| view! {
                        <table class=TABLE data-testid="people-list">
                            <thead class=HEAD><tr>
                                <th class=CELL>"Name"</th><th class=CELL>"E-mail"</th>
                                {AccountPlatform::ALL.iter().map(|p| view! { <th class=CELL>{platform_name(p.as_str())}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {people.is_empty().then(|| view! { <tr><td class=CELL colspan="7">"No person matches."</td></tr> })}
                                {people.into_iter().map(|p| view! {
                                    <tr class=ROW>
                                        <td class=CELL><a class=LINK href=format!("/people/{}", p.id)>{p.name.clone()}</a>{(!p.active).then(|| view! { <span class="ml-2 text-xs text-slate-500">"(inactive)"</span> })}</td>
                                        <td class=CELL data-label="E-mail">{p.email.clone()}</td>
                                        {AccountPlatform::ALL.iter().map(|pl| view! { <td class=CELL data-label=platform_name(pl.as_str())>{p.account_count(*pl)}</td> }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    view! { <Accounts me=false/> }
}

/// "My accounts": the signed-in person's own page.
#[component]
pub fn MyAccountsPage() -> impl IntoView {
    view! { <Accounts me=true/> }
}

/// A person's accounts: `/people/:id`, or the signed-in person's own (`me`).
#[component]
fn Accounts(me: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()).unwrap_or_default();
    let change = ServerAction::<ChangeLink>::new();
    let unlink = ServerAction::<Unlink>::new();
    let check = ServerAction::<CheckLinks>::new();
    let latest = latest_outcome(change, unlink);
    let writes = PersonWrites::new();
    let (linked, set_linked) = signal(0u32);
    let person = Resource::new(
        move || (id(), change.version().get(), unlink.version().get(), check.version().get(), linked.get(), writes.version()),
        move |(id, ..)| async move { if me { my_accounts().await } else { person_page(id).await } },
    );
    // The dialog's title names the person and it opens only for those who may link; an effect
    // reads both so the dialog can live outside the Suspense.
    let shown = RwSignal::new(None::<(Uuid, String)>);
    Effect::new(move |_| {
        if let Some(Ok(d)) = person.get() {
            shown.set(d.can_manage.then(|| (d.person.id, d.person.name)));
        }
    });
    let dialog = move || query.read().get("link").is_some_and(|k| k == "account");
    let navigate = use_navigate();
    let close = Callback::new(move |_| {
        let back = if me { "/me/accounts".to_owned() } else { format!("/people/{}", id()) };
        navigate(&back, Default::default())
    });
    let on_linked = Callback::new(move |said: String| {
        set_linked.update(|n| *n += 1);
        latest.set(Some(Ok(LinkActionOutcome::said(said))));
    });
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    person.await.map(|data| view! { <PersonView data me change unlink check latest writes/> })
                })}
            </ErrorBoundary>
        </Suspense>
        // Outside the Suspense: reloading the person after a link must not reset the dialog.
        {move || dialog().then(|| shown.get()).flatten().map(|(pid, name)| {
            let title = if me { "Link my accounts".to_owned() } else { format!("Link accounts to \"{name}\"") };
            view! { <LinkDialog owner=format!("person:{pid}") kind=CatalogKind::Account title=Signal::derive(move || title.clone()) on_close=close on_linked/> }
        })}
    }
}

#[component]
fn PersonView(data: PersonPageData, me: bool, change: ServerAction<ChangeLink>, unlink: ServerAction<Unlink>, check: ServerAction<CheckLinks>, latest: RwSignal<Option<Result<LinkActionOutcome, ApiError>>>, writes: PersonWrites) -> impl IntoView {
    let PersonPageData { person, can_manage, can_edit, pending, disabled_connections: disabled } = data;
    let owner = format!("person:{}", person.id);
    let (check_owner, status_owner) = (owner.clone(), owner.clone());
    let title = if me { "My accounts".to_owned() } else { person.name.clone() };
    view! {
        <PageHeader title>
            {can_manage.then(|| view! { <RunNow person=person.id.to_string()/> })}
            {can_manage.then(|| view! { <CheckLinksNow action=check owner=check_owner.clone()/> })}
            {can_manage.then(|| view! { <a href="?link=account" class=BUTTON_PRIMARY>{if me { "Link my accounts" } else { "Link accounts" }}</a> })}
        </PageHeader>
        <p class="mb-4 text-sm text-slate-500">{me.then(|| format!("{} · ", person.name))}{person.email.clone()}{(!person.active).then(|| " · inactive")}</p>
        <SavedStatus latest=writes.saved/>
        {can_edit.then(|| view! { <EditPersonForm person=person.clone() writes/> })}
        {(!can_manage).then(|| view! {
            <p role="status" data-testid="read-only" class="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {format!("You can see {}'s accounts but not change them: only {} and admins can link or unlink them.", person.name, person.name)}
                " " <a class=LINK href="/me/accounts">"Your own accounts are on \"My accounts\"."</a>
            </p>
        })}
        <ActionStatus latest change owner=status_owner/>
        {AccountPlatform::ALL.iter().map(|platform| {
            let accounts: Vec<_> = person.external_accounts.iter().filter(|a| a.platform == *platform).cloned().collect();
            let owner = owner.clone();
            let pending = pending.clone();
            view! {
                <section class="mb-4" aria-label=format!("{} accounts", platform_name(platform.as_str()))>
                    <h2 class=H2>{format!("{} ({})", platform_name(platform.as_str()), accounts.len())}</h2>
                    <div class="overflow-x-auto" tabindex="0">
                    <table class=TABLE data-testid=format!("{platform}-accounts")>
                        <thead class=HEAD><tr>
                            <th class=CELL>"Account"</th><th class=CELL>"Status"</th><th class=CELL>"Last seen"</th><th class=CELL>"Last synced"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
                        </tr></thead>
                        <tbody>
                            {accounts.is_empty().then(|| view! { <tr><td class=CELL colspan="5">"No account linked."</td></tr> })}
                            {accounts.into_iter().map(|a| {
                                let who = a.display_name.clone().or(a.username.clone()).unwrap_or_else(|| a.external_id.clone());
                                let label = format!("{} {who}", platform_name(platform.as_str()));
                                let waiting = pending.contains(&a.id);
                                view! {
                                    <tr class=ROW data-testid="account">
                                        <td class=CELL>
                                            <div>{who}</div>
                                            <div class="text-xs text-slate-500">{[a.username.clone(), a.email.clone(), Some(format!("id {}", shown_id(&a.external_id)))].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</div>
                                        </td>
                                        <td class=CELL><div class="flex flex-wrap gap-1">
                                            // A waiting link is only waiting: primary, active and
                                            // verified say nothing until an admin approves it.
                                            {if waiting {
                                                view! { <span data-testid="pending"><Badge severity=Severity::Warn text="waiting for an admin's approval"/></span> }.into_any()
                                            } else {
                                                view! {
                                                    <Flag value=a.is_primary yes="primary" no="secondary"/>
                                                    <Flag value=a.active yes="active" no="inactive"/>
                                                    <Flag value=a.verified yes="verified" no="unverified"/>
                                                }.into_any()
                                            }}
                                            <DisabledConnection name=disabled.get(&a.connection_id).cloned()/>
                                        </div></td>
                                        <td class=CELL data-label="Last seen">{when(a.last_seen)}</td>
                                        <td class=CELL data-label="Last synced">{when(a.last_synced)}</td>
                                        <td class=CELL>{can_manage.then(|| view! { <LinkActions change unlink owner=owner.clone() link_id=a.id active=a.active primary=a.is_primary label unlink_only=waiting/> })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                </section>
            }
        }).collect_view()}
        <CommitEmails person=person.id/>
        <ActivitySection owner=format!("person:{}", person.id) rest_base=format!("/api/persons/{}", person.id) by="project"/>
    }
}
