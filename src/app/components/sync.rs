//! Sync components: "Run now" for one scope (shown only when the server says the viewer may),
//! a run's live progress bar (fed by the run's Server-Sent Events once hydrated; the server
//! renders the last known state) and the runs history table.

use crate::api::sync::{may_start_sync, StartSync, SyncRunView};
use crate::app::components::ui::*;
use crate::domain::health::Severity;
use leptos::prelude::*;

/// "Run now" for a project (`project`), a person (`person`) or everything (neither). Nothing
/// is shown to people the server would refuse.
#[component]
pub fn RunNow(
    #[prop(optional, into)] project: Option<String>,
    #[prop(optional, into)] person: Option<String>,
    /// Told when a run this button started has finished.
    #[prop(default = None)]
    on_finished: Option<Callback<()>>,
) -> impl IntoView {
    let start = ServerAction::<StartSync>::new();
    let (p1, q1) = (project.clone(), person.clone());
    let allowed = Resource::new(|| (), move |_| may_start_sync(p1.clone(), q1.clone()));
    let hydrated = hydrated();
    let label = match (&project, &person) {
        // Accessible names start with the visible text (WCAG 2.5.3, label in name).
        (Some(key), _) => format!("Run now: sync {key}"),
        (None, Some(_)) => "Run now: sync this person".to_owned(),
        _ => "Run now: sync everything".to_owned(),
    };
    let form = move |(project, person): (Option<String>, Option<String>)| {
        let label = label.clone();
        view! {
            <ActionForm action=start attr:class="inline">
                {project.map(|k| view! { <input type="hidden" name="project" value=k/> })}
                {person.map(|p| view! { <input type="hidden" name="person" value=p/> })}
                <input type="hidden" name="full" value="false"/>
                <button type="submit" class=BUTTON aria-label=label disabled=move || start.pending().get()>"Run now"</button>
            </ActionForm>
        }
    };
    let started = move || {
        start.value().get().map(|r| match r {
            Ok(run) => view! { <div class="w-72"><RunProgress run on_finished/></div> }.into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new({
                let (project, person) = (project.clone(), person.clone());
                let form = form.clone();
                async move {
                    // A failed permission question shows no button rather than an error box.
                    matches!(allowed.await, Ok(true)).then(|| view! {
                        <div class="flex items-center gap-2" data-testid="run-now" data-hydrated=move || hydrated.get().to_string()>
                            {form((project, person))}
                            {started}
                        </div>
                    })
                }
            })}
        </Suspense>
    }
}

/// A run's progress: `done` of `total` links. Finished runs show a full bar.
#[component]
pub fn RunProgress(
    run: SyncRunView,
    #[prop(default = None)] on_finished: Option<Callback<()>>,
) -> impl IntoView {
    let running = run.status == "running";
    let (done, set_done) = signal(if running {
        0
    } else {
        run.links.max(0) as usize
    });
    let (total, set_total) = signal(run.links.max(0) as usize);
    let (status, set_status) = signal(run.status.clone());
    let (message, set_message) = signal(String::new());
    #[cfg(feature = "hydrate")]
    if running {
        live::follow(
            run.id,
            set_done,
            set_total,
            set_status,
            set_message,
            on_finished,
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_done, set_total, set_status, set_message, on_finished);
    let percent = move || {
        let (d, t) = (done.get(), total.get());
        if status.get() != "running" && d >= t {
            100
        } else if t == 0 {
            0
        } else {
            (d * 100 / t).min(100)
        }
    };
    let id = run.id;
    view! {
        <div data-testid="sync-progress" data-run=id.to_string() data-status=move || status.get()>
            <div
                role="progressbar"
                aria-label=format!("Progress of sync run {id}")
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().to_string()
                class="h-2 w-full overflow-hidden rounded-full bg-slate-200"
            >
                <div
                    class=move || format!("h-2 {}", if status.get() == "failed" { "bg-red-500" } else { "bg-indigo-600" })
                    style=move || format!("width: {}%", percent())
                ></div>
            </div>
            <p class="mt-1 text-xs text-slate-600">
                {move || format!("{} · {} of {} links", status.get(), done.get(), total.get())}
                {move || (!message.get().is_empty()).then(|| format!(" · {}", message.get()))}
            </p>
        </div>
    }
}

/// The browser side of the progress bar: an `EventSource` on the run's event stream.
#[cfg(feature = "hydrate")]
mod live {
    use super::{Callback, SyncRunView};
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    #[derive(serde::Deserialize)]
    struct Progress {
        done: usize,
        total: usize,
        message: String,
    }

    fn data(e: &MessageEvent) -> String {
        e.data().as_string().unwrap_or_default()
    }

    pub fn follow(
        id: i64,
        set_done: WriteSignal<usize>,
        set_total: WriteSignal<usize>,
        set_status: WriteSignal<String>,
        set_message: WriteSignal<String>,
        on_finished: Option<Callback<()>>,
    ) {
        let Ok(source) = EventSource::new(&format!("/api/sync/runs/{id}/events")) else {
            return;
        };
        let progress = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            if let Ok(p) = serde_json::from_str::<Progress>(&data(&e)) {
                set_total.set(p.total);
                set_done.set(p.done);
                set_message.set(p.message);
            }
        });
        let closing = source.clone();
        let finished = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            closing.close();
            let Ok(run) = serde_json::from_str::<SyncRunView>(&data(&e)) else { return };
            // A run executing in another process ends its stream while still "running"; reloading
            // the history then would open the same stream again, so only an ended run reloads it.
            if run.status == "running" {
                return;
            }
            set_total.set(run.links.max(0) as usize);
            set_done.set(run.links.max(0) as usize);
            set_message.set(String::new());
            set_status.set(run.status);
            if let Some(cb) = on_finished {
                cb.run(());
            }
        });
        let _ =
            source.add_event_listener_with_callback("progress", progress.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("run", finished.as_ref().unchecked_ref());
        // The listeners live as long as the source; the source closes with the component.
        progress.forget();
        finished.forget();
        let source = StoredValue::new_local(source);
        on_cleanup(move || {
            source.try_with_value(|s| s.close());
        });
    }
}

/// A run's counts per entity: (entity, [fetched, written, deleted]).
pub fn counts_summary(counts: &serde_json::Value) -> Vec<(String, [u64; 3])> {
    let Some(map) = counts.as_object() else {
        return Vec::new();
    };
    map.iter()
        .map(|(entity, c)| {
            let n = |k: &str| c.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
            (entity.clone(), [n("fetched"), n("written"), n("deleted")])
        })
        .collect()
}

fn status_severity(status: &str) -> Severity {
    match status {
        "succeeded" => Severity::Good,
        "failed" => Severity::Bad,
        _ => Severity::Warn,
    }
}

/// The runs history, newest first; running runs show their live progress bar.
#[component]
pub fn RunsTable(runs: Vec<SyncRunView>, on_finished: Callback<()>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto" tabindex="0">
        <table class=TABLE data-testid="sync-runs">
            <thead class=HEAD><tr>
                <th class=CELL>"Run"</th><th class=CELL>"Status"</th><th class=CELL>"Scope"</th>
                <th class=CELL>"Started"</th><th class=CELL>"Finished"</th><th class=CELL>"Counts"</th>
                <th class=CELL>"Requests"</th><th class=CELL>"Retries"</th><th class=CELL>"Refused"</th><th class=CELL>"Errors and link changes"</th>
            </tr></thead>
            <tbody>
                {runs.is_empty().then(|| view! { <tr><td class=CELL colspan="10">"No sync has run yet."</td></tr> })}
                {runs.into_iter().map(|r| {
                    let counts = counts_summary(&r.counts);
                    let errors = r.errors.clone();
                    let link_changes = r.link_changes.clone();
                    view! {
                        <tr class=ROW data-testid="sync-run" data-run=r.id.to_string()>
                            <td class=CELL>{format!("#{}", r.id)}<div class="text-xs text-slate-500">{format!("{}{}", r.trigger, if r.full { ", full" } else { "" })}</div></td>
                            <td class=CELL>
                                <Badge severity=status_severity(&r.status) text=r.status.clone()/>
                                {(r.status == "running").then(|| view! { <div class="mt-1 w-40"><RunProgress run=r.clone() on_finished=Some(on_finished)/></div> })}
                            </td>
                            <td class=CELL data-label="Scope">{r.scope.clone()}</td>
                            <td class=format!("{CELL} whitespace-nowrap") data-label="Started">{when(Some(r.started_at))}</td>
                            <td class=format!("{CELL} whitespace-nowrap") data-label="Finished">{when(r.finished_at)}</td>
                            <td class=CELL data-testid="run-counts">
                                <div>{format!("{} links, {} rows written", r.links, r.rows_written)}</div>
                                {(!counts.is_empty()).then(|| view! {
                                    <table class="mt-1 text-xs text-slate-600">
                                        <thead><tr><th class="pr-2 text-left font-normal"><span class="sr-only">"Entity"</span></th><th class="px-1 text-right font-normal">"fetched"</th><th class="px-1 text-right font-normal">"written"</th><th class="px-1 text-right font-normal">"deleted"</th></tr></thead>
                                        <tbody>
                                            {counts.into_iter().map(|(entity, n)| view! {
                                                <tr><th class="pr-2 text-left font-medium">{entity}</th>{n.into_iter().map(|v| view! { <td class="px-1 text-right tabular-nums">{v}</td> }).collect_view()}</tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                })}
                            </td>
                            <td class=CELL data-label="Requests">{r.requests}</td>
                            <td class=CELL data-label="Retries">{r.retries}</td>
                            <td class=CELL data-label="Refused">{r.refused}</td>
                            <td class=CELL>
                                {(errors.is_empty() && link_changes.is_empty()).then(|| "none")}
                                <ul class="space-y-1 text-xs" data-testid="run-link-changes">
                                    {link_changes.into_iter().map(|c| view! {
                                        <li class=if c.outcome == "invalidated" { "text-red-700" } else { "text-slate-700" }>{c.message}</li>
                                    }).collect_view()}
                                </ul>
                                <ul class="space-y-1 text-xs">
                                    {errors.into_iter().map(|e| view! {
                                        <li class=if e.retried { "text-amber-700" } else { "text-red-700" }>
                                            {e.message}{e.retried.then(|| " (retried)")}
                                            {e.url.map(|u| view! { <div class="break-all font-mono text-slate-500">{u}</div> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_per_entity() {
        let c = serde_json::json!({"issues": {"fetched": 3, "written": 2, "deleted": 1}});
        assert_eq!(super::counts_summary(&c), vec![("issues".to_owned(), [3, 2, 1])]);
        assert!(super::counts_summary(&serde_json::json!(null)).is_empty());
    }
}
