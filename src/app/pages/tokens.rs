//! "API tokens": the signed-in person's tokens for the REST API. A new token's secret is shown
//! once, right after it is made; the list shows when each was last used; revoking is immediate.
//! Plain forms, so the page works before it hydrates.

use crate::api::tokens::{my_tokens, ApiToken, CreateApiToken, RevokeApiToken};
use crate::app::components::error_view::ErrorView;
use crate::app::components::ui::*;
use leptos::prelude::*;

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(move || (create.version().get(), revoke.version().get()), |_| my_tokens());
    let created = move || {
        create.value().get().map(|r| match r {
            Ok(new) => view! {
                <div role="status" data-testid="new-token" class="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm">
                    <p class="font-medium text-emerald-900">{format!("Created \"{}\". Copy the token now: it is shown only this once.", new.token.name)}</p>
                    <code class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-slate-900 ring-1 ring-emerald-200" data-testid="new-token-secret">{new.secret}</code>
                    <p class="mt-2 text-xs text-slate-600">"Send it as " <code>"Authorization: Bearer …"</code> "; it acts with your rights until you revoke it."</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    };
    let revoked = move || {
        revoke.value().get().map(|r| match r {
            Ok(t) => view! { <p role="status" data-testid="token-status" class="mb-3 text-sm text-emerald-800">{format!("Revoked \"{}\": it no longer signs anything in.", t.name)}</p> }.into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    };
    view! {
        <PageHeader title="API tokens">{()}</PageHeader>
        <p class="mb-3 max-w-3xl text-sm text-slate-600">
            "Tokens let scripts and integrations use the REST API (" <a class=LINK href="/api/openapi.json">"its description"</a> ") as you, with your rights. Velocity keeps only a hash of each."
        </p>
        <ActionForm action=create attr:class=format!("{CARD} mb-4 flex flex-wrap items-end gap-3")>
            <label class="flex flex-col gap-1 text-xs font-medium text-slate-600">"Name (what the token is for)"
                <input name="name" required maxlength="200" class=format!("{INPUT} w-72") placeholder="e.g. CI export job"/>
            </label>
            <button type="submit" class=BUTTON_PRIMARY>"Create token"</button>
        </ActionForm>
        {created}
        {revoked}
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move { tokens.await.map(|list| view! { <TokenTable list revoke/> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn TokenTable(list: Vec<ApiToken>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto" tabindex="0">
        <table class=TABLE data-testid="tokens">
            <thead class=HEAD><tr>
                <th class=CELL>"Name"</th><th class=CELL>"Created"</th><th class=CELL>"Last used"</th><th class=CELL>"Status"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {list.is_empty().then(|| view! { <tr><td class=CELL colspan="5">"You have no token yet: create one above to use the REST API from a script."</td></tr> })}
                {list.into_iter().map(|t| {
                    let label = format!("Revoke {}", t.name);
                    view! {
                        <tr class=ROW data-testid="token">
                            <td class=CELL>{t.name.clone()}</td>
                            <td class=CELL>{when(Some(t.created_at))}</td>
                            <td class=CELL>{when(t.last_used_at)}</td>
                            <td class=CELL>{match t.revoked_at {
                                Some(at) => view! { <Badge severity=crate::domain::health::Severity::Warn text=format!("revoked {}", when(Some(at)))/> }.into_any(),
                                None => view! { <Badge severity=crate::domain::health::Severity::Good text="active"/> }.into_any(),
                            }}</td>
                            <td class=CELL>{t.revoked_at.is_none().then(|| view! {
                                <ActionForm action=revoke>
                                    <input type="hidden" name="id" value=t.id.to_string()/>
                                    <button type="submit" class=BUTTON_DANGER aria-label=label>"Revoke"</button>
                                </ActionForm>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
