//! Before → after of an audit entry as readable field changes.

use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// A field in the spec's camelCase: snapshots are table rows (`is_primary`), change entries use
/// the spec's names (`isPrimary`); one field reads as one name.
fn spec_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Bookkeeping a person does not decide: row ids, who/when (shown beside the entry) and the
/// figures each sync refreshes.
const INTERNAL: &[&str] = &["id", "projectId", "personId", "connectionId", "linkedBy", "linkedAt", "lastSynced", "lastSeen", "lastCommit", "openIssues", "totalIssues"];

fn spec_object(v: Option<&Value>) -> serde_json::Map<String, Value> {
    v.and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (spec_name(k), v.clone())).filter(|(k, _)| !INTERNAL.contains(&k.as_str())).collect())
        .unwrap_or_default()
}

/// The top-level fields that differ, in name order and the spec's names, internal ones left
/// out; a side that is absent or not an object shows as none. Unchanged fields and fields empty
/// on both sides are left out, so an update reads as what changed and a creation as what was set.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let object = |v: Option<&Value>| spec_object(v);
    let (b, a) = (object(before), object(after));
    let mut fields: Vec<&String> = b.keys().chain(a.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| b.get(*f) != a.get(*f))
        // Absent on one side and null on the other says nothing (a new link's empty fields).
        .filter(|f| !matches!((b.get(*f), a.get(*f)), (None | Some(Value::Null), None | Some(Value::Null))))
        .map(|f| FieldChange { field: f.clone(), before: b.get(f).map(show), after: a.get(f).map(show) })
        .collect()
}

/// Which link an entry is about, from its snapshot (a Jira key, a repository slug, an account's
/// handle): unchanged fields are not in the diff, so this names the link.
pub fn link_subject(before: Option<&Value>, after: Option<&Value>) -> Option<String> {
    ["key", "slug", "username", "display_name", "displayName", "externalId", "label"].iter().find_map(|f| {
        [after, before].into_iter().flatten().find_map(|v| v.get(*f).and_then(Value::as_str)).map(str::to_owned)
    })
}

#[component]
pub fn Diff(before: Option<Value>, after: Option<Value>) -> impl IntoView {
    let changes = field_changes(before.as_ref(), after.as_ref());
    if changes.is_empty() {
        return view! { <p class="text-xs text-slate-500">"no field changed"</p> }.into_any();
    }
    view! {
        <dl class="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs">
            {changes.into_iter().map(|c| view! {
                <dt class="font-mono text-slate-500">{c.field}</dt>
                <dd class="break-all">
                    {c.before.map(|b| view! { <del class="bg-red-50 text-red-800">{b}</del> })}
                    <span class="px-1 text-slate-400" aria-label="changed to">"→"</span>
                    {c.after.map(|a| view! { <ins class="bg-emerald-50 text-emerald-800 no-underline">{a}</ins> })}
                </dd>
            }).collect_view()}
        </dl>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_subject_names_the_link_from_either_side() {
        assert_eq!(link_subject(Some(&json!({"slug": "billing-web", "active": true})), Some(&json!({"active": false}))).as_deref(), Some("billing-web"));
        assert_eq!(link_subject(None, Some(&json!({"key": "PLAT"}))).as_deref(), Some("PLAT"));
        assert_eq!(link_subject(None, Some(&json!({"isPrimary": true}))), None);
    }

    #[test]
    fn only_changed_fields_in_name_order() {
        let before = json!({"isPrimary": true, "active": true, "key": "MOBILE"});
        let after = json!({"isPrimary": false, "active": true, "key": "MOBILE"});
        assert_eq!(field_changes(Some(&before), Some(&after)), vec![FieldChange { field: "isPrimary".into(), before: Some("true".into()), after: Some("false".into()) }]);
    }

    #[test]
    fn row_snapshots_read_in_the_spec_names_without_internal_fields() {
        let before = json!({"id": "x", "is_primary": true, "linked_at": "2026-01-01", "person_id": "p", "display_name": "Ana"});
        let after = json!({"isPrimary": false, "display_name": "Ana S."});
        let fields: Vec<String> = field_changes(Some(&before), Some(&after)).into_iter().map(|c| c.field).collect();
        assert_eq!(fields, vec!["displayName", "isPrimary"]);
    }

    #[test]
    fn a_creation_lists_every_field_and_strings_read_plainly() {
        let after = json!({"name": "<b>x</b>", "deletedAt": null, "active": true});
        let changes = field_changes(None, Some(&after));
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(changes[0], FieldChange { field: "active".into(), before: None, after: Some("true".into()) });
        assert_eq!(changes[1].after.as_deref(), Some("<b>x</b>"));
        let deleted = field_changes(Some(&json!({"deletedAt": null})), Some(&json!({"deletedAt": "2026-11-25"})));
        assert_eq!(deleted[0].before.as_deref(), Some("—"), "null to a value shows");
    }
}
