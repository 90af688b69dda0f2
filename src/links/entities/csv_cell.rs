//! Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is run as a formula by Excel, LibreOffice and Sheets (`=HYPERLINK(…)`).
//! Exports prefix such cells with `'` as OWASP recommends; imports take the prefix off again,
//! so an export imports elsewhere unchanged.

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written to an exported CSV file.
pub fn protect(cell: String) -> String {
    if cell.starts_with(TRIGGERS) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The value of a cell read from an imported CSV file.
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_restored() {
        for raw in ["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let out = protect(raw.to_owned());
            assert_eq!(out, format!("'{raw}"));
            assert_eq!(unprotect(&out), raw);
        }
    }

    #[test]
    fn plain_cells_pass_unchanged() {
        for raw in ["Platform API", "a=b", "", "'quoted", "it's"] {
            assert_eq!(protect(raw.to_owned()), raw);
            assert_eq!(unprotect(raw), raw);
        }
    }
}
