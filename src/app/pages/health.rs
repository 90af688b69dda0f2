//! Link health: links that are unverified, never synced or stale; suggestions that conflict
//! with a link elsewhere; dismissed suggestions that came back with new evidence.

use crate::api::health::link_health;
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use crate::domain::health::{HealthReport, LinkProblem, Severity};
use leptos::prelude::*;

fn owner_href(owner_type: &str, id: &str) -> String {
    if owner_type == "project" { format!("/projects/{id}") } else { format!("/people/{id}") }
}

#[component]
pub fn HealthPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| link_health());
    view! {
        <PageHeader title="Link health"><span></span></PageHeader>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move { report.await.map(|r| view! { <Report report=r/> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Report(report: HealthReport) -> impl IntoView {
    let HealthReport { links, conflicts, reopened } = report;
    let section = |problem: LinkProblem, title: &'static str, note: &'static str| {
        let rows: Vec<_> = links.iter().filter(|l| l.problem == problem).cloned().collect();
        view! {
            <section class="mb-6" aria-label=title>
                <h2 class=H2>{format!("{title} ({})", rows.len())}</h2>
                <p class="mb-2 text-sm text-slate-500">{note}</p>
                {(!rows.is_empty()).then(|| view! {
                    <div class="overflow-x-auto" tabindex="0">
                    <table class=TABLE data-testid=format!("health-{}", problem.label().replace(' ', "-"))>
                        <thead class=HEAD><tr><th class=CELL>"Owner"</th><th class=CELL>"Platform"</th><th class=CELL>"Link"</th><th class=CELL>"Last synced"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|l| view! {
                                <tr class=ROW>
                                    <td class=CELL><a class=LINK href=owner_href(&l.owner_type, &l.owner_id)>{l.owner_label}</a></td>
                                    <td class=CELL>{platform_name(&l.platform)}</td>
                                    <td class=CELL>{l.label}</td>
                                    <td class=CELL>{when(l.last_synced)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                })}
            </section>
        }
    };
    view! {
        {section(LinkProblem::Unverified, "Unverified links", "Not found upstream at the last validation; their data is kept, nothing new syncs.")}
        {section(LinkProblem::Stale, "Stale links", "Active links not synced for more than a day.")}
        {section(LinkProblem::NeverSynced, "Never synced", "Active links no sync has reached yet.")}
        <section class="mb-6" aria-label="Conflicts">
            <h2 class=H2>{format!("Conflicts ({})", conflicts.len())}</h2>
            <p class="mb-2 text-sm text-slate-500">"Open suggestions for something another project or person links."</p>
            {(!conflicts.is_empty()).then(|| view! {
                <div class="overflow-x-auto" tabindex="0">
                <table class=TABLE data-testid="health-conflicts">
                    <thead class=HEAD><tr><th class=CELL>"Suggested for"</th><th class=CELL>"External entity"</th><th class=CELL>"Score"</th><th class=CELL>"Linked to"</th></tr></thead>
                    <tbody>
                        {conflicts.into_iter().map(|c| {
                            let id = if c.target_type == "project" { c.target_label.clone() } else { c.target_id.to_string() };
                            view! {
                                <tr class=ROW>
                                    <td class=CELL><a class=LINK href=owner_href(&c.target_type, &id)>{c.target_label}</a></td>
                                    <td class=CELL>{c.label}</td>
                                    <td class=CELL>{format!("{:.2}", c.score)}</td>
                                    <td class=CELL><Badge severity=Severity::Bad text=c.holder/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            })}
        </section>
        <section class="mb-6" aria-label="Reopened suggestions">
            <h2 class=H2>{format!("Dismissed suggestions with new evidence ({})", reopened.len())}</h2>
            {(!reopened.is_empty()).then(|| view! {
                <ul class="space-y-2">
                    {reopened.into_iter().map(|r| view! {
                        <li class=CARD>
                            <a class=LINK href=owner_href(&r.entity_type, &r.entity_id)>{format!("{} {}", r.entity_type, r.entity_id)}</a>
                            ": " {r.label}
                            <span class="ml-2 text-xs text-slate-500">{format!("score {} → {} · {}", r.score_before.map(|s| format!("{s:.2}")).unwrap_or_default(), r.score_after.map(|s| format!("{s:.2}")).unwrap_or_default(), when(Some(r.at)))}</span>
                            <ul class="ml-4 list-disc text-xs">{r.evidence.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
