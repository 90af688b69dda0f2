//! Word lists for the generated org. Names carry the mess real directories have: diacritics,
//! nicknames, names that differ only by accents, letters that Unicode decomposition does not
//! strip (Vietnamese `ư ơ ầ đ`, `ł`, `ø`, `ß`, `ı`), hyphenated Korean given names written
//! family name first.

pub const FIRST_NAMES: &[(&str, Option<&str>)] = &[
    ("John", Some("Johnny")), ("Robert", Some("Bob")), ("William", Some("Bill")), ("Elizabeth", Some("Liz")),
    ("Zoë", None), ("José", Some("Pepe")), ("Ana María", None), ("Priya", None), ("Phương", None),
    ("Mette", None), ("Søren", None), ("Björn", None), ("Katherine", Some("Kate")), ("Michael", Some("Mike")),
    ("Jennifer", Some("Jen")), ("Daniel", Some("Dan")), ("Aisha", None), ("Soo-jin", None), ("Chloé", None),
    ("François", None), ("Hyun-woo", None), ("Mateus", None), ("Đức", None), ("Rahul", None), ("Émilie", None),
    ("Thomas", Some("Tom")), ("Margaret", Some("Peggy")), ("Alexander", Some("Alex")), ("Łukasz", None),
    ("Fatima", None), ("Andrés", None), ("Ingrid", None), ("Kwame", None), ("Yuki", None), ("Siobhán", None),
    ("Nikolai", Some("Kolya")), ("Rebecca", Some("Becky")), ("Samuel", Some("Sam")), ("Leila", None), ("Oğuz", None),
];

pub const LAST_NAMES: &[&str] = &[
    "Doe", "Smith", "Ng", "Álvarez", "López", "Trần", "Chen", "Hansen", "Müller", "O'Brien", "García",
    "Kowalski", "Nakamura", "Cho", "Silva", "Ivanova", "Patel", "Dubois", "Jensen", "Weiß", "Brown",
    "Wilson", "Martínez", "Kim", "Nguyen", "Rossi", "Schmidt", "Yılmaz", "Jang", "Tanaka", "Murphy", "Sørensen",
];

/// (Velocity project name, main Jira key, Jira name). The first eight are the hand-made mess of
/// the demo; larger orgs add generated ones after them.
pub const ADJECTIVES: &[&str] = &[
    "Customer", "Partner", "Internal", "Mobile", "Realtime", "Unified", "Global", "Smart", "Secure", "Open",
    "Core", "Edge", "Cloud", "Retail", "Fleet", "Clinical", "Media", "Travel", "Energy", "Learning",
];

pub const NOUNS: &[&str] = &[
    "Portal", "Gateway", "Insights", "Checkout", "Scheduler", "Catalog", "Ledger", "Notifications", "Inventory",
    "Onboarding", "Analytics", "Messaging", "Pricing", "Reporting", "Routing", "Storefront", "Dispatch", "Vault",
];

pub const COMPONENTS: &[&str] = &[
    "login", "checkout", "search", "cache", "settings page", "export", "import", "webhooks", "sync job", "dashboard",
    "audit trail", "invoice PDF", "push notifications", "rate limiter", "session store", "CSV upload",
];

pub const VERBS: &[&str] = &["Fix", "Add", "Refactor", "Speed up", "Remove", "Document", "Harden", "Migrate"];

/// Tokens that look like issue keys but are not (no such Jira project exists).
pub const FALSE_FRIENDS: &[&str] = &["UTF-8", "SHA-256", "ISO-8601", "COVID-19", "RFC-7231", "ES-2015", "X-1"];
