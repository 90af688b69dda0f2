//! Projects: the list (search, lead, link counts per platform, health badge) and one project
//! with its links, their actions, the link dialogs and the latest synced items.

use crate::api::projects::{list_projects, load_project, ChangeLink, LinkActionOutcome, Unlink};
use crate::api::ApiError;
use crate::api::validate::CheckLinks;
use crate::app::components::check_links::CheckLinksNow;
use crate::app::components::activity::ActivitySection;
use crate::app::components::sync::RunNow;
use crate::app::components::error_view::ErrorView;
use crate::app::components::link_dialog::LinkDialog;
use crate::app::components::link_table::{latest_outcome, ActionStatus, LinkActions};
use crate::app::components::records::{AdminOnly, EditProjectForm, NewProjectForm, ProjectWrites, SavedStatus};
use crate::app::components::ui::*;
use crate::domain::catalog::CatalogKind;
use crate::domain::synced::ProjectOverview;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let rows = Resource::new(q, list_projects);
    view! {
        <PageHeader title="Projects">
            <Form method="GET" action="">
                <input type="search" name="q" aria-label="Search projects" placeholder="Search key, name or lead…" class=format!("{INPUT} w-72") value=q/>
                <button type="submit" class=format!("{BUTTON} ml-2")>"Search"</button>
            </Form>
        </PageHeader>
        <AdminOnly><NewProjectForm/></AdminOnly>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    rows.await.map(|rows| view! {
                        <table class=TABLE data-testid="project-list">
                            <thead class=HEAD>
                                <tr>
                                    <th class=CELL>"Key"</th>
                                    <th class=CELL>"Name"</th>
                                    <th class=CELL>"Lead"</th>
                                    <th class=CELL>"Jira"</th>
                                    <th class=CELL>"GitHub"</th>
                                    <th class=CELL>"GitLab"</th>
                                    <th class=CELL>"Bitbucket"</th>
                                    <th class=CELL>"Link health"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.is_empty().then(|| view! { <tr><td class=CELL colspan="8">"No project matches."</td></tr> })}
                                {rows.into_iter().map(|r| view! {
                                    <tr class=ROW>
                                        <td class=format!("{CELL} font-mono")><a class=LINK href=format!("/projects/{}", r.key)>{r.key.clone()}</a></td>
                                        <td class=CELL>{r.name}{(!r.active).then(|| view! { <span class="ml-2 text-xs text-slate-500">"(inactive)"</span> })}</td>
                                        <td class=CELL data-label="Lead">{r.lead.unwrap_or_else(|| "—".into())}</td>
                                        <td class=CELL data-label="Jira">{r.jira}</td>
                                        <td class=CELL data-label="GitHub">{r.github}</td>
                                        <td class=CELL data-label="GitLab">{r.gitlab}</td>
                                        <td class=CELL data-label="Bitbucket">{r.bitbucket}</td>
                                        <td class=CELL data-label="Link health"><HealthBadge counts=r.health/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.read().get("key").unwrap_or_default();
    let change = ServerAction::<ChangeLink>::new();
    let unlink = ServerAction::<Unlink>::new();
    let check = ServerAction::<CheckLinks>::new();
    let latest = latest_outcome(change, unlink);
    let writes = ProjectWrites::new();
    let (linked, set_linked) = signal(0u32);
    let project = Resource::new(move || (key(), change.version().get(), unlink.version().get(), check.version().get(), linked.get(), writes.version()), |(k, ..)| load_project(k));
    // The dialog's title names the project and it opens only for those who may link; an
    // effect reads both so the dialog can live outside the Suspense.
    let name = RwSignal::new(key());
    let may_link = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(o)) = project.get() {
            may_link.set(o.can_manage);
            name.set(o.project.name);
        }
    });
    let dialog = move || query.read().get("link").and_then(|k| CatalogKind::parse(&k)).filter(|k| *k != CatalogKind::Account && may_link.get());
    let navigate = use_navigate();
    let close = Callback::new(move |_| navigate(&format!("/projects/{}", key()), Default::default()));
    let on_linked = Callback::new(move |said: String| {
        set_linked.update(|n| *n += 1);
        latest.set(Some(Ok(LinkActionOutcome::said(said))));
    });
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || Suspend::new(async move {
                    project.await.map(|o| view! { <ProjectView overview=o change unlink check latest writes/> })
                })}
            </ErrorBoundary>
        </Suspense>
        // Outside the Suspense: reloading the project after a link must not reset the dialog.
        {move || dialog().map(|kind| {
            let what = if kind == CatalogKind::Jira { "Jira Projects" } else { "Repositories" };
            view! { <LinkDialog owner=format!("project:{}", key()) kind title=Signal::derive(move || format!("Link {what} to \"{}\"", name.get())) on_close=close on_linked/> }
        })}
    }
}

#[component]
fn ProjectView(overview: ProjectOverview, change: ServerAction<ChangeLink>, unlink: ServerAction<Unlink>, check: ServerAction<CheckLinks>, latest: RwSignal<Option<Result<LinkActionOutcome, ApiError>>>, writes: ProjectWrites) -> impl IntoView {
    let ProjectOverview { project: p, lead, health, recent_issues, recent_commits, disabled_connections, can_manage, can_edit } = overview;
    let disabled = move |id: uuid::Uuid| disabled_connections.get(&id).cloned();
    let owner = format!("project:{}", p.key);
    let (o1, o2, o3) = (owner.clone(), owner.clone(), owner.clone());
    let (activity_owner, activity_rest) = (owner.clone(), format!("/api/projects/{}", p.key));
    let editable = can_edit.then(|| p.clone());
    view! {
        <PageHeader title=format!("{} · {}", p.key, p.name)>
            {(!p.active).then(|| view! { <span data-testid="project-inactive"><Badge severity=crate::domain::health::Severity::Warn text="inactive"/></span> })}
            <HealthBadge counts=health/>
            {can_manage.then(|| view! {
                <RunNow project=p.key.clone()/>
                <CheckLinksNow action=check owner=o3/>
                <a href="?link=jira" class=BUTTON_PRIMARY>"Link Jira projects"</a>
                <a href="?link=repository" class=BUTTON>"Link repositories"</a>
            })}
        </PageHeader>
        <p class="mb-1 text-sm text-slate-700">{p.description.clone()}</p>
        <p class="mb-4 text-sm text-slate-500">"Lead: " {lead.unwrap_or_else(|| "none".into())}</p>
        <SavedStatus latest=writes.saved/>
        {editable.map(|project| view! { <EditProjectForm project writes/> })}
        {(!can_manage).then(|| view! {
            <p class="mb-4 text-sm text-slate-600" data-testid="read-only-note">"You can read this project; only an admin or its lead links, unlinks and syncs it."</p>
        })}
        <ActionStatus latest change owner=owner.clone()/>
        <section class="mb-6" aria-labelledby="jira-heading">
            <h2 id="jira-heading" class=H2>{format!("Jira projects ({})", p.jira_projects.len())}</h2>
            <div class="overflow-x-auto" tabindex="0">
            <table class=TABLE data-testid="jira-links">
                <thead class=HEAD><tr>
                    <th class=CELL>"Key"</th><th class=CELL>"Name"</th><th class=CELL>"Status"</th>
                    <th class=CELL>"Issues (open / total)"</th><th class=CELL>"Last synced"</th><th class=CELL>"Linked"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {p.jira_projects.is_empty().then(|| view! { <tr><td class=CELL colspan="7">"No Jira project linked yet."</td></tr> })}
                    {p.jira_projects.iter().map(|l| {
                        let label = format!("{} - {}", l.key, l.name);
                        let count = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
                        view! {
                            <tr class=ROW>
                                <td class=format!("{CELL} font-mono")><a class=LINK href=l.url.clone() rel="noopener noreferrer" target="_blank">{l.key.clone()}</a><div class="text-xs text-slate-500">{format!("id {}", l.jira_project_id)}</div></td>
                                <td class=CELL>{l.name.clone()}</td>
                                <td class=CELL>
                                    <div class="flex flex-wrap gap-1">
                                        <Flag value=l.is_primary yes="primary" no="secondary"/>
                                        <Flag value=l.active yes="active" no="inactive"/>
                                        <Flag value=l.verified yes="verified" no="unverified"/>
                                        <DisabledConnection name=disabled(l.connection_id)/>
                                    </div>
                                </td>
                                <td class=CELL data-label="Issues (open / total)">{format!("{} / {}", count(l.open_issues), count(l.total_issues))}</td>
                                <td class=CELL data-label="Last synced">{when(l.last_synced)}</td>
                                <td class=CELL data-label="Linked">{when(Some(l.linked_at))}</td>
                                <td class=CELL>{can_manage.then(|| view! { <LinkActions change unlink owner=o1.clone() link_id=l.id active=l.active primary=l.is_primary label/> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
        <section class="mb-6" aria-labelledby="repo-heading">
            <h2 id="repo-heading" class=H2>{format!("Repositories ({})", p.repositories.len())}</h2>
            <div class="overflow-x-auto" tabindex="0">
            <table class=TABLE data-testid="repository-links">
                <thead class=HEAD><tr>
                    <th class=CELL>"Repository"</th><th class=CELL>"Platform"</th><th class=CELL>"Status"</th>
                    <th class=CELL>"Default branch"</th><th class=CELL>"Last commit"</th><th class=CELL>"Last synced"</th><th class=CELL><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {p.repositories.is_empty().then(|| view! { <tr><td class=CELL colspan="7">"No repository linked yet."</td></tr> })}
                    {p.repositories.iter().map(|r| {
                        let place = r.workspace.clone().unwrap_or_default();
                        let label = format!("{} {place}/{}", platform_name(r.platform.as_str()), r.slug);
                        view! {
                            <tr class=ROW>
                                <td class=CELL><a class=LINK href=r.url.clone() rel="noopener noreferrer" target="_blank">{format!("{place}/{}", r.slug)}</a><div class="text-xs text-slate-500">{format!("id {}", shown_id(&r.external_id))}</div></td>
                                <td class=CELL data-label="Platform">{platform_name(r.platform.as_str())}</td>
                                <td class=CELL>
                                    <div class="flex flex-wrap gap-1">
                                        <Flag value=r.is_primary yes="primary" no="secondary"/>
                                        <Flag value=r.active yes="active" no="inactive"/>
                                        <Flag value=r.verified yes="verified" no="unverified"/>
                                        <DisabledConnection name=disabled(r.connection_id)/>
                                    </div>
                                </td>
                                <td class=CELL data-label="Default branch">{r.default_branch.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class=CELL data-label="Last commit">{when(r.last_commit)}</td>
                                <td class=CELL data-label="Last synced">{when(r.last_synced)}</td>
                                <td class=CELL>{can_manage.then(|| view! { <LinkActions change unlink owner=o2.clone() link_id=r.id active=r.active primary=r.is_primary label/> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
        <section class="grid gap-4 md:grid-cols-2" aria-label="Recently synced">
            <div class=CARD>
                <h2 class=H2>"Recent issues"</h2>
                {recent_issues.is_empty().then(|| view! { <p class="text-sm text-slate-500">"Nothing synced yet."</p> })}
                <ul class="space-y-1 text-sm">
                    {recent_issues.into_iter().map(|i| view! {
                        <li><span class="font-mono">{i.issue_key}</span>" "{i.summary}<span class="ml-1 text-xs text-slate-500">{format!("{} · {}", i.status, when(Some(i.updated)))}</span></li>
                    }).collect_view()}
                </ul>
            </div>
            <div class=CARD>
                <h2 class=H2>"Recent commits"</h2>
                {recent_commits.is_empty().then(|| view! { <p class="text-sm text-slate-500">"Nothing synced yet."</p> })}
                <ul class="space-y-1 text-sm">
                    {recent_commits.into_iter().map(|c| view! {
                        <li><span class="font-mono">{c.sha.chars().take(8).collect::<String>()}</span>" "{c.message.lines().next().unwrap_or_default().to_owned()}<span class="ml-1 text-xs text-slate-500">{format!("{} · {}", c.author_name.unwrap_or_default(), when(Some(c.committed_at)))}</span></li>
                    }).collect_view()}
                </ul>
            </div>
        </section>
        <ActivitySection owner=activity_owner rest_base=activity_rest by="person"/>
    }
}
