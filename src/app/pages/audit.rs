//! The audit log: filter by entity, actor, action and time (a GET form, so filters are links);
//! each entry shows before → after as field changes.

use crate::api::audit::{audit_log, AuditQuery};
use crate::api::people::list_people;
use crate::app::components::diff::{link_subject, Diff};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const ACTIONS: &[&str] = &["link.create", "link.update", "link.delete", "link.demote", "link.promote", "suggestion.accept", "suggestion.dismiss", "suggestion.reopen", "project.create", "project.update", "project.deactivate", "person.create", "person.update", "person.deactivate", "legacy.translate"];

#[component]
pub fn AuditPage() -> impl IntoView {
    let q = use_query_map();
    let get = move |k: &str| q.read().get(k).unwrap_or_default();
    let filter = move || AuditQuery { entity_type: get("entity_type"), entity_id: get("entity_id"), actor: get("actor"), action: get("action"), since: get("since"), until: get("until") };
    let entries = Resource::new(filter, audit_log);
    let people = Resource::new(|| (), |_| list_people(String::new()));
    let field = "flex flex-col gap-1 text-xs font-medium text-slate-600";
    view! {
        <PageHeader title="Audit log"><span></span></PageHeader>
        <Form method="GET" action="">
            <div class=format!("{CARD} mb-4 flex flex-wrap items-end gap-3")>
                <label class=field>"Entity type"
                    <select name="entity_type" class=INPUT>
                        {["", "project", "person"].into_iter().map(|v| view! { <option value=v selected=move || get("entity_type") == v>{if v.is_empty() { "any" } else { v }}</option> }).collect_view()}
                    </select>
                </label>
                <label class=field>"Entity (project key or person id)"
                    <input name="entity_id" class=INPUT value=move || get("entity_id")/>
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
                    <input name="action" class=INPUT list="audit-actions" value=move || get("action")/>
                    <datalist id="audit-actions">{ACTIONS.iter().map(|a| view! { <option value=*a></option> }).collect_view()}</datalist>
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
                    entries.await.map(|entries| view! {
                        <div class="overflow-x-auto">
                        <table class=TABLE data-testid="audit-entries">
                            <thead class=HEAD><tr>
                                <th class=CELL>"When"</th><th class=CELL>"Who"</th><th class=CELL>"Action"</th><th class=CELL>"Entity"</th><th class=CELL>"Before → after"</th>
                            </tr></thead>
                            <tbody>
                                {entries.is_empty().then(|| view! { <tr><td class=CELL colspan="5">"No entry matches."</td></tr> })}
                                {entries.into_iter().map(|e| {
                                    let subject = link_subject(e.before.as_ref(), e.after.as_ref());
                                    let href = if e.entity_type == "project" { format!("/projects/{}", e.entity_id) } else { format!("/people/{}", e.entity_id) };
                                    view! {
                                        <tr class=ROW>
                                            <td class=format!("{CELL} whitespace-nowrap")>{when(Some(e.at))}</td>
                                            <td class=CELL>{e.actor.clone().unwrap_or_else(|| "system".into())}<div class="text-xs text-slate-500">{format!("via {}", e.source)}</div></td>
                                            <td class=format!("{CELL} font-mono text-xs")>{e.action.clone()}</td>
                                            <td class=CELL><a class=LINK href=href>{format!("{} {}", e.entity_type, e.entity_id)}</a>{subject.map(|s| view! { <div class="text-xs text-slate-500">{format!("link: {s}")}</div> })}</td>
                                            <td class=CELL><Diff before=e.before after=e.after/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
