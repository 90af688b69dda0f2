use leptos::prelude::*;

/// Shows the errors an `ErrorBoundary` caught, as the messages people can act on.
#[component]
pub fn ErrorView(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div role="alert" class="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
            <ul>
                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
            </ul>
        </div>
    }
}
