use crate::api::auth::{current_user, Logout};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Nav() -> impl IntoView {
    // Asked again on every navigation (query included: claiming an instance comes back to the
    // setup page with one), so signing in or out shows at once.
    let location = leptos_router::hooks::use_location();
    let user = Resource::new(move || (location.pathname.get(), location.search.get()), |_| current_user());
    let logout = ServerAction::<Logout>::new();
    // `A` marks the current section with aria-current="page", which the style picks up.
    let item = "text-sm text-slate-600 hover:text-slate-900 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-700";
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3" aria-label="Main">
                <a href="/" class="text-lg font-bold text-indigo-700">"Velocity"</a>
                <A href="/" exact=true attr:class=item>"Directory"</A>
                <A href="/projects" attr:class=item>"Projects"</A>
                <A href="/people" attr:class=item>"People"</A>
                <A href="/sync" attr:class=item>"Sync"</A>
                <A href="/audit" attr:class=item>"Audit log"</A>
                <A href="/link-health" attr:class=item>"Link health"</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                {(u.role == crate::auth::Role::Admin).then(|| view! {
                                    <A href="/connections" attr:class=item>"Connections"</A>
                                    <A href="/import" attr:class=item>"Import"</A>
                                    <A href="/transfer" attr:class=item>"Files"</A>
                                    <A href="/migration" attr:class=item>"Migration"</A>
                                    <A href="/suggestions" attr:class=item>"Review"</A>
                                    <A href="/pending" attr:class=item>
                                        "Pending"
                                        {(u.pending > 0).then(|| view! {
                                            <span class="ml-1 rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-900" data-testid="pending-count">
                                                {u.pending}<span class="sr-only">" waiting for approval"</span>
                                            </span>
                                        })}
                                    </A>
                                    <A href="/setup" attr:class=item>"Getting started"</A>
                                })}
                                <A href="/me/accounts" attr:class=item>"My accounts"</A>
                                <A href="/me/tokens" attr:class=item>"API tokens"</A>
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
