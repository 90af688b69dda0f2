//! People: the list and one person with their external accounts per platform, suggested
//! accounts (in the link dialog) and the account actions.

use crate::api::people::{list_people, person_page};
use crate::api::projects::{ChangeLink, Unlink};
use crate::app::components::error_view::ErrorView;
use crate::app::components::link_dialog::LinkDialog;
use crate::app::components::link_table::{ActionErrors, LinkActions};
use crate::app::components::ui::*;
use crate::domain::catalog::CatalogKind;
use crate::domain::{AccountPlatform, Person};
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
                                        <td class=CELL><a class=LINK href=format!("/people/{}", p.id)>{p.name.clone()}</a></td>
                                        <td class=CELL>{p.email.clone()}</td>
                                        {AccountPlatform::ALL.iter().map(|pl| view! { <td class=CELL>{p.account_count(*pl)}</td> }).collect_view()}
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
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()).unwrap_or_default();
    let change = ServerAction::<ChangeLink>::new();
    let unlink = ServerAction::<Unlink>::new();
    let (linked, set_linked) = signal(0u32);
    let person = Resource::new(move || (id(), change.version().get(), unlink.version().get(), linked.get()), |(id, _, _, _)| person_page(id));
    // The dialog's title names the person; an effect reads it so the dialog can live outside
    // the Suspense.
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(p)) = person.get() {
            name.set(p.name);
        }
    });
    let dialog = move || query.read().get("link").is_some_and(|k| k == "account");
    let navigate = use_navigate();
    let close = Callback::new(move |_| navigate(&format!("/people/{}", id()), Default::default()));
    let on_linked = Callback::new(move |_| set_linked.update(|n| *n += 1));
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    person.await.map(|p| view! { <PersonView person=p change unlink/> })
                })}
            </ErrorBoundary>
        </Suspense>
        // Outside the Suspense: reloading the person after a link must not reset the dialog.
        {move || dialog().then(|| {
            view! { <LinkDialog owner=format!("person:{}", id()) kind=CatalogKind::Account title=Signal::derive(move || format!("Link accounts to \"{}\"", name.get())) on_close=close on_linked/> }
        })}
    }
}

#[component]
fn PersonView(person: Person, change: ServerAction<ChangeLink>, unlink: ServerAction<Unlink>) -> impl IntoView {
    let owner = format!("person:{}", person.id);
    view! {
        <PageHeader title=person.name.clone()>
            <a href="?link=account" class=BUTTON_PRIMARY>"Link accounts"</a>
        </PageHeader>
        <p class="mb-4 text-sm text-slate-500">{person.email.clone()}{(!person.active).then(|| " · inactive")}</p>
        <ActionErrors change unlink/>
        {AccountPlatform::ALL.iter().map(|platform| {
            let accounts: Vec<_> = person.external_accounts.iter().filter(|a| a.platform == *platform).cloned().collect();
            let owner = owner.clone();
            view! {
                <section class="mb-4" aria-label=format!("{} accounts", platform_name(platform.as_str()))>
                    <h2 class=H2>{format!("{} ({})", platform_name(platform.as_str()), accounts.len())}</h2>
                    <div class="overflow-x-auto">
                    <table class=TABLE data-testid=format!("{platform}-accounts")>
                        <thead class=HEAD><tr>
                            <th class=CELL>"Account"</th><th class=CELL>"Status"</th><th class=CELL>"Last seen"</th><th class=CELL>"Last synced"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
                        </tr></thead>
                        <tbody>
                            {accounts.is_empty().then(|| view! { <tr><td class=CELL colspan="5">"No account linked."</td></tr> })}
                            {accounts.into_iter().map(|a| {
                                let who = a.display_name.clone().or(a.username.clone()).unwrap_or_else(|| a.external_id.clone());
                                let label = format!("{platform} {who}");
                                view! {
                                    <tr class=ROW>
                                        <td class=CELL>
                                            <div>{who}</div>
                                            <div class="text-xs text-slate-500">{[a.username.clone(), a.email.clone(), Some(format!("id {}", a.external_id))].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</div>
                                        </td>
                                        <td class=CELL><div class="flex flex-wrap gap-1">
                                            <Flag value=a.is_primary yes="primary" no="secondary"/>
                                            <Flag value=a.active yes="active" no="inactive"/>
                                            <Flag value=a.verified yes="verified" no="unverified"/>
                                        </div></td>
                                        <td class=CELL>{when(a.last_seen)}</td>
                                        <td class=CELL>{when(a.last_synced)}</td>
                                        <td class=CELL><LinkActions change unlink owner=owner.clone() link_id=a.id active=a.active primary=a.is_primary label/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                </section>
            }
        }).collect_view()}
    }
}
