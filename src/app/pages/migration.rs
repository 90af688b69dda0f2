//! The legacy migration: paste the legacy records, run a dry run, read the report, apply.

use crate::api::migration::{MigrationEntry, MigrationReport, RunMigration};
use crate::app::components::file_text::FileText;
use crate::app::components::ui::*;
use leptos::prelude::*;

/// The report's groups, in the order a person reads them: what was (or would be) written, what
/// was there already, then what needs a decision.
const GROUPS: &[(&str, &str, &str)] = &[
    ("created", "Created", "Would create"),
    ("already_present", "Already present", "Already present"),
    ("conflict", "Conflicts: held by another entity", "Conflicts: held by another entity"),
    ("unresolved", "Unresolved: not found upstream or not readable", "Unresolved: not found upstream or not readable"),
];

#[component]
pub fn MigrationPage() -> impl IntoView {
    let run = ServerAction::<RunMigration>::new();
    let records = RwSignal::new(String::new());
    view! {
        <PageHeader title="Legacy migration"><span></span></PageHeader>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">
            "Turns the single-link fields of pre-link records (a project's jiraKey and bitbucketRepos, a person's jiraAccountId, bitbucketUsername and slackUserId) into links, each checked upstream like a link a person declares. Run a dry run first: it writes nothing. Running it again is safe."
        </p>
        <ActionForm action=run>
            <div class=format!("{CARD} mb-4")>
                <div class="mb-2"><FileText text=records label="A file of legacy records (.json)" accept=".json,application/json"/></div>
                <label for="records" class="mb-1 block text-sm font-medium">"Legacy records (JSON with legacyProjects and legacyPersons, as velocity demo writes to target/demo-org.json)"</label>
                <textarea id="records" name="records" rows="8" class=format!("{INPUT} w-full font-mono text-xs") required=true prop:value=move || records.get() on:input=move |ev| records.set(event_target_value(&ev))></textarea>
                <fieldset class="mt-2 flex flex-wrap items-center gap-4 text-sm">
                    <legend class="sr-only">"Mode"</legend>
                    <label class="flex items-center gap-1"><input type="radio" name="apply" value="false" checked=true/>"Dry run (writes nothing)"</label>
                    <label class="flex items-center gap-1"><input type="radio" name="apply" value="true"/>"Apply (writes the links)"</label>
                    <button type="submit" class=BUTTON_PRIMARY disabled=move || run.pending().get()>{move || if run.pending().get() { "Running…" } else { "Run migration" }}</button>
                </fieldset>
            </div>
        </ActionForm>
        {move || run.value().get().map(|r| match r {
            Ok(report) => view! { <ReportView report/> }.into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })}
    }
}

#[component]
fn ReportView(report: MigrationReport) -> impl IntoView {
    let verb = if report.dry_run { "would create" } else { "created" };
    let dry_run = report.dry_run;
    view! {
        <section aria-label="Migration report" data-testid="migration-report">
            <h2 class=H2>{if report.dry_run { "Dry run report" } else { "Migration report" }}</h2>
            <p class="mb-2 text-sm" role="status">{format!("{verb} {}, already present {}, conflicts {}, unresolved {}", report.created, report.already_present, report.conflicts, report.unresolved)}</p>
            {GROUPS.iter().map(|(outcome, done, dry)| {
                let rows: Vec<MigrationEntry> = report.references.iter().filter(|e| e.outcome == *outcome).cloned().collect();
                (!rows.is_empty()).then(|| view! {
                    <h3 class="mt-3 mb-1 text-sm font-semibold" data-testid=format!("migration-group-{outcome}")>{format!("{} ({})", if dry_run { *dry } else { *done }, rows.len())}</h3>
                    <table class=TABLE>
                        <thead class=HEAD><tr><th class=CELL>"Entity"</th><th class=CELL>"Field"</th><th class=CELL>"Value"</th><th class=CELL>"Details"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|e| view! {
                                <tr class=ROW>
                                    <td class=CELL>{format!("{} {}", e.entity_type, e.entity)}</td>
                                    <td class=format!("{CELL} font-mono text-xs")>{e.field}</td>
                                    <td class=format!("{CELL} font-mono text-xs break-all")>{e.value}</td>
                                    <td class=format!("{CELL} text-xs")>{[e.holder.map(|h| format!("held by {h}")), e.reason, e.note].into_iter().flatten().collect::<Vec<_>>().join("; ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            }).collect_view()}
        </section>
    }
}
