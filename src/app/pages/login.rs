//! The sign-in page. The form posts to the `Login` server function as a plain HTML form, so it
//! works before (or without) the wasm bundle; once hydrated the same form runs as an action
//! and shows the error in place.

use crate::api::auth::Login;
use leptos::form::ActionForm;
use leptos::prelude::*;

const INPUT: &str = "w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    // Effects run only in the browser: marks the form as running in place (for tests).
    let hydrated = crate::app::components::ui::hydrated();
    view! {
        <div data-hydrated=move || hydrated.get().to_string() class="mx-auto mt-12 max-w-sm rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h1 class="mb-4 text-xl font-semibold">"Sign in to Velocity"</h1>
            <ActionForm action=login attr:class="space-y-4">
                <label class="block text-sm">
                    <span class="mb-1 block text-slate-700">"E-mail"</span>
                    <input type="email" name="email" required autocomplete="username" class=INPUT/>
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block text-slate-700">"Password"</span>
                    <input type="password" name="password" required autocomplete="current-password" class=INPUT/>
                </label>
                <button type="submit" class="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
                    "Sign in"
                </button>
                {move || error().map(|e| view! { <p role="alert" class="text-sm text-red-700">{e}</p> })}
            </ActionForm>
        </div>
    }
}
