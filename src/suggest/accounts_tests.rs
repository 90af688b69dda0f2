//! Tests of rule 5 (person → account) end to end through `suggest_accounts`.

use super::*;
use crate::domain::AccountPlatform;
use uuid::Uuid;

const JIRA: Uuid = Uuid::from_u128(0x71);
const GIT: Uuid = Uuid::from_u128(0x72);

fn account(platform: AccountPlatform, id: &str, username: Option<&str>, display: Option<&str>, email: Option<&str>) -> AccountCandidate {
    let connection_id = if platform == AccountPlatform::Jira { JIRA } else { GIT };
    AccountCandidate { connection_id, platform, external_id: id.into(), username: username.map(Into::into), display_name: display.map(Into::into), email: email.map(Into::into), is_bot: false, active: true }
}

fn john() -> PersonSubject {
    PersonSubject { name: "John Doe".into(), email: "john.doe@acme.test".into(), namesakes: Vec::new() }
}

fn orgs() -> Vec<String> {
    vec!["acme.test".into(), "@Initech.test".into()]
}

fn candidates() -> Vec<AccountCandidate> {
    use AccountPlatform::*;
    let mut app = account(Jira, "z-app", None, Some("John Doe"), None);
    app.is_bot = true;
    vec![
        account(Gitlab, "e-initial", None, Some("J. Doe"), None),
        account(Github, "x-dependabot", Some("dependabot[bot]"), Some("dependabot[bot]"), Some("noreply@github.test")),
        account(Jira, "a-exact", None, Some("John Doe"), Some("JOHN.DOE@ACME.TEST")),
        account(Slack, "x-helpdesk", Some("it-helpdesk"), Some("John Doe"), Some("helpdesk@acme.test")),
        account(Github, "f-user", Some("jdoe"), None, None),
        account(Bitbucket, "b-plus", None, None, Some("john.doe+tools@acme.test")),
        account(Github, "x-noreply", Some("john-doe"), Some("John Doe"), Some("noreply@github.test")),
        account(Slack, "c-alias", None, None, Some("john.doe@initech.test")),
        account(Github, "d-swapped", None, Some("Doe, John"), None),
        account(Jira, "y-jane", Some("jroe"), Some("Jane Roe"), Some("jane.roe@acme.test")),
        app,
    ]
}

fn ids(out: &[Suggestion]) -> Vec<&str> {
    out.iter().map(|s| s.external_id.as_str()).collect()
}

#[test]
fn email_then_name_then_username() {
    let out = suggest_accounts(&john(), &candidates(), &orgs(), &Holders::new());
    assert_eq!(ids(&out), vec!["a-exact", "b-plus", "c-alias", "d-swapped", "e-initial", "f-user"]);
    assert_eq!(out[0].score, 1.0);
    assert_eq!(out[0].rules, vec![Rule::Email, Rule::PersonName]);
    assert_eq!(out[0].label, "Jira John Doe <JOHN.DOE@ACME.TEST>");
    assert_eq!(out[0].evidence[0], "email matches exactly: john.doe@acme.test ~ JOHN.DOE@ACME.TEST");
    assert_eq!(out[1].rules, vec![Rule::Email]);
    assert_eq!(out[2].rules, vec![Rule::Email]);
    assert!(out[2].evidence[0].contains("alias domain"));
    assert_eq!(out[3].rules, vec![Rule::PersonName]);
    assert_eq!(out[5].rules, vec![Rule::Username]);
    assert_eq!(out[5].label, "GitHub jdoe");
    assert!(out.iter().all(|s| (0.0..=1.0).contains(&s.score) && !s.look_alike && s.conflict.is_none()));
    assert!(out[1..].iter().all(|s| s.score < 1.0));
}

#[test]
fn bots_noreply_and_shared_mailboxes_never_suggested() {
    let mut held = Holders::new();
    for id in ["x-dependabot", "x-helpdesk", "x-noreply", "z-app"] {
        held.insert_other(GIT, id, "Someone");
        held.insert_other(JIRA, id, "Someone");
    }
    for holders in [Holders::new(), held] {
        let out = suggest_accounts(&john(), &candidates(), &orgs(), &holders);
        assert!(out.iter().all(|s| !s.external_id.starts_with('x') && s.external_id != "z-app"), "{:?}", ids(&out));
    }
}

#[test]
fn nicknames_and_diacritics() {
    let bob = account(AccountPlatform::Slack, "bob", None, Some("Bob Smith"), None);
    let robert = PersonSubject { name: "Robert Smith".into(), email: "robert.smith@acme.test".into(), namesakes: Vec::new() };
    let out = suggest_accounts(&robert, &[bob], &orgs(), &Holders::new());
    assert_eq!(ids(&out), vec!["bob"]);
    assert!(out[0].evidence[0].starts_with("name matches by nickname"), "{:?}", out[0].evidence);

    let zoe = PersonSubject { name: "Zoë Álvarez".into(), email: "zoe@acme.test".into(), namesakes: Vec::new() };
    let plain = account(AccountPlatform::Jira, "zoe", None, Some("Zoe Alvarez"), None);
    let out = suggest_accounts(&zoe, &[plain, account(AccountPlatform::Jira, "zed", None, Some("Zed Alvarez"), None)], &orgs(), &Holders::new());
    assert_eq!(ids(&out), vec!["zoe"]);
    assert_eq!(out[0].rules, vec![Rule::PersonName]);
}

#[test]
fn conflicts_and_own_links() {
    let holders = Holders::new().held_by_other(JIRA, "a-exact", "Jane Roe").held_by_subject(GIT, "b-plus");
    let out = suggest_accounts(&john(), &candidates(), &orgs(), &holders);
    assert_eq!(ids(&out), vec!["c-alias", "d-swapped", "e-initial", "f-user", "a-exact"]);
    assert_eq!(out[4].conflict.as_deref(), Some("Jane Roe"));
    assert!(out[..4].iter().all(|s| s.conflict.is_none()));
}

#[test]
fn identical_input_identical_output() {
    let mut reversed = candidates();
    reversed.reverse();
    let a = suggest_accounts(&john(), &candidates(), &orgs(), &Holders::new());
    let b = suggest_accounts(&john(), &candidates(), &orgs(), &Holders::new());
    let c = suggest_accounts(&john(), &reversed, &orgs(), &Holders::new());
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&c).unwrap());
}

#[test]
fn inactive_accounts_rank_lower_and_say_why() {
    let mut old = account(AccountPlatform::Bitbucket, "old", None, Some("John Doe"), None);
    old.active = false;
    let new = account(AccountPlatform::Bitbucket, "new", None, Some("John Doe"), None);
    let out = suggest_accounts(&john(), &[old, new], &orgs(), &Holders::new());
    assert_eq!(ids(&out), vec!["new", "old"]);
    assert!(out[1].score < out[0].score);
    assert_eq!(out[1].evidence.last().map(String::as_str), Some("account is deactivated"));
}

#[test]
fn real_world_names_meet_across_scripts_hyphens_and_orders() {
    use AccountPlatform::*;
    let phuong = PersonSubject { name: "Phương Trần".into(), email: "p.tran@acme.test".into(), namesakes: Vec::new() };
    let out = suggest_accounts(&phuong, &[account(Slack, "s-phuong", None, Some("Phuong Tran"), None)], &orgs(), &Holders::new());
    assert_eq!(ids(&out), vec!["s-phuong"], "Vietnamese letters fold to ASCII");
    let soojin = PersonSubject { name: "Soojin Cho".into(), email: "soojin@acme.test".into(), namesakes: Vec::new() };
    let accounts = [account(Jira, "j-comma", None, Some("Cho, Soo-jin"), None), account(Slack, "s-family-first", None, Some("Cho Soo Jin"), None), account(Github, "g-other", None, Some("Minjun Cho"), None)];
    let out = suggest_accounts(&soojin, &accounts, &orgs(), &Holders::new());
    assert_eq!(ids(&out), vec!["j-comma", "s-family-first"]);
}

#[test]
fn two_people_with_one_name_name_only_never_outranks_e_mail_or_username() {
    use AccountPlatform::*;
    let people = vec![("Ana Silva".to_owned(), "ana.silva@acme.test".to_owned()), ("Silva, Ana".to_owned(), "ana.s@acme.test".to_owned()), ("Ana Souza".to_owned(), "ana.souza@acme.test".to_owned())];
    let namesakes = namesakes("Ana Silva", "ana.silva@acme.test", &people);
    assert_eq!(namesakes, vec!["Silva, Ana <ana.s@acme.test>"], "the other Ana Silva, not herself nor Ana Souza");
    let ana = PersonSubject { name: "Ana Silva".into(), email: "ana.silva@acme.test".into(), namesakes };
    let accounts = vec![
        // The other Ana's account: her name, nothing else.
        account(Jira, "a-other", None, Some("Ana Silva"), None),
        // Hers, by username only (a weaker score on its own than the exact name).
        account(Github, "b-mine", Some("asilva"), None, None),
    ];
    let found = suggest_accounts(&ana, &accounts, &orgs(), &Holders::new());
    let ids: Vec<&str> = found.iter().map(|s| s.external_id.as_str()).collect();
    assert_eq!(ids, vec!["b-mine", "a-other"], "{found:#?}");
    assert!(found[1].score < found[0].score);
    assert!(found[1].evidence.iter().any(|e| e.starts_with("same name as Silva, Ana <ana.s@acme.test>")), "{:?}", found[1].evidence);
    // Alone with her name, rule 5's order stands: the exact name before a username.
    let alone = PersonSubject { namesakes: Vec::new(), ..ana };
    let found = suggest_accounts(&alone, &accounts, &orgs(), &Holders::new());
    assert_eq!(found[0].external_id, "a-other");
    assert!(!found[0].evidence.iter().any(|e| e.starts_with("same name as")));
}
