//! The organization diagram: the reference layout pinned as a snapshot, large OUs
//! collapsed into counts, trust arrows with and without MFA.

#[path = "support/layout.rs"]
mod support;

use orgstack::iam::{PolicyDocument, Principal, Role, Statement};
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, Organization, OrganizationalUnit};
use orgstack::review::diagram::{self, COLLAPSE_OVER};
use orgstack::stackset::StackSet;
use orgstack::App;

/// The id of the node whose line holds `text`.
fn node_id(mermaid: &str, text: &str) -> String {
    let line = mermaid
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no {text} in {mermaid}"));
    line.trim()
        .split(['[', '(', '>'])
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn the_five_account_layout() {
    let mut app = App::new();
    support::add_layout(
        &mut app,
        FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
    )
    .unwrap();
    let mermaid = diagram::mermaid(&app);
    // The assembly writes it as `organization.mmd`, and the deploy plan embeds it.
    let assembly = app.synth().unwrap();
    assert_eq!(assembly.diagram(), mermaid);
    assert_eq!(
        assembly.file(orgstack::app::DIAGRAM_FILE),
        Some(mermaid.as_str())
    );
    let plan = assembly.deploy_plan();
    assert!(plan.contains(&format!("```mermaid\n{mermaid}```\n")));
    // And the README shows it.
    assert!(
        include_str!("../README.md").contains(&format!("```mermaid\n{mermaid}```\n")),
        "README.md's diagram differs from:\n{mermaid}"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("organization.mmd", mermaid));
}

#[test]
fn an_ou_with_many_accounts_shows_a_count_and_trust_without_mfa_is_dotted() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let big = app.add(&org, OrganizationalUnit::new("Big")).unwrap();
    let small = app.add(&org, OrganizationalUnit::new("Small")).unwrap();
    for i in 0..=COLLAPSE_OVER {
        app.add(
            &big,
            Account::new(format!("big-{i:02}"), format!("big-{i:02}@acme.example")),
        )
        .unwrap();
    }
    let ops = app
        .add(&small, Account::new("Ops", "aws+ops@acme.example"))
        .unwrap();
    let roles = app
        .add(&mgmt, StackSet::new("Roles", "roles").target(&big))
        .unwrap();
    app.add(
        &roles.template(),
        Role::new(
            "Robot",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::account(ops.id()))
                    .action("sts:AssumeRole"),
            ),
        )
        .without_mfa("a pipeline"),
    )
    .unwrap();
    let mermaid = diagram::mermaid(&app);
    assert!(
        mermaid.contains(&format!("[/\"{} accounts\"/]", COLLAPSE_OVER + 1)),
        "{mermaid}"
    );
    assert!(!mermaid.contains("big-00"), "{mermaid}");
    assert!(mermaid.contains("([\"Ops\"])"), "{mermaid}");
    assert!(mermaid.contains("-.->|no MFA|"), "{mermaid}");
    assert!(!mermaid.contains("==>|MFA|"), "{mermaid}");
    assert!(mermaid.contains("[[\"Robot role (roles)\"]]"), "{mermaid}");
}

#[test]
fn a_parent_of_many_ous_shows_them_and_what_is_below_as_one_count() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let wide = app.add(&org, OrganizationalUnit::new("Wide")).unwrap();
    for i in 0..=COLLAPSE_OVER {
        let ou = app
            .add(&wide, OrganizationalUnit::new(format!("Unit{i:02}")))
            .unwrap();
        let inner = app.add(&ou, OrganizationalUnit::new("Inner")).unwrap();
        app.add(
            &inner,
            Account::new(format!("acct-{i:02}"), format!("acct-{i:02}@acme.example")),
        )
        .unwrap();
    }
    let mermaid = diagram::mermaid(&app);
    let units = 2 * (COLLAPSE_OVER + 1);
    assert!(
        mermaid.contains(&format!(
            "[/\"{units} OUs, {} accounts\"/]",
            COLLAPSE_OVER + 1
        )),
        "{mermaid}"
    );
    assert!(mermaid.contains("[\"Wide\"]"), "{mermaid}");
    assert!(
        !mermaid.contains("Unit00") && !mermaid.contains("acct-00"),
        "{mermaid}"
    );
    // Every edge joins two nodes that are drawn.
    let drawn: Vec<&str> = mermaid
        .lines()
        .filter(|l| !l.contains("-->"))
        .filter_map(|l| l.trim().split(['[', '(', '{']).next())
        .collect();
    for edge in mermaid.lines().filter(|l| l.contains("-->")) {
        for end in edge.split("-->") {
            assert!(drawn.contains(&end.trim()), "{edge} in {mermaid}");
        }
    }
}

#[test]
fn a_large_organization_is_drawn_down_to_the_depth_that_fits() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    // 7 OUs of 9 OUs each: 70 in all, more than MAX_OUS.
    for i in 0..7 {
        let top = app
            .add(&org, OrganizationalUnit::new(format!("Top{i}")))
            .unwrap();
        for j in 0..9 {
            let ou = app
                .add(&top, OrganizationalUnit::new(format!("Leaf{i}{j}")))
                .unwrap();
            app.add(
                &ou,
                Account::new(format!("a-{i}{j}"), format!("a-{i}{j}@acme.example")),
            )
            .unwrap();
        }
    }
    assert!(app.ous().count() > diagram::MAX_OUS);
    let mermaid = diagram::mermaid(&app);
    assert!(
        mermaid.contains("[\"Top0\"]") && mermaid.contains("[\"Top6\"]"),
        "{mermaid}"
    );
    assert!(!mermaid.contains("Leaf"), "{mermaid}");
    assert_eq!(
        mermaid.matches("[/\"9 OUs, 9 accounts\"/]").count(),
        7,
        "{mermaid}"
    );
}

#[test]
fn trust_arrows_start_at_the_groups_granted_the_role_and_name_where() {
    use orgstack::iam::Group;
    use orgstack::stackset::AccountFilter;
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let security = app.add(&org, OrganizationalUnit::new("Security")).unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let identity = app
        .add(&security, Account::new("Identity", "aws+id@acme.example"))
        .unwrap();
    app.add(&workloads, Account::new("Dev", "aws+dev@acme.example"))
        .unwrap();
    let groups = app
        .add(
            &mgmt,
            StackSet::new("Groups", "groups")
                .target(&security)
                .accounts(AccountFilter::Intersection, [&identity]),
        )
        .unwrap();
    let assume = |resource: &str| {
        PolicyDocument::new().statement(
            Statement::allow()
                .action("sts:AssumeRole")
                .resource(resource.to_owned()),
        )
    };
    app.add(
        &groups.template(),
        Group::new("Operators")
            .name("operators")
            .inline_policy("switch", assume("arn:aws:iam::*:role/op*")),
    )
    .unwrap();
    app.add(
        &groups.template(),
        Group::new("Readers")
            .name("readers")
            .inline_policy("read", assume("arn:aws:iam::*:role/reader")),
    )
    .unwrap();
    let roles = app
        .add(&mgmt, StackSet::new("Roles", "roles").target(&workloads))
        .unwrap();
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Operator", &identity).name("operator"),
    )
    .unwrap();
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Auditor", &identity).name("auditor"),
    )
    .unwrap();
    let mermaid = diagram::mermaid(&app);
    let id_of = |text: &str| node_id(&mermaid, text);
    let (account, operators, operator, auditor) = (
        id_of("([\"Identity\"])"),
        id_of(">\"operators group\"]"),
        id_of("[[\"Operator role (roles)\"]]"),
        id_of("[[\"Auditor role (roles)\"]]"),
    );
    // The group whose policy grants the role, beside its account, with the arrow.
    assert!(
        mermaid.contains(&format!("  {account} --- {operators}\n")),
        "{mermaid}"
    );
    assert!(
        mermaid.contains(&format!("  {operators} ==>|MFA| {operator}\n")),
        "{mermaid}"
    );
    // A group granted no drawn role is not drawn; a role no group is granted is reached
    // from the account.
    assert!(!mermaid.contains("readers group"), "{mermaid}");
    assert!(
        mermaid.contains(&format!("  {account} ==>|MFA| {auditor}\n")),
        "{mermaid}"
    );
    assert!(
        !mermaid.contains(&format!("{account} ==>|MFA| {operator}")),
        "{mermaid}"
    );
}

#[test]
fn the_layouts_groups_reach_their_roles_where_their_grants_say() {
    let mut app = App::new();
    support::add_layout(
        &mut app,
        FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
    )
    .unwrap();
    let mermaid = diagram::mermaid(&app);
    let id_of = |text: &str| node_id(&mermaid, text);
    let developers = id_of(">\"acme-developers group\"]");
    let developer = id_of("[[\"Developer role");
    let identity = id_of("([\"acme-identity\"])");
    assert!(
        mermaid.contains(&format!(
            "  {developers} ==>|\"MFA: NonProd\"| {developer}\n"
        )),
        "{mermaid}"
    );
    assert!(
        mermaid.contains(&format!("  {identity} --- {developers}\n")),
        "{mermaid}"
    );
    // Every role is reached from a group, none from the account itself.
    assert!(!mermaid.contains(&format!("  {identity} ==>")), "{mermaid}");
}

#[test]
fn identity_center_groups_reach_where_the_matrix_assigns_their_permission_sets() {
    use orgstack::layouts::IdentityModel;
    let mut app = App::new();
    support::add_layout(
        &mut app,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .identity_model(IdentityModel::IdentityCenter),
    )
    .unwrap();
    let mermaid = diagram::mermaid(&app);
    let id_of = |text: &str| node_id(&mermaid, text);
    let center = id_of("[(\"Identity Center\")]");
    let developers = id_of(">\"acme-developers group\"]");
    let (non_prod, prod) = (id_of("[\"NonProd\"]"), id_of("[\"Prod\"]"));
    assert!(
        mermaid.contains(&format!("  {center} --- {developers}\n")),
        "{mermaid}"
    );
    assert!(
        mermaid.contains(&format!("  {developers} ==>|\"developer\"| {non_prod}\n")),
        "{mermaid}"
    );
    assert!(
        mermaid.contains(&format!("  {developers} ==>|\"read-only\"| {prod}\n")),
        "{mermaid}"
    );
    assert!(
        !mermaid.contains(&format!("  {developers} ==>|\"developer\"| {prod}\n")),
        "{mermaid}"
    );
    // No IAM groups in the identity account in this model: the groups are Identity Center's.
    let identity = id_of("([\"acme-identity\"])");
    assert!(
        !mermaid.contains(&format!("  {identity} --- ")),
        "{mermaid}"
    );
}

#[test]
fn names_with_markup_and_line_breaks_stay_inside_their_labels() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    // OU names may hold any character; account names any printable ASCII.
    let ou = app
        .add(
            &org,
            OrganizationalUnit::new("Team \"A\" #1 <b>x\nnext | line"),
        )
        .unwrap();
    app.add(
        &ou,
        Account::new("a \"quoted\" <i>name</i> #2", "aws+odd@acme.example").id("Odd"),
    )
    .unwrap();
    let mermaid = diagram::mermaid(&app);
    assert!(
        mermaid.contains("[\"Team #quot;A#quot; #35;1 #lt;b#gt;x next | line\"]"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("([\"a #quot;quoted#quot; #lt;i#gt;name#lt;/i#gt; #35;2\"])"),
        "{mermaid}"
    );
    // Every line is one statement: no name broke one in two.
    assert!(
        mermaid.lines().skip(1).all(|l| l.starts_with("  n")),
        "{mermaid}"
    );
    // Written with an assembly, which CI renders with mermaid-cli.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("diagram_markup");
    let assembly = app.synth_to(dir).unwrap();
    assert_eq!(assembly.diagram(), mermaid);
}
