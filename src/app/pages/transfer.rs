//! Import & export (admins): download every project and person with their links (JSON, or CSV of
//! one kind), and import a JSON or CSV file — every row is checked and either all are written or
//! none, with each refused row named.

use crate::api::transfer::{ImportDocument, ImportOutcome};
use crate::app::components::file_text::FileText;
use crate::app::components::ui::*;
use leptos::prelude::*;

/// The import format a file's name says: `.json`, or CSV of the kind its name mentions.
pub fn format_of(file_name: &str) -> Option<&'static str> {
    let name = file_name.to_ascii_lowercase();
    if name.ends_with(".json") {
        Some("json")
    } else if name.ends_with(".csv") {
        Some(if name.contains("person") || name.contains("people") { "persons.csv" } else { "projects.csv" })
    } else {
        None
    }
}

#[component]
pub fn TransferPage() -> impl IntoView {
    let import = ServerAction::<ImportDocument>::new();
    let text = RwSignal::new(String::new());
    let format = RwSignal::new("json".to_owned());
    let on_name = Callback::new(move |name: String| {
        if let Some(f) = format_of(&name) {
            format.set(f.to_owned());
        }
    });
    let field = "flex flex-col gap-1 text-xs font-medium text-slate-600";
    view! {
        <PageHeader title="Import & export">{()}</PageHeader>
        <section class=format!("{CARD} mb-4") aria-labelledby="export-heading">
            <h2 id="export-heading" class=H2>"Export"</h2>
            <p class="mb-2 text-sm text-slate-600">"Every project and person with their links and the legacy fields derived from them; a CSV export imports as it is."</p>
            <div class="flex flex-wrap gap-2">
                <a class=BUTTON href="/api/export" download="velocity-export.json">"Everything (JSON)"</a>
                <a class=BUTTON href="/api/export?format=csv&kind=projects">"Projects (CSV)"</a>
                <a class=BUTTON href="/api/export?format=csv&kind=persons">"People (CSV)"</a>
            </div>
        </section>
        <section class=CARD aria-labelledby="import-heading">
            <h2 id="import-heading" class=H2>"Import"</h2>
            <p class="mb-2 max-w-3xl text-sm text-slate-600">"Creates projects and people: an existing key or e-mail is a refused row, never an overwrite. Every row is checked first; if one is refused, nothing is written. An old system's export imports as it is: its jiraKey, bitbucketRepos and account fields become links, checked upstream."</p>
            <ActionForm action=import attr:class="flex flex-col gap-3">
                <div class="flex flex-wrap items-end gap-3">
                    <FileText text on_name label="A file (.json or .csv)" accept=".json,.csv,application/json,text/csv"/>
                    <label class=field>"Format"
                        <select name="format" class=INPUT prop:value=move || format.get() on:change=move |ev| format.set(event_target_value(&ev))>
                            <option value="json">"JSON (persons and projects)"</option>
                            <option value="projects.csv">"CSV of projects"</option>
                            <option value="persons.csv">"CSV of people"</option>
                        </select>
                    </label>
                </div>
                <label class=field>"Content (filled from the file, or pasted)"
                    <textarea name="content" rows="8" class=format!("{INPUT} w-full font-mono text-xs") prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
                <div><button type="submit" class=BUTTON_PRIMARY disabled=move || import.pending().get()>{move || if import.pending().get() { "Importing…" } else { "Import" }}</button></div>
            </ActionForm>
            {move || import.value().get().map(|r| match r {
                Ok(outcome) => view! { <OutcomeView outcome/> }.into_any(),
                Err(e) => view! { <div class="mt-3"><ErrorText message=e.to_string()/></div> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn OutcomeView(outcome: ImportOutcome) -> impl IntoView {
    let headline = if outcome.written {
        format!("Imported {} rows: {} people and {} projects created, {} links from legacy fields.", outcome.accepted, outcome.persons, outcome.projects, outcome.legacy_links)
    } else {
        format!("Nothing was written: {} rows are refused (fix them and import again); {} rows were fine.", outcome.refused.len(), outcome.accepted)
    };
    let ignored = (!outcome.ignored_fields.is_empty()).then(|| format!("Ignored read-only fields: {}.", outcome.ignored_fields.join(", ")));
    view! {
        <div class="mt-3" data-testid="import-report">
            <p role="status" class=if outcome.written { "text-sm font-medium text-emerald-800" } else { "text-sm font-medium text-red-800" }>{headline}</p>
            {ignored.map(|i| view! { <p class="text-xs text-slate-600">{i}</p> })}
            {(!outcome.refused.is_empty()).then(|| view! {
                <table class=format!("{TABLE} mt-2") data-testid="import-refused">
                    <thead class=HEAD><tr><th class=CELL>"Kind"</th><th class=CELL>"Row"</th><th class=CELL>"Field"</th><th class=CELL>"Why"</th></tr></thead>
                    <tbody>
                        {outcome.refused.into_iter().map(|r| view! {
                            <tr class=ROW>
                                <td class=CELL>{r.kind}</td>
                                <td class=CELL>{match r.line { Some(line) => format!("{} (line {line})", r.row), None => r.row.to_string() }}</td>
                                <td class=format!("{CELL} font-mono text-xs")>{r.field}</td>
                                <td class=CELL>{r.message}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::format_of;

    #[test]
    fn a_file_name_says_its_format() {
        assert_eq!(format_of("export.JSON"), Some("json"));
        assert_eq!(format_of("velocity-persons.csv"), Some("persons.csv"));
        assert_eq!(format_of("people 2026.csv"), Some("persons.csv"));
        assert_eq!(format_of("velocity-projects.csv"), Some("projects.csv"));
        assert_eq!(format_of("notes.txt"), None);
    }
}
