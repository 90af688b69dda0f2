//! Sync: "Run now" for everything (admins), the runs history with a live progress bar for each
//! running run.

use crate::api::sync::list_sync_runs;
use crate::app::components::error_view::ErrorView;
use crate::app::components::sync::{RunNow, RunsTable};
use crate::app::components::ui::*;
use leptos::prelude::*;

#[component]
pub fn SyncPage() -> impl IntoView {
    // Reloaded when a run started here or shown running in the table finishes.
    let (finished, set_finished) = signal(0u32);
    let on_finished = Callback::new(move |_| set_finished.update(|n| *n += 1));
    let runs = Resource::new(move || finished.get(), |_| list_sync_runs());
    view! {
        <PageHeader title="Sync">
            <RunNow on_finished=Some(on_finished)/>
        </PageHeader>
        <p class="mb-4 text-sm text-slate-500">"Runs per project and per person start from their pages. Newest runs first."</p>
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    runs.await.map(|runs| view! { <RunsTable runs on_finished/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
