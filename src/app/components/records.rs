//! Forms for Velocity's own records, shown to admins only (the server decides): a new project
//! or person, editing one, deactivating and reactivating it. Plain forms, so they work before
//! the page hydrates; errors name the field, as REST's do.

use crate::api::auth::current_user;
use crate::api::people::list_people;
use crate::api::records::{CreatePersonRecord, CreateProjectRecord, EditPersonRecord, EditProjectRecord, Saved, SetPersonActive, SetProjectActive};
use crate::api::ApiError;
use crate::app::components::ui::*;
use crate::auth::Role;
use crate::domain::{Person, Project};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

const FIELD: &str = "flex min-w-0 flex-col gap-1 text-xs font-medium text-slate-600";

/// A record page's writes (edit, and deactivate or reactivate), the answer to the latest of
/// them and how many succeeded. Lives with the page, so it survives the page's reload after a
/// write.
pub struct RecordWrites<E, A>
where
    E: ServerFn + 'static,
    A: ServerFn + 'static,
{
    pub edit: ServerAction<E>,
    pub activate: ServerAction<A>,
    pub saved: RwSignal<Option<Result<Saved, ApiError>>>,
    writes: RwSignal<u32>,
}

pub type ProjectWrites = RecordWrites<EditProjectRecord, SetProjectActive>;
pub type PersonWrites = RecordWrites<EditPersonRecord, SetPersonActive>;

// By hand: derived impls would ask the server functions themselves to be Copy.
impl<E: ServerFn + 'static, A: ServerFn + 'static> Clone for RecordWrites<E, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: ServerFn + 'static, A: ServerFn + 'static> Copy for RecordWrites<E, A> {}

impl<E, A> RecordWrites<E, A>
where
    E: ServerFn<Output = Saved, Error = ApiError> + Clone + Send + Sync + 'static,
    A: ServerFn<Output = Saved, Error = ApiError> + Clone + Send + Sync + 'static,
{
    pub fn new() -> Self {
        let (edit, activate) = (ServerAction::<E>::new(), ServerAction::<A>::new());
        let (saved, writes) = (RwSignal::new(None), RwSignal::new(0u32));
        let follow = move |r: Result<Saved, ApiError>| {
            // Only a write that happened changes the record: an error leaves the form as typed.
            if r.is_ok() {
                writes.update(|n| *n += 1);
            }
            saved.set(Some(r));
        };
        Effect::new(move |_| {
            if let Some(r) = edit.value().get() {
                follow(r);
            }
        });
        Effect::new(move |_| {
            if let Some(r) = activate.value().get() {
                follow(r);
            }
        });
        RecordWrites { edit, activate, saved, writes }
    }

    /// Changes after each successful write, so the page reloads its record.
    pub fn version(&self) -> u32 {
        self.writes.get()
    }
}

/// The latest write in a sentence, or its error.
#[component]
pub fn SavedStatus(latest: RwSignal<Option<Result<Saved, ApiError>>>) -> impl IntoView {
    // The sentence takes focus when it appears: the form it answers was re-rendered away.
    let status_ref = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = status_ref.get() {
            let _ = p.focus();
        }
    });
    move || {
        latest.get().map(|r| match r {
            Ok(s) => view! { <p node_ref=status_ref tabindex="-1" role="status" data-testid="record-status" class="mb-3 text-sm text-emerald-800">{s.said}</p> }.into_any(),
            Err(e) => view! { <ErrorText message=e.to_string()/> }.into_any(),
        })
    }
}

/// Shows `children` to admins only (a list page has no record of its own to carry the flag).
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let admin = matches!(me.await, Ok(Some(u)) if u.role == Role::Admin);
                admin.then(|| children.read_value()())
            })}
        </Transition>
    }
}

/// Goes to the new record's page once it is created.
fn open_created(value: impl Fn() -> Option<Result<Saved, ApiError>> + 'static) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = value() {
            navigate(&saved.href, Default::default());
        }
    });
}

#[component]
pub fn NewProjectForm() -> impl IntoView {
    let ready = hydrated();
    let create = ServerAction::<CreateProjectRecord>::new();
    open_created(move || create.value().get());
    view! {
        <details class=format!("{CARD} mb-4") data-testid="new-project" data-hydrated=move || ready.get().to_string()>
            <summary class="cursor-pointer text-sm font-medium text-indigo-700">"New project"</summary>
            <ActionForm action=create attr:class="mt-3 grid gap-3 md:grid-cols-2">
                <label class=FIELD>"Key (capitals, digits, _; it never changes)"
                    <input name="key" required pattern="[A-Z][A-Z0-9_]{1,19}" maxlength="20" class=format!("{INPUT} font-mono") placeholder="e.g. PAYMENTS"/>
                </label>
                <label class=FIELD>"Name"
                    <input name="name" required maxlength="200" class=INPUT placeholder="e.g. Payments"/>
                </label>
                <label class=format!("{FIELD} md:col-span-2")>"Description"
                    <textarea name="description" rows="2" maxlength="2000" class=INPUT></textarea>
                </label>
                <LeadSelect selected=None/>
                <div class="flex items-end"><button type="submit" class=BUTTON_PRIMARY>"Create project"</button></div>
            </ActionForm>
            {move || create.value().get().and_then(Result::err).map(|e| view! { <div class="mt-3"><ErrorText message=e.to_string()/></div> })}
        </details>
    }
}

#[component]
pub fn NewPersonForm() -> impl IntoView {
    let ready = hydrated();
    let create = ServerAction::<CreatePersonRecord>::new();
    open_created(move || create.value().get());
    view! {
        <details class=format!("{CARD} mb-4") data-testid="new-person" data-hydrated=move || ready.get().to_string()>
            <summary class="cursor-pointer text-sm font-medium text-indigo-700">"Add a person"</summary>
            <ActionForm action=create attr:class="mt-3 flex flex-wrap items-end gap-3">
                <label class=FIELD>"Name"<input name="name" required maxlength="200" class=format!("{INPUT} w-64")/></label>
                <label class=FIELD>"E-mail (unique; suggestions match on it)"<input name="email" type="email" required class=format!("{INPUT} w-72")/></label>
                <button type="submit" class=BUTTON_PRIMARY>"Add person"</button>
            </ActionForm>
            {move || create.value().get().and_then(Result::err).map(|e| view! { <div class="mt-3"><ErrorText message=e.to_string()/></div> })}
        </details>
    }
}

#[component]
pub fn EditProjectForm(project: Project, writes: ProjectWrites) -> impl IntoView {
    let RecordWrites { edit, activate, .. } = writes;
    let ready = hydrated();
    let (key, key2) = (project.key.clone(), project.key.clone());
    let (label, hint, class) = active_words(project.active, "project");
    view! {
        <details class=format!("{CARD} mb-4") data-testid="edit-project" data-hydrated=move || ready.get().to_string()>
            <summary class="cursor-pointer text-sm font-medium text-indigo-700">"Edit project"</summary>
            <ActionForm action=edit attr:class="mt-3 grid gap-3 md:grid-cols-2">
                <input type="hidden" name="key" value=key/>
                <label class=FIELD>"Name"<input name="name" required maxlength="200" class=INPUT value=project.name.clone()/></label>
                <LeadSelect selected=project.lead_person_id/>
                <label class=format!("{FIELD} md:col-span-2")>"Description"
                    <textarea name="description" rows="2" maxlength="2000" class=INPUT prop:value=project.description.clone()>{project.description.clone()}</textarea>
                </label>
                <div><button type="submit" class=BUTTON_PRIMARY>"Save"</button></div>
            </ActionForm>
            <ActionForm action=activate attr:class=ACTIVE_FORM>
                <input type="hidden" name="key" value=key2/>
                <input type="hidden" name="active" value=(!project.active).to_string()/>
                <button type="submit" class=class>{label}</button>
                <span class="text-xs text-slate-500">{hint}</span>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn EditPersonForm(person: Person, writes: PersonWrites) -> impl IntoView {
    let RecordWrites { edit, activate, .. } = writes;
    let ready = hydrated();
    let id = person.id.to_string();
    let id2 = id.clone();
    let (label, hint, class) = active_words(person.active, "person");
    view! {
        <details class=format!("{CARD} mb-4") data-testid="edit-person" data-hydrated=move || ready.get().to_string()>
            <summary class="cursor-pointer text-sm font-medium text-indigo-700">"Edit person"</summary>
            <ActionForm action=edit attr:class="mt-3 flex flex-wrap items-end gap-3">
                <input type="hidden" name="id" value=id/>
                <label class=FIELD>"Name"<input name="name" required maxlength="200" class=format!("{INPUT} w-64") value=person.name.clone()/></label>
                <label class=FIELD>"E-mail"<input name="email" type="email" required class=format!("{INPUT} w-72") value=person.email.clone()/></label>
                <button type="submit" class=BUTTON_PRIMARY>"Save"</button>
            </ActionForm>
            <ActionForm action=activate attr:class=ACTIVE_FORM>
                <input type="hidden" name="id" value=id2/>
                <input type="hidden" name="active" value=(!person.active).to_string()/>
                <button type="submit" class=class>{label}</button>
                <span class="text-xs text-slate-500">{hint}</span>
            </ActionForm>
        </details>
    }
}

/// The (de)activation button's words: reversible, so no second confirmation.
fn active_words(active: bool, what: &str) -> (String, &'static str, &'static str) {
    if active {
        (format!("Deactivate {what}"), "Kept with its links and history; shown as inactive.", BUTTON_DANGER)
    } else {
        (format!("Reactivate {what}"), "It is inactive now.", BUTTON_SMALL)
    }
}

const ACTIVE_FORM: &str = "mt-4 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3";

/// The lead of a project: any active person (the current lead stays listed even if inactive,
/// so saving other fields does not clear it).
#[component]
fn LeadSelect(selected: Option<Uuid>) -> impl IntoView {
    let people = Resource::new(|| (), |_| list_people(String::new()));
    view! {
        <label class=FIELD>"Lead"
            // The whole select waits for the list: options cannot be streamed into a select.
            <Suspense fallback=|| view! { <select name="lead" class=INPUT disabled=true><option>"Loading people…"</option></select> }>
                {move || Suspend::new(async move {
                    people.await.map(|ps| {
                        let options = ps.into_iter().filter(|p| p.active || Some(p.id) == selected).map(|p| {
                            let chosen = Some(p.id) == selected;
                            view! { <option value=p.id.to_string() selected=chosen>{format!("{} ({})", p.name, p.email)}</option> }
                        }).collect_view();
                        view! {
                            <select name="lead" class=INPUT>
                                <option value="">"no lead"</option>
                                {options}
                            </select>
                        }
                    })
                })}
            </Suspense>
        </label>
    }
}
