use crate::api::ApiError;
use crate::app::components::not_found::NotFound;
use leptos::prelude::*;

/// Shows the errors an `ErrorBoundary` caught, as the messages people can act on. A page whose
/// entity does not exist is the not-found page (answered with 404), not an error box.
#[component]
pub fn ErrorView(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let missing = {
        let errors = errors.clone();
        move || errors.get().into_iter().any(|(_, e)| matches!(e.downcast_ref::<ApiError>(), Some(ApiError::NotFound(_))))
    };
    view! {
        <Show when=missing fallback=move || {
            let errors = errors.clone();
            view! {
                <div role="alert" class="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
                    <ul>
                        {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
                    </ul>
                </div>
            }
        }>
            <NotFound/>
        </Show>
    }
}
