//! The audit log: filter by entity, actor, action and time (a GET form, so filters are links),
//! newest first, a page at a time; each entry names its entity and shows before → after as field
//! changes.

use crate::api::audit::{audit_log, AuditEntryView, AuditQuery};
use crate::api::people::list_people;
use crate::api::projects::list_projects;
use crate::app::components::diff::{link_subject, Diff};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::audit::ACTIONS;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// Where an entry's entity lives, and how a person reads it.
fn entity(e: &AuditEntryView) -> (Option<String>, String) {
    let label = e.entity_name.clone().unwrap_or_else(|| e.entity_id.clone());
    match e.entity_type.as_str() {
        "project" => (Some(format!("/projects/{}", e.entity_id)), format!("project {label}")),
        "person" => (Some(format!("/people/{}", e.entity_id)), format!("person {label}")),
        "connection" => (Some("/connections".into()), format!("connection {label}")),
        other => (None, format!("{other} {label}")),
    }
}

/// The audit page with the current filters and `before` (none: the newest page).
fn page_href(q: &AuditQuery, before: Option<i64>) -> String {
    let before = before.map(|b| b.to_string()).unwrap_or_default();
    let pairs = [("entity_type", &q.entity_type), ("entity_id", &q.entity_id), ("actor", &q.actor), ("action", &q.action), ("since", &q.since), ("until", &q.until), ("before", &before)];
    let set: Vec<(&str, &String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    match serde_urlencoded::to_string(&set) {
        Ok(query) if !query.is_empty() => format!("/audit?{query}"),
        _ => "/audit".into(),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let q = use_query_map();
    let get = move |k: &str| q.read().get(k).unwrap_or_default();
    let filter = move || AuditQuery { entity_type: get("entity_type"), entity_id: get("entity_id"), actor: get("actor"), action: get("action"), since: get("since"), until: get("until"), before: get("before") };
    let entries = Resource::new(filter, audit_log);
    let people = Resource::new(|| (), |_| list_people(String::new()));
    let projects = Resource::new(|| (), |_| list_projects(String::new()));
    let field = "flex flex-col gap-1 text-xs font-medium text-slate-600";
    view! {
        <PageHeader title="Audit log"><span></span></PageHeader>
        <Form method="GET" action="">
            <div class=format!("{CARD} mb-4 flex flex-wrap items-end gap-3")>
                <label class=field>"Entity type"
                    <select name="entity_type" class=INPUT>
                        {["", "project", "person", "connection"].into_iter().map(|v| view! { <option value=v selected=move || get("entity_type") == v>{if v.is_empty() { "any" } else { v }}</option> }).collect_view()}
                    </select>
                </label>
                <label class=field>"Entity"
                    <select name="entity_id" class=INPUT>
                        <option value="">"any"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let (projects, people) = (projects.await, people.await);
                                let selected = get("entity_id");
                                view! {
                                    <optgroup label="Projects">
                                        {projects.unwrap_or_default().into_iter().map(|p| {
                                            let chosen = selected == p.key;
                                            view! { <option value=p.key.clone() selected=chosen>{format!("{} ({})", p.name, p.key)}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                    <optgroup label="People">
                                        {people.unwrap_or_default().into_iter().map(|p| {
                                            let id = p.id.to_string();
                                            let chosen = selected == id;
                                            view! { <option value=id selected=chosen>{p.name}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }
                            })}
                        </Suspense>
                    </select>
                </label>
                <label class=field>"Actor"
                    <select name="actor" class=INPUT>
                        <option value="">"anyone"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                people.await.map(|ps| ps.into_iter().map(|p| {
                                    let id = p.id.to_string();
                                    let selected = get("actor") == id;
                                    view! { <option value=id selected=selected>{p.name}</option> }
                                }).collect_view())
                            })}
                        </Suspense>
                    </select>
                </label>
                <label class=field>"Action"
                    <select name="action" class=INPUT>
                        <option value="">"any"</option>
                        {ACTIONS.iter().map(|a| view! { <option value=*a selected=move || get("action") == *a>{*a}</option> }).collect_view()}
                    </select>
                </label>
                <label class=field>"Since (UTC)"<input type="datetime-local" name="since" class=INPUT value=move || get("since")/></label>
                <label class=field>"Until (UTC)"<input type="datetime-local" name="until" class=INPUT value=move || get("until")/></label>
                <button type="submit" class=BUTTON_PRIMARY>"Filter"</button>
                <a href="/audit" class=BUTTON>"Clear"</a>
            </div>
        </Form>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    let current = filter();
                    let paged = !current.before.is_empty();
                    entries.await.map(|page| view! {
                        <div class="overflow-x-auto" tabindex="0">
                        <table class=TABLE data-testid="audit-entries">
                            <thead class=HEAD><tr>
                                <th class=CELL>"When"</th><th class=CELL>"Who"</th><th class=CELL>"Action"</th><th class=CELL>"Entity"</th><th class=CELL>"Before → after"</th>
                            </tr></thead>
                            <tbody>
                                {page.entries.is_empty().then(|| view! { <tr><td class=CELL colspan="5">{if paged { "No older entry matches." } else { "No entry matches these filters: every change to a link, project, person or connection is recorded here." }}</td></tr> })}
                                {page.entries.into_iter().map(|e| {
                                    let subject = link_subject(e.before.as_ref(), e.after.as_ref());
                                    let (href, label) = entity(&e);
                                    view! {
                                        <tr class=ROW data-entry=e.id>
                                            <td class=format!("{CELL} whitespace-nowrap")><time datetime=e.at.to_rfc3339()>{when_exact(e.at)}</time></td>
                                            <td class=CELL>{e.actor.clone().unwrap_or_else(|| "system".into())}<div class="text-xs text-slate-500">{format!("via {}", e.source)}</div></td>
                                            <td class=format!("{CELL} font-mono text-xs")>{e.action.clone()}</td>
                                            <td class=CELL>
                                                {match href {
                                                    Some(href) => view! { <a class=LINK href=href>{label}</a> }.into_any(),
                                                    None => view! { <span>{label}</span> }.into_any(),
                                                }}
                                                {subject.map(|s| view! { <div class="text-xs text-slate-500">{format!("link: {s}")}</div> })}
                                            </td>
                                            <td class=CELL><Diff before=e.before after=e.after/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <nav class="mt-3 flex gap-3 text-sm" aria-label="Audit log pages">
                            {paged.then(|| view! { <a class=LINK href=page_href(&current, None)>"← Newest"</a> })}
                            {page.older.map(|older| view! { <a class=LINK href=page_href(&current, Some(older)) data-testid="audit-older">"Older entries →"</a> })}
                        </nav>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters_and_encode_them() {
        let q = AuditQuery { action: "link.create".into(), since: "2026-11-25T14:30".into(), before: "99".into(), ..Default::default() };
        assert_eq!(page_href(&q, Some(42)), "/audit?action=link.create&since=2026-11-25T14%3A30&before=42");
        assert_eq!(page_href(&q, None), "/audit?action=link.create&since=2026-11-25T14%3A30");
        assert_eq!(page_href(&AuditQuery::default(), None), "/audit");
    }
}
