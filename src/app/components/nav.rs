use leptos::prelude::*;

#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3" aria-label="Main">
                <a href="/" class="text-lg font-bold text-indigo-700">"Velocity"</a>
                <a href="/" class="text-sm text-slate-600 hover:text-slate-900">"Directory"</a>
            </nav>
        </header>
    }
}
