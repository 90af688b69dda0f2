//! The directory: every project and person with their link counts, and a filter box that
//! works in the browser once the page has hydrated.

use crate::api::directory::load_directory;
use crate::app::components::error_view::ErrorView;
use crate::app::components::filter::matches_filter;
use crate::app::components::ui::{platform_name, CELL, HEAD, LINK, TABLE};
use crate::domain::{AccountPlatform, Person, Project, RepoPlatform};
use leptos::prelude::*;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let directory = Resource::new(|| (), |_| load_directory());
    let (filter, set_filter) = signal(String::new());
    // Effects run only in the browser: this marks the page as interactive for people and tests.
    let hydrated = crate::app::components::ui::hydrated();

    view! {
        <div data-hydrated=move || hydrated.get().to_string()>
            <div class="mb-6 flex flex-wrap items-center gap-4">
                <h1 class="text-2xl font-semibold">"Projects and people"</h1>
                <input
                    type="search"
                    id="directory-filter"
                    aria-label="Filter projects and people"
                    placeholder="Filter projects and people…"
                    class="ml-auto w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
                    prop:value=filter
                    on:input=move |ev| set_filter.set(event_target_value(&ev))
                />
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                    {move || Suspend::new(async move {
                        directory.await.map(|d| view! {
                            <ProjectTable projects=d.projects filter/>
                            <PersonTable persons=d.persons filter/>
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </div>
    }
}


#[component]
fn ProjectTable(projects: Vec<Project>, filter: ReadSignal<String>) -> impl IntoView {
    let count = projects.len();
    view! {
        <section class="mb-8" aria-labelledby="projects-heading">
            <h2 id="projects-heading" class="mb-2 text-lg font-medium">{format!("Projects ({count})")}</h2>
            <table class=TABLE data-testid="projects">
                <thead class=HEAD>
                    <tr>
                        <th class=CELL>"Key"</th>
                        <th class=CELL>"Name"</th>
                        <th class=CELL>"Jira projects"</th>
                        <th class=CELL>"Repositories"</th>
                        <th class=CELL>"Primary Jira key"</th>
                    </tr>
                </thead>
                <tbody>
                    {projects.into_iter().map(|p| {
                        let haystack = format!("{} {} {}", p.key, p.name, p.description);
                        let repos = RepoPlatform::ALL.iter()
                            .map(|pl| (pl, p.repository_count(*pl)))
                            .filter(|(_, n)| *n > 0)
                            .map(|(pl, n)| format!("{}: {n}", platform_name(pl.as_str())))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let primary = p.primary_jira_project().map(|l| l.key.clone()).unwrap_or_else(|| "—".into());
                        view! {
                            <tr class="border-t border-slate-100" class:hidden=move || !matches_filter(&filter.get(), &haystack)>
                                <td class=format!("{CELL} font-mono")><a class=LINK href=format!("/projects/{}", p.key)>{p.key.clone()}</a></td>
                                <td class=CELL>
                                    <div>{p.name.clone()}</div>
                                    <div class="text-xs text-slate-500">{p.description.clone()}</div>
                                </td>
                                <td class=CELL>{p.jira_projects.len()}</td>
                                <td class=CELL>{if repos.is_empty() { "—".to_string() } else { repos }}</td>
                                <td class=format!("{CELL} font-mono")>{primary}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn PersonTable(persons: Vec<Person>, filter: ReadSignal<String>) -> impl IntoView {
    let count = persons.len();
    view! {
        <section aria-labelledby="persons-heading">
            <h2 id="persons-heading" class="mb-2 text-lg font-medium">{format!("People ({count})")}</h2>
            <table class=TABLE data-testid="persons">
                <thead class=HEAD>
                    <tr>
                        <th class=CELL>"Name"</th>
                        <th class=CELL>"Email"</th>
                        <th class=CELL>"Accounts"</th>
                    </tr>
                </thead>
                <tbody>
                    {persons.into_iter().map(|p| {
                        let haystack = format!("{} {}", p.name, p.email);
                        let accounts = AccountPlatform::ALL.iter()
                            .map(|pl| (pl, p.account_count(*pl)))
                            .filter(|(_, n)| *n > 0)
                            .map(|(pl, n)| format!("{}: {n}", platform_name(pl.as_str())))
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <tr class="border-t border-slate-100" class:hidden=move || !matches_filter(&filter.get(), &haystack)>
                                <td class=CELL><a class=LINK href=format!("/people/{}", p.id)>{p.name.clone()}</a></td>
                                <td class=CELL>{p.email.clone()}</td>
                                <td class=CELL>{if accounts.is_empty() { "—".to_string() } else { accounts }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
