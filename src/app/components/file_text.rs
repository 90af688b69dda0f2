//! A file picker that puts the chosen file's text into a page's text box (where it can still be
//! read and edited before it is sent), and says which file it was. Without JavaScript the text
//! box is pasted into instead.

use leptos::prelude::*;

#[component]
pub fn FileText(
    /// The text box's content.
    text: RwSignal<String>,
    /// Told the chosen file's name (pages pick the format from its extension).
    #[prop(optional)]
    on_name: Option<Callback<String>>,
    #[prop(into)] label: String,
    #[prop(into)] accept: String,
) -> impl IntoView {
    let (error, set_error) = signal(None::<String>);
    let ready = crate::app::components::ui::hydrated();
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        read_chosen(ev, text, on_name, set_error);
        // The server renders the picker; only the browser reads files.
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, text, on_name, set_error);
    };
    view! {
        <label class="flex flex-col gap-1 text-xs font-medium text-slate-600">{label}
            <input type="file" accept=accept class="text-sm" on:change=on_change data-hydrated=move || ready.get().to_string()/>
        </label>
        {move || error.get().map(|e| view! { <crate::app::components::ui::ErrorText message=e/> })}
    }
}

#[cfg(feature = "hydrate")]
fn read_chosen(ev: leptos::ev::Event, text: RwSignal<String>, on_name: Option<Callback<String>>, set_error: WriteSignal<Option<String>>) {
    use leptos::wasm_bindgen::JsCast;
    let Some(file) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0)) else {
        return;
    };
    if let Some(cb) = on_name {
        cb.run(file.name());
    }
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
            Some(content) => {
                set_error.set(None);
                text.set(content);
            }
            None => set_error.set(Some(format!("{} could not be read as text.", file.name()))),
        }
    });
}
