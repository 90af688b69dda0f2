use crate::api::auth::{current_user, Logout};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Nav() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let logout = ServerAction::<Logout>::new();
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
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <span class="ml-auto text-sm text-slate-600" data-testid="current-user">
                                    {format!("{} ({})", u.name, u.role.as_str())}
                                </span>
                                <ActionForm action=logout>
                                    <button type="submit" class="text-sm text-slate-600 hover:text-slate-900">"Sign out"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! { <a href="/login" class="ml-auto text-sm text-indigo-700">"Sign in"</a> }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
    }
}
