//! What the audit log records: every action name Velocity writes, in one list, so the log's
//! filter offers each of them and a new action cannot be written without being offered.

/// Every action written to the audit log, grouped by what it is about.
pub const ACTIONS: &[&str] = &[
    "link.create",
    "link.update",
    "link.delete",
    "link.promote",
    "link.demote",
    "link.pending",
    "link.approve",
    "link.reject",
    "link.renamed",
    "link.invalidated",
    "link.reverified",
    "suggestion.accept",
    "suggestion.dismiss",
    "suggestion.reopen",
    "project.create",
    "project.update",
    "project.deactivate",
    "person.create",
    "person.update",
    "person.deactivate",
    "legacy.translate",
    "connection.create",
    "connection.update",
    "connection.rotate",
    "connection.delete",
    "setup.claim",
];

#[cfg(test)]
mod tests {
    use super::ACTIONS;
    use std::path::Path;

    /// Quoted `family.verb` names in a source text, for the families the log records.
    fn action_names(text: &str) -> Vec<String> {
        let families = ["link.", "suggestion.", "project.", "person.", "legacy.", "connection.", "setup."];
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| families.iter().any(|f| s.starts_with(f)) && s.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_') && s.matches('.').count() == 1)
            .map(str::to_owned)
            .collect()
    }

    fn sources(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("domain/audit.rs") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn every_action_the_code_writes_is_offered_and_listed_once() {
        let mut texts = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut texts);
        let written: std::collections::BTreeSet<String> = texts.iter().flat_map(|t| action_names(t)).collect();
        assert!(written.contains("link.create") && written.contains("setup.claim"), "the scan finds actions: {written:?}");
        let missing: Vec<&String> = written.iter().filter(|a| !ACTIONS.contains(&a.as_str())).collect();
        assert!(missing.is_empty(), "written but not in ACTIONS: {missing:?}");
        let mut unique = ACTIONS.to_vec();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ACTIONS.len());
    }
}
