//! The activity section of a project or person page: a summary with charts, then the synced
//! issues, worklogs, commits and pull requests as filterable tables, each row linking to the
//! upstream item. Tabs, filters and paging live in the URL (`?tab=worklogs&from=…&cursor=…`),
//! so every state is a link and works before hydration; CSV comes from the REST endpoint.

use crate::api::activity::{load_activity, load_activity_summary, ActivityList};
use crate::app::components::chart::BarChart;
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::activity::{contiguous_weeks, weekly_series, ActivityKind, ActivitySummary, ListParams, Provenance};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Loaded {
    Summary(ActivitySummary),
    List(ActivityList),
}

use crate::domain::url::encode_component as encode;

fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = pairs.iter().filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", encode(v)))).collect();
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

fn kind_of(tab: &str) -> Option<ActivityKind> {
    ActivityKind::ALL.iter().copied().find(|k| k.as_str() == tab)
}

#[component]
pub fn ActivitySection(#[prop(into)] owner: String, #[prop(into)] rest_base: String, #[prop(into)] by: String) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let tab = move || get("tab").unwrap_or_else(|| "summary".into());
    let params = move || ListParams { from: get("from"), to: get("to"), q: get("q"), status: get("status"), cursor: get("cursor"), ..Default::default() };
    let owner_for_load = owner.clone();
    let loaded = Resource::new(
        move || (owner_for_load.clone(), tab(), params()),
        |(owner, tab, p)| async move {
            match kind_of(&tab) {
                Some(kind) => load_activity(owner, kind, p).await.map(Loaded::List),
                None => load_activity_summary(owner, p.from, p.to).await.map(Loaded::Summary),
            }
        },
    );
    let tab_link = move |t: &'static str, label: &'static str| {
        let href = move || query_string(&[("tab", Some(t.to_owned())), ("from", get("from")), ("to", get("to"))]);
        view! {
            <a href=href aria-current=move || (tab() == t).then_some("page")
                class="rounded-t-md border-b-2 border-transparent px-3 py-1.5 text-sm text-slate-600 hover:text-slate-900 aria-[current=page]:border-indigo-600 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-700">{label}</a>
        }
    };
    let csv = move || kind_of(&tab()).map(|k| format!("{rest_base}/{}{}", k.as_str(), query_string(&[("format", Some("csv".into())), ("from", get("from")), ("to", get("to")), ("q", get("q")), ("status", get("status"))])));
    view! {
        <section class="mt-6" aria-labelledby="activity-heading" data-testid="activity">
            <h2 id="activity-heading" class=H2>"Activity"</h2>
            <nav class="mb-3 flex flex-wrap gap-1 border-b border-slate-200" aria-label="Activity">
                {tab_link("summary", "Summary")}
                {ActivityKind::ALL.iter().map(|k| tab_link(k.as_str(), k.label())).collect_view()}
            </nav>
            <Form method="GET" action="" attr:class="mb-3 flex flex-wrap items-end gap-3 text-sm">
                <input type="hidden" name="tab" value=tab/>
                <label>"From"<input type="date" name="from" class=format!("{INPUT} ml-1") value=move || get("from").unwrap_or_default()/></label>
                <label>"To"<input type="date" name="to" class=format!("{INPUT} ml-1") value=move || get("to").unwrap_or_default()/></label>
                {move || kind_of(&tab()).map(|_| view! {
                    <label>"Text"<input type="search" name="q" class=format!("{INPUT} ml-1 w-48") value=move || get("q").unwrap_or_default()/></label>
                    <label>"Status"<input type="text" name="status" placeholder="done, merged…" class=format!("{INPUT} ml-1 w-32") value=move || get("status").unwrap_or_default()/></label>
                })}
                <button type="submit" class=BUTTON>"Filter"</button>
                {move || csv().map(|href| view! { <a href=href class=format!("{LINK} ml-auto") data-testid="csv">"Download CSV"</a> })}
            </Form>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                    {
                        let by = by.clone();
                        move || {
                            let by = by.clone();
                            Suspend::new(async move {
                                loaded.await.map(|l| match l {
                                    Loaded::Summary(s) => view! { <SummaryView s by/> }.into_any(),
                                    Loaded::List(list) => {
                                        let next = move |cursor: Option<String>| cursor.map(|c| query_string(&[("tab", Some(tab())), ("from", get("from")), ("to", get("to")), ("q", get("q")), ("status", get("status")), ("cursor", Some(c))]));
                                        view! { <ListView list next/> }.into_any()
                                    }
                                })
                            })
                        }
                    }
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

#[component]
fn SummaryView(s: ActivitySummary, by: String) -> impl IntoView {
    let label = |w: &chrono::NaiveDate| w.format("%d %b %y").to_string();
    let (weeks, series) = weekly_series(&s.hours);
    let labels: Vec<String> = weeks.iter().map(label).collect();
    let code_weeks = contiguous_weeks(s.code.iter().map(|c| c.week));
    let in_week = |w: &chrono::NaiveDate, f: fn(&crate::domain::activity::WeeklyCode) -> i64| s.code.iter().find(|c| c.week == *w).map_or(0.0, |c| f(c) as f64);
    let code = vec![
        ("commits".to_owned(), code_weeks.iter().map(|w| in_week(w, |c| c.commits)).collect()),
        ("pull requests merged".to_owned(), code_weeks.iter().map(|w| in_week(w, |c| c.pull_requests_merged)).collect()),
    ];
    let code_labels: Vec<String> = code_weeks.iter().map(label).collect();
    let stat = |label: &'static str, value: String| view! { <div class=CARD><div class="text-xs uppercase text-slate-500">{label}</div><div class="text-xl font-semibold">{value}</div></div> };
    view! {
        <p class="mb-2 text-xs text-slate-500">{format!("{} to {}", s.from.format("%Y-%m-%d"), s.to.format("%Y-%m-%d"))}</p>
        <div class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="summary">
            {stat("Issues opened", s.issues_opened.to_string())}
            {stat("Issues resolved", s.issues_resolved.to_string())}
            {stat("Open now", s.issues_open_now.to_string())}
            {stat("Median time to merge", s.median_hours_to_merge.map_or_else(|| "—".to_owned(), |h| format!("{h:.1} h")))}
        </div>
        <BarChart title=format!("Hours logged per week, by {by}") labels series unit="h" stacked=true/>
        <BarChart title="Commits and merged pull requests per week" labels=code_labels series=code unit="" stacked=false/>
    }
}

fn upstream(p: &Provenance, text: String) -> impl IntoView {
    let deleted = p.deleted_at.is_some();
    view! {
        <a href=p.url.clone() class=LINK rel="noopener noreferrer" target="_blank">{text}</a>
        {deleted.then(|| view! { <span class="ml-1"><Badge severity=crate::domain::health::Severity::Warn text="deleted upstream"/></span> })}
    }
}

/// A time that may not have happened yet (resolved, merged): a dash rather than "never".
fn time_or_dash(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "—".into(), |t| when(Some(t)))
}

#[component]
fn ListView(list: ActivityList, next: impl Fn(Option<String>) -> Option<String> + 'static) -> impl IntoView {
    let th = |h: &'static str| view! { <th class=CELL>{h}</th> };
    let (head, rows, cursor): (Vec<&'static str>, AnyView, Option<String>) = match list {
        ActivityList::Issues(p) => (
            vec!["Issue", "Summary", "Status", "Assignee", "Created", "Updated", "Resolved"],
            p.items.into_iter().map(|r| view! {
                <tr class=ROW data-testid="activity-row"><td class=format!("{CELL} font-mono")>{upstream(&r.provenance, r.key.clone())}</td><td class=CELL>{r.summary}</td><td class=CELL>{r.status}</td>
                <td class=CELL>{r.assignee_name.unwrap_or_else(|| "—".into())}</td><td class=CELL>{when(Some(r.created))}</td><td class=CELL>{when(Some(r.updated))}</td><td class=CELL>{time_or_dash(r.resolved)}</td></tr>
            }).collect_view().into_any(),
            p.next_cursor,
        ),
        ActivityList::Worklogs(p) => (
            vec!["Person", "Issue", "Project", "Started", "Hours"],
            p.items.into_iter().map(|r| view! {
                <tr class=ROW data-testid="activity-row"><td class=CELL>{r.person_name.clone()}</td><td class=format!("{CELL} font-mono")>{upstream(&r.provenance, r.issue_key.clone().unwrap_or_else(|| "(issue not linked)".into()))}</td>
                <td class=CELL>{r.project_key.unwrap_or_else(|| "—".into())}</td><td class=CELL>{when(Some(r.started))}</td><td class=CELL>{format!("{:.2}", f64::from(r.seconds) / 3600.0)}</td></tr>
            }).collect_view().into_any(),
            p.next_cursor,
        ),
        ActivityList::Commits(p) => (
            vec!["Commit", "Message", "Repository", "Author", "Committed"],
            p.items.into_iter().map(|r| view! {
                <tr class=ROW data-testid="activity-row"><td class=format!("{CELL} font-mono")>{upstream(&r.provenance, r.sha.chars().take(8).collect())}</td><td class=CELL>{r.message.lines().next().unwrap_or_default().to_owned()}</td>
                <td class=CELL>{r.repository}</td><td class=CELL>{r.author_name.unwrap_or_else(|| "—".into())}</td><td class=CELL>{when(Some(r.committed_at))}</td></tr>
            }).collect_view().into_any(),
            p.next_cursor,
        ),
        ActivityList::PullRequests(p) => (
            vec!["Pull request", "Title", "State", "Repository", "Created", "Updated", "Merged"],
            p.items.into_iter().map(|r| view! {
                <tr class=ROW data-testid="activity-row"><td class=format!("{CELL} font-mono")>{upstream(&r.provenance, format!("#{}", r.number))}</td><td class=CELL>{r.title}</td><td class=CELL>{r.state}</td>
                <td class=CELL>{r.repository}</td><td class=CELL>{when(Some(r.created))}</td><td class=CELL>{when(Some(r.updated))}</td><td class=CELL>{time_or_dash(r.merged)}</td></tr>
            }).collect_view().into_any(),
            p.next_cursor,
        ),
    };
    let columns = head.len();
    view! {
        <div class="overflow-x-auto" tabindex="0">
            <table class=TABLE data-testid="activity-list">
                <thead class=HEAD><tr>{head.into_iter().map(th).collect_view()}</tr></thead>
                <tbody>
                    {rows}
                    <tr class="hidden only:table-row"><td class=CELL colspan=columns.to_string()>"Nothing synced matches: only what comes in through confirmed links is here."</td></tr>
                </tbody>
            </table>
        </div>
        {next(cursor).map(|href| view! { <p class="mt-2 text-sm"><a href=href class=LINK rel="next">"Older →"</a></p> })}
    }
}
