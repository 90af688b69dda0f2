use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1 class="text-xl font-semibold">"Page not found"</h1>
        <p class="mt-2"><a class="text-indigo-700 underline" href="/">"Back to the directory"</a></p>
    }
}
