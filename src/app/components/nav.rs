use leptos::prelude::*;

#[component]
pub fn Nav() -> impl IntoView {
    let item = "text-sm text-slate-600 hover:text-slate-900 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-700";
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3" aria-label="Main">
                <a href="/" class="text-lg font-bold text-indigo-700">"Velocity"</a>
                <a href="/" class=item>"Directory"</a>
                <a href="/projects" class=item>"Projects"</a>
                <a href="/people" class=item>"People"</a>
                <a href="/audit" class=item>"Audit log"</a>
                <a href="/link-health" class=item>"Link health"</a>
                <a href="/migration" class=item>"Migration"</a>
            </nav>
        </header>
    }
}
