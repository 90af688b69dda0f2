use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Nav() -> impl IntoView {
    // `A` marks the current section with aria-current="page", which the style picks up.
    let item = "text-sm text-slate-600 hover:text-slate-900 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-700";
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3" aria-label="Main">
                <a href="/" class="text-lg font-bold text-indigo-700">"Velocity"</a>
                <A href="/" exact=true attr:class=item>"Directory"</A>
                <A href="/projects" attr:class=item>"Projects"</A>
                <A href="/people" attr:class=item>"People"</A>
                <A href="/audit" attr:class=item>"Audit log"</A>
                <A href="/link-health" attr:class=item>"Link health"</A>
                <A href="/migration" attr:class=item>"Migration"</A>
            </nav>
        </header>
    }
}
