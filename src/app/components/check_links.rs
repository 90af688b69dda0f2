//! "Check links now": looks every link of a project or person up upstream and says what it found
//! (renames taken, links gone). A plain form, so it works before the page hydrates.

use crate::api::validate::CheckLinks;
use crate::app::components::ui::*;
use leptos::prelude::*;

#[component]
pub fn CheckLinksNow(action: ServerAction<CheckLinks>, #[prop(into)] owner: String) -> impl IntoView {
    let result = move || {
        action.value().get().map(|r| match r {
            Ok(outcome) => view! {
                <div class="text-sm">
                    <p class="font-medium">{outcome.summary()}</p>
                    <ul class="ml-4 list-disc text-slate-700">
                        {outcome.changes.into_iter().chain(outcome.refused).map(|s| view! { <li>{s}</li> }).collect_view()}
                        {outcome.errors.into_iter().map(|s| view! { <li class="text-red-700">{s}</li> }).collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    };
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="owner" value=owner/>
            <button type="submit" class=BUTTON disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Checking…" } else { "Check links now" }}
            </button>
        </ActionForm>
        <div role="status" data-testid="check-links-result" class="basis-full">{result}</div>
    }
}
