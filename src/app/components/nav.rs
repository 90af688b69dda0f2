use crate::api::auth::{current_user, Logout};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Nav() -> impl IntoView {
    // Asked again on every navigation, so signing in or out (which navigate) shows at once.
    let location = leptos_router::hooks::use_location();
    let user = Resource::new(move || location.pathname.get(), |_| current_user());
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3" aria-label="Main">
                <a href="/" class="text-lg font-bold text-indigo-700">"Velocity"</a>
                <a href="/" class="text-sm text-slate-600 hover:text-slate-900">"Directory"</a>
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
