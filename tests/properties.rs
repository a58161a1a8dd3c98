//! Property-based tests: random organizations, random layouts and random bad input, built
//! through the public API only. Whatever the input, building and synthesizing never panic;
//! a failed synthesis reports diagnostics that each name a construct path, show the value
//! as written and say how to fix it; and whatever synthesizes is a set of templates that
//! parse, round-trip through JSON, and reference only what they define.
//!
//! The number of cases of each property is set below and sums to more than 10,000; set
//! `PROPTEST_CASES` to run every property with that many cases instead (a nightly run:
//! `PROPTEST_CASES=100000 cargo test --release --test properties`).

#[path = "support/diagnostics.rs"]
mod support;

use std::collections::BTreeSet;

use orgstack::app::CfnResource;
use orgstack::cfn::{Expr, Map, NodeId, Output, Reference, Resource, Target, Value};
use orgstack::iam::{Action, Condition, PolicyDocument, Role, Statement};
use orgstack::layouts::access::Environment;
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, AccountHandle, Organization, OrganizationalUnit, OuHandle, Policy};
use orgstack::stackset::{OperationPreferences, StackSet};
use orgstack::testing::Template;
use orgstack::{App, Error, PolicyQuota, Quotas, Scope};
use proptest::prelude::*;
use proptest::test_runner::Config;

use support::assert_diagnostic_is_clean;

/// `cases` cases, unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    Config {
        failure_persistence: None,
        ..Config::with_cases(cases)
    }
}

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// How often a generator of one value picks a bad one, against [`GOOD`]: a friendly plan
/// is mostly valid (so that it often synthesizes and its templates are checked), a hostile
/// one mostly not.
const FRIENDLY: u32 = 1;
const HOSTILE: u32 = 12;
const GOOD: u32 = 200;

/// Text of every kind: valid names, blanks, control characters, non-ASCII, slashes,
/// `${`, and very long strings.
fn text(bad: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        GOOD => "[A-Za-z][A-Za-z0-9-]{0,12}",
        bad => Just(String::new()),
        bad => Just(" ".to_owned()),
        bad => "[ \\t\\n/${}@.:_*?a-z]{0,8}",
        bad => "\\PC{0,16}",
        bad => "[a-z]{60,140}",
    ]
}

/// E-mail addresses, valid and not.
fn email(bad: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        GOOD => "[a-z0-9][a-z0-9.+_-]{0,12}@[a-z0-9]{1,8}\\.(com|example|xn--p1ai|co\\.uk)",
        bad => "[!-~]{0,12}@[!-~]{0,12}",
        bad => "\\PC{0,70}",
    ]
}

/// Region names, valid and not.
fn region(bad: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        GOOD => prop::sample::select(vec![
            "us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1", "eusc-de-east-1",
        ])
        .prop_map(str::to_owned),
        bad => "[a-zA-Z0-9_ -]{0,16}",
    ]
}

/// IAM actions, valid and not.
fn action(bad: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        GOOD => "[a-zA-Z0-9-]{1,8}:[A-Za-z0-9*?]{1,12}",
        bad => Just("*".to_owned()),
        bad => "[a-zA-Z0-9:*? _-]{0,16}",
    ]
}

/// Quota values: AWS's, tiny, zero and "no limit".
fn quota(default: usize, bad: u32) -> impl Strategy<Value = usize> {
    prop_oneof![
        GOOD => Just(default),
        bad => Just(0usize),
        bad => 1usize..20,
        bad => Just(usize::MAX),
        bad => any::<usize>(),
    ]
}

fn quotas(bad: u32) -> impl Strategy<Value = Quotas> {
    let q = |default| quota(default, bad);
    (
        (q(500), q(1_000_000), q(51_200), q(200), q(200)),
        (q(5), q(2_048), q(6_144), q(10), q(10_240)),
        (q(10_240), q(10), q(5_120), q(5)),
    )
        .prop_map(|(a, b, c)| {
            let mut q = Quotas::default();
            (
                q.resources_per_template,
                q.template_bytes,
                q.template_body_bytes,
                q.parameters_per_template,
                q.outputs_per_template,
            ) = a;
            (
                q.ou_depth,
                q.trust_policy_size,
                q.managed_policy_size,
                q.managed_policies_per_identity,
                q.role_inline_policy_size,
            ) = b;
            q.policies.service_control = PolicyQuota::new(c.0, c.1);
            q.policies.resource_control = PolicyQuota::new(c.2, c.3);
            q
        })
}

/// A value nested `depth` levels deep (lists, maps and `Fn::Join`), around the limit.
#[derive(Debug, Clone)]
struct Nested {
    depth: usize,
    shape: u8,
    leaf: String,
}

fn nested(bad: u32) -> impl Strategy<Value = Nested> {
    let max = orgstack::cfn::MAX_DEPTH;
    (
        prop_oneof![
            GOOD => 0usize..4,
            bad => (max - 3)..(max + 3),
            bad => 200usize..1_500,
        ],
        any::<u8>(),
        text(bad),
    )
        .prop_map(|(depth, shape, leaf)| Nested { depth, shape, leaf })
}

impl Nested {
    fn value(&self) -> Value {
        let mut v = Value::from(self.leaf.as_str());
        for level in 0..self.depth {
            v = match (self.shape as usize + level) % 3 {
                0 => Value::List(vec![v]),
                1 => {
                    let mut m = Map::default();
                    m.insert("K".into(), v);
                    Value::Map(m)
                }
                _ => Value::from(Expr::join(",", [v])),
            };
        }
        v
    }
}

/// A reference's longest value: ordinary or absurd.
fn max_len(bad: u32) -> impl Strategy<Value = usize> {
    prop_oneof![GOOD => 0usize..300, bad => Just(usize::MAX), bad => any::<usize>()]
}

#[derive(Debug, Clone)]
struct StatementPlan {
    deny: bool,
    actions: Vec<String>,
    resources: Vec<String>,
    condition: Option<(String, Nested)>,
    reference_len: Option<usize>,
}

fn statement(bad: u32) -> impl Strategy<Value = StatementPlan> {
    (
        prop_oneof![GOOD => Just(true), bad => Just(false)],
        prop::collection::vec(action(bad), 1..3),
        prop::collection::vec(
            prop_oneof![GOOD => Just("*".to_owned()), bad => text(bad)],
            1..3,
        ),
        prop::option::of((
            prop_oneof![GOOD => Just("aws:PrincipalArn".to_owned()), bad => text(bad)],
            nested(bad),
        )),
        prop::option::of(max_len(bad)),
    )
        .prop_map(
            |(deny, actions, resources, condition, reference_len)| StatementPlan {
                deny,
                actions,
                resources,
                condition,
                reference_len,
            },
        )
}

impl StatementPlan {
    /// The statement; its reference (if any) is to `topic`.
    fn build(&self, topic: NodeId) -> Statement {
        let mut s = if self.deny {
            Statement::deny()
        } else {
            Statement::allow()
        };
        s = s
            .actions(&self.actions)
            .resources(self.resources.iter().cloned());
        if let Some((key, value)) = &self.condition {
            s = s.condition(Condition::string_equals(key.clone(), [value.value()]));
        }
        if let Some(len) = self.reference_len {
            s = s.resource(Expr::Ref(Reference {
                target: Target::Node(topic),
                attribute: None,
                max_len: len,
            }));
        }
        s
    }
}

fn document(bad: u32) -> impl Strategy<Value = Vec<StatementPlan>> {
    prop::collection::vec(statement(bad), 1..3)
}

fn build_document(plans: &[StatementPlan], topic: NodeId) -> PolicyDocument {
    PolicyDocument::new().statements(plans.iter().map(|p| p.build(topic)))
}

/// Where a construct goes: an index into what exists so far (taken modulo its length).
type Pick = usize;
/// An account: parent, name, e-mail and a tag.
type AccountPlan = (Pick, String, String, Option<(String, String)>);
/// A policy: name, document, description and targets.
type PolicyPlan = (String, Vec<StatementPlan>, Option<String>, Vec<Pick>);
/// A role of a StackSet's member template: id, the trusted account, an inline policy.
type RolePlan = (String, Pick, Option<(String, Vec<StatementPlan>)>);
/// A StackSet: name, target, regions, max concurrent percentage, roles.
type StackSetPlan = (String, Pick, Vec<String>, Option<u32>, Vec<RolePlan>);

#[derive(Debug, Clone)]
struct OrgPlan {
    quotas: Quotas,
    existing: Option<(String, String)>,
    /// Each OU's parent (0 = the root, i = the (i-1)-th OU) and name.
    ous: Vec<(Pick, String)>,
    /// Each account's parent, name, e-mail and tag.
    accounts: Vec<AccountPlan>,
    /// Each policy's name, document, description and targets.
    policies: Vec<PolicyPlan>,
    /// StackSets: name, target, regions, max concurrent percentage, roles (id, trusted).
    stack_sets: Vec<StackSetPlan>,
    /// Raw resources: id, a nested property, a reference's longest value.
    raw: Vec<(String, Nested, usize)>,
    /// Outputs of the management stack: name, a reference to a role of a StackSet.
    outputs: Vec<(String, bool)>,
    existing_accounts: Vec<String>,
    home_region: Option<String>,
}

/// Random organizations: mostly valid ones and mostly invalid ones, half and half.
fn org_plan() -> impl Strategy<Value = OrgPlan> {
    prop_oneof![org_plan_with(FRIENDLY), org_plan_with(HOSTILE)]
}

fn org_plan_with(bad: u32) -> BoxedStrategy<OrgPlan> {
    let text = || text(bad);
    (
        quotas(bad),
        prop::option::of((
            prop_oneof![GOOD => Just("r-ab12".to_owned()), bad => text()],
            prop_oneof![GOOD => Just("o-abcdef1234".to_owned()), bad => text()],
        )),
        prop::collection::vec((any::<Pick>(), text()), 0..5),
        prop::collection::vec(
            (
                any::<Pick>(),
                text(),
                email(bad),
                prop::option::of((text(), text())),
            ),
            0..6,
        ),
        prop::collection::vec(
            (
                text(),
                document(bad),
                prop::option::of(prop_oneof![GOOD => text(), bad => "[a-z]{500,520}"]),
                prop::collection::vec(any::<Pick>(), 0..3),
            ),
            0..4,
        ),
        (
            prop::collection::vec(
                (
                    text(),
                    any::<Pick>(),
                    prop::collection::vec(region(bad), 0..3),
                    prop::option::of(prop_oneof![GOOD => 1u32..=100, bad => 0u32..120]),
                    prop::collection::vec(
                        (
                            text(),
                            any::<Pick>(),
                            prop::option::of((text(), document(bad))),
                        ),
                        1..3,
                    ),
                ),
                0..3,
            ),
            prop::collection::vec((text(), nested(bad), max_len(bad)), 0..3),
            prop::collection::vec(
                (
                    prop_oneof![GOOD => "[A-Za-z][A-Za-z0-9]{0,12}", bad => text()],
                    prop_oneof![GOOD => Just(false), bad => Just(true)],
                ),
                0..3,
            ),
            prop::collection::vec(
                prop_oneof![GOOD => Just("123456789012".to_owned()), bad => text()],
                0..2,
            ),
            prop::option::of(region(bad)),
        ),
    )
        .prop_map(
            |(
                quotas,
                existing,
                ous,
                accounts,
                policies,
                (stack_sets, raw, outputs, existing_accounts, home_region),
            )| OrgPlan {
                quotas,
                existing,
                ous,
                accounts,
                policies,
                stack_sets,
                raw,
                outputs,
                existing_accounts,
                home_region,
            },
        )
        .boxed()
}

impl OrgPlan {
    fn build(&self) -> orgstack::Result<App> {
        let mut app = App::with_quotas(self.quotas.clone());
        if let Some(r) = &self.home_region {
            app.set_home_region(r.as_str());
        }
        let stack = app.stack("Management")?;
        let org = match &self.existing {
            Some((root, id)) => Organization::existing(root.as_str(), id.as_str()),
            None => Organization::create(),
        };
        let org = app.add(&stack, org)?;
        let topic = app.add(
            &stack,
            CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
        )?;
        let mut ous: Vec<OuHandle> = Vec::new();
        for (parent, name) in &self.ous {
            let ou = match parent % (ous.len() + 1) {
                0 => app.add(&org, OrganizationalUnit::new(name.as_str()))?,
                i => app.add(&ous[i - 1], OrganizationalUnit::new(name.as_str()))?,
            };
            ous.push(ou);
        }
        let mut accounts: Vec<AccountHandle> = Vec::new();
        for (parent, name, email, tag) in &self.accounts {
            let mut account = Account::new(name.as_str(), email.as_str());
            if let Some((k, v)) = tag {
                account = account.tag(k.as_str(), v.as_str());
            }
            let handle = match parent % (ous.len() + 1) {
                0 => app.add(&org, account)?,
                i => app.add(&ous[i - 1], account)?,
            };
            accounts.push(handle);
        }
        accounts.extend(
            self.existing_accounts
                .iter()
                .map(|id| Account::existing(id.as_str())),
        );
        for (name, doc, description, targets) in &self.policies {
            let mut policy =
                Policy::service_control(name.as_str(), build_document(doc, topic.node()));
            if let Some(d) = description {
                policy = policy.description(d.as_str());
            }
            let policy = app.add(&org, policy)?;
            for t in targets {
                let n = 1 + ous.len() + accounts.len();
                match t % n {
                    0 => policy.attach(&mut app, &org),
                    i if i <= ous.len() => policy.attach(&mut app, &ous[i - 1]),
                    i => policy.attach(&mut app, &accounts[i - 1 - ous.len()]),
                }
            }
        }
        let mut member_roles = Vec::new();
        for (name, target, regions, percentage, roles) in &self.stack_sets {
            let mut set = StackSet::new(name.as_str(), name.to_lowercase()).regions(regions);
            if !ous.is_empty() {
                set = set.target(&ous[target % ous.len()]);
            } else {
                set = set.target(&org);
            }
            if let Some(p) = percentage {
                set = set.operation_preferences(
                    OperationPreferences::new().max_concurrent_percentage(*p),
                );
            }
            let set = app.add(&stack, set)?;
            for (id, trusted, inline) in roles {
                let mut role = match accounts.get(trusted % (accounts.len() + 1)) {
                    Some(a) => Role::assumable_with_mfa(id.as_str(), a),
                    None => Role::assumable_with_mfa(id.as_str(), "123456789012"),
                };
                if let Some((name, doc)) = inline {
                    // Its references reach the management stack's topic through a
                    // parameter the StackSet sets.
                    role = role.inline_policy(name.as_str(), build_document(doc, topic.node()));
                }
                member_roles.push(app.add(&set.template(), role)?);
            }
        }
        for (id, nested, len) in &self.raw {
            app.add(
                &stack,
                CfnResource::new(
                    id.as_str(),
                    Resource::new("AWS::SNS::Topic")
                        .property(
                            "DisplayName",
                            Expr::Ref(Reference {
                                target: Target::Node(topic.node()),
                                attribute: Some("TopicName".into()),
                                max_len: *len,
                            }),
                        )
                        .metadata("Nested", nested.value()),
                ),
            )?;
        }
        for (name, member) in &self.outputs {
            let value = match member_roles.first() {
                Some(role) if *member => Value::from(role.arn()),
                _ => Value::from(Expr::Ref(Reference {
                    target: Target::Node(topic.node()),
                    attribute: None,
                    max_len: 64,
                })),
            };
            app.add_output(&stack, name.as_str(), Output::new(value));
        }
        Ok(app)
    }
}

#[derive(Debug, Clone)]
struct LayoutPlan {
    name: String,
    email_domain: Option<String>,
    regions: Vec<String>,
    environments: Vec<(String, bool)>,
    alert_email: Option<String>,
    mfa_max_age: i64,
    log_retention_days: u32,
    thresholds: Vec<u32>,
    budget: Option<u64>,
    quotas: Quotas,
    extra_accounts: Vec<(String, String)>,
}

/// Random layout settings: mostly valid ones and mostly invalid ones, half and half.
fn layout_plan() -> impl Strategy<Value = LayoutPlan> {
    prop_oneof![layout_plan_with(FRIENDLY), layout_plan_with(HOSTILE)]
}

fn layout_plan_with(bad: u32) -> BoxedStrategy<LayoutPlan> {
    (
        prop_oneof![GOOD => "[a-z][a-z0-9]{0,10}", bad => text(bad)],
        prop_oneof![
            GOOD => Just(Some("aws.acme.example".to_owned())),
            bad => Just(None),
            bad => text(bad).prop_map(Some),
        ],
        prop::collection::vec(region(bad), 0..3),
        prop::collection::vec(
            (
                prop_oneof![GOOD => "env[a-z]{1,6}", bad => text(bad)],
                any::<bool>(),
            ),
            0..4,
        ),
        prop::option::of(email(bad)),
        prop_oneof![GOOD => 900i64..43_200, bad => any::<i64>()],
        prop_oneof![GOOD => Just(365u32), bad => any::<u32>()],
        prop::collection::vec(prop_oneof![GOOD => 1u32..=100, bad => any::<u32>()], 0..4),
        prop::option::of(prop_oneof![GOOD => 1u64..10_000, bad => any::<u64>()]),
        quotas(bad),
        prop::collection::vec((text(bad), email(bad)), 0..3),
    )
        .prop_map(
            |(
                name,
                email_domain,
                regions,
                environments,
                alert_email,
                mfa_max_age,
                log_retention_days,
                thresholds,
                budget,
                quotas,
                extra_accounts,
            )| LayoutPlan {
                name,
                email_domain,
                regions,
                environments,
                alert_email,
                mfa_max_age,
                log_retention_days,
                thresholds,
                budget,
                quotas,
                extra_accounts,
            },
        )
        .boxed()
}

impl LayoutPlan {
    fn build(&self) -> orgstack::Result<App> {
        let mut app = App::with_quotas(self.quotas.clone());
        let stack = app.stack("Management")?;
        let mut layout = FiveAccountLayout::builder(self.name.as_str())
            .mfa_max_age(self.mfa_max_age)
            .log_retention_days(self.log_retention_days)
            .budget_thresholds(self.thresholds.iter().copied())
            .monthly_budget(self.budget);
        if let Some(d) = &self.email_domain {
            layout = layout.email_domain(d.as_str());
        }
        if !self.regions.is_empty() {
            layout = layout.allowed_regions(self.regions.iter().map(String::as_str));
        }
        if !self.environments.is_empty() {
            layout = layout.environments(self.environments.iter().map(|(n, prod)| {
                if *prod {
                    Environment::prod(n.as_str())
                } else {
                    Environment::non_prod(n.as_str())
                }
            }));
        }
        if let Some(e) = &self.alert_email {
            layout = layout.alert_email(e.as_str());
        }
        let layout = app.add(&stack, layout)?;
        for (name, email) in &self.extra_accounts {
            app.add(
                &layout.workloads_ou(),
                Account::new(name.as_str(), email.as_str()),
            )?;
        }
        Ok(app)
    }
}

// ---------------------------------------------------------------------------------------
// What every outcome must satisfy
// ---------------------------------------------------------------------------------------

/// Synthesizes `app` and checks the outcome: clean diagnostics on failure, sound
/// templates on success. Returns whether it synthesized.
fn check_outcome(app: &App) -> Result<bool, TestCaseError> {
    match app.synth() {
        Err(Error::Validation(d)) => {
            prop_assert!(!d.is_empty());
            d.iter().for_each(assert_diagnostic_is_clean);
            Ok(false)
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "not a validation error: {other}"
        ))),
        Ok(assembly) => {
            assembly
                .warnings()
                .iter()
                .for_each(assert_diagnostic_is_clean);
            for artifact in assembly.artifacts() {
                check_template(&artifact.file_name, &artifact.body)?;
            }
            serde_json::from_str::<serde_json::Value>(assembly.manifest())
                .map_err(|e| TestCaseError::fail(format!("manifest: {e}")))?;
            Ok(true)
        }
    }
}

/// A template parses (as `orgstack::testing` reads it, member templates included),
/// round-trips through JSON unchanged, ends with a newline, and every `Ref`, `Fn::GetAtt`
/// and `DependsOn` names a resource or parameter it defines (or a pseudo parameter).
fn check_template(name: &str, body: &str) -> Result<(), TestCaseError> {
    prop_assert!(body.ends_with('\n'), "{name} does not end with a newline");
    let template =
        Template::from_json(name, body).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
    let members = template
        .try_stack_set_templates()
        .map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(body).expect("parsed above");
    let again: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&json).expect("serializes"))
            .expect("round-trips");
    prop_assert_eq!(&json, &again);
    check_references(name, template.json())?;
    for member in &members {
        check_references(member.name(), member.json())?;
    }
    Ok(())
}

fn check_references(name: &str, template: &serde_json::Value) -> Result<(), TestCaseError> {
    let mut defined: BTreeSet<&str> = BTreeSet::new();
    for section in ["Resources", "Parameters"] {
        if let Some(m) = template.get(section).and_then(|v| v.as_object()) {
            defined.extend(m.keys().map(String::as_str));
        }
    }
    let mut pending = vec![template];
    while let Some(v) = pending.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(target)) = m.get("Ref") {
                    prop_assert!(
                        target.starts_with("AWS::") || defined.contains(target.as_str()),
                        "{name}: Ref {target} to nothing"
                    );
                }
                if let Some(serde_json::Value::Array(a)) = m.get("Fn::GetAtt") {
                    let target = a.first().and_then(|t| t.as_str()).unwrap_or_default();
                    prop_assert!(
                        defined.contains(target),
                        "{name}: GetAtt of {target}, defined nowhere"
                    );
                }
                if let Some(d) = m.get("DependsOn") {
                    let deps: Vec<&str> = match d {
                        serde_json::Value::String(s) => vec![s.as_str()],
                        serde_json::Value::Array(a) => {
                            a.iter().filter_map(|x| x.as_str()).collect()
                        }
                        _ => Vec::new(),
                    };
                    for dep in deps {
                        prop_assert!(defined.contains(dep), "{name}: DependsOn {dep}");
                    }
                }
                pending.extend(m.values());
            }
            serde_json::Value::Array(a) => pending.extend(a),
            _ => {}
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------

/// Builds and synthesizes a random organization, checking the outcome.
fn organization_property(plan: &OrgPlan) -> Result<(), TestCaseError> {
    match plan.build() {
        Ok(app) => {
            check_outcome(&app)?;
        }
        Err(Error::Validation(d)) => d.iter().for_each(assert_diagnostic_is_clean),
        Err(e) => return Err(TestCaseError::fail(format!("building failed: {e}"))),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1_600))]

    /// Random organizations, mostly valid: OUs, accounts, policies, StackSets with roles,
    /// raw resources with nested values and absurd reference lengths, outputs, quotas.
    #[test]
    fn random_friendly_organizations_synthesize_or_report_cleanly(plan in org_plan_with(FRIENDLY)) {
        organization_property(&plan)?;
    }

    /// Random organizations, mostly invalid.
    #[test]
    fn random_hostile_organizations_synthesize_or_report_cleanly(plan in org_plan_with(HOSTILE)) {
        organization_property(&plan)?;
    }
}

proptest! {
    #![proptest_config(config(6_300))]

    /// Random values for every checked type and builder: parsing never panics, and an
    /// accepted value is one its own rule accepts when it reaches a template.
    #[test]
    fn random_values_are_parsed_or_refused(
        s in text(HOSTILE),
        e in email(HOSTILE),
        r in region(HOSTILE),
        a in action(HOSTILE),
        n in nested(HOSTILE),
        len in max_len(HOSTILE),
    ) {
        use orgstack::aws::{AccountId, Email, LogicalId, OrganizationId, OuId, Region, RootId, StackName, StackSetName};
        for v in [&s, &e, &r, &a] {
            let _ = v.parse::<AccountId>();
            let _ = v.parse::<OrganizationId>();
            let _ = v.parse::<RootId>();
            let _ = v.parse::<OuId>();
            let _ = v.parse::<StackName>();
            let _ = v.parse::<StackSetName>();
            let _ = v.parse::<LogicalId>();
            let _ = Action::new(v.as_str());
        }
        if let Ok(email) = e.parse::<Email>() {
            // What we accept, the CloudFormation schema accepts: `[^\s@]+@[^\s@]+\.[^\s@]+`.
            let (local, domain) = email.as_str().split_once('@').expect("one @");
            prop_assert!(!local.is_empty() && !local.chars().any(char::is_whitespace));
            prop_assert!(domain.split_once('.').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()));
            prop_assert!((6..=64).contains(&email.as_str().len()));
        }
        if let Ok(region) = r.parse::<Region>() {
            // The StackSet schema's `^[a-zA-Z0-9-]{1,128}$`.
            prop_assert!(region.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        }
        if let Ok(action) = Action::new(a.as_str()) {
            // IAM reads actions without case: an action matches itself in any case.
            prop_assert!(action.matches(&a.to_lowercase()) && action.matches(&a.to_uppercase()));
        }
        let v = n.value();
        let max = orgstack::cfn::MAX_DEPTH;
        let depth = v.depth(max);
        // Every level adds one to three JSON levels; past the limit the count stops.
        prop_assert!(depth >= n.depth.min(max + 1), "{} levels counted as {}", n.depth, depth);
        prop_assert!(depth <= (3 * n.depth).min(max + 1), "{} levels counted as {}", n.depth, depth);
        prop_assert!(v.clone() == v);
        let reference = Value::from(Expr::join(",", [
            Value::from(Expr::Ref(Reference { target: Target::Logical("X".into()), attribute: None, max_len: len })),
            Value::from(s.as_str()),
        ]));
        prop_assert!(reference.minified_len() >= len);
        prop_assert!(reference.max_text_len() >= len);
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// The five-account layout with random settings, quotas and extra accounts.
    #[test]
    fn random_layouts_synthesize_or_report_cleanly(plan in layout_plan()) {
        match plan.build() {
            Ok(app) => { check_outcome(&app)?; }
            Err(Error::Validation(d)) => d.iter().for_each(assert_diagnostic_is_clean),
            Err(e) => return Err(TestCaseError::fail(format!("building failed: {e}"))),
        }
    }
}

/// The properties can fail: a layout with a bad e-mail domain is refused, and the
/// reference layout synthesizes and passes the template checks.
#[test]
fn the_checks_see_what_they_check() {
    let good = LayoutPlan {
        name: "acme".into(),
        email_domain: Some("aws.acme.example".into()),
        regions: Vec::new(),
        environments: Vec::new(),
        alert_email: None,
        mfa_max_age: 3600,
        log_retention_days: 365,
        thresholds: Vec::new(),
        budget: None,
        quotas: Quotas::default(),
        extra_accounts: Vec::new(),
    };
    assert!(matches!(check_outcome(&good.build().unwrap()), Ok(true)));
    let bad = LayoutPlan {
        email_domain: Some("not a domain".into()),
        ..good
    };
    assert!(matches!(check_outcome(&bad.build().unwrap()), Ok(false)));
    assert!(check_template(
        "T",
        "{\"Resources\":{\"A\":{\"Type\":\"X\",\"Properties\":{\"P\":{\"Ref\":\"B\"}}}}}\n"
    )
    .is_err());
}

/// The generators reach both outcomes: a fair share of random organizations and layouts
/// synthesize (and so have their templates checked), and a fair share are refused.
#[test]
fn the_generators_reach_both_outcomes() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..300 {
        let plan = org_plan().new_tree(&mut runner).unwrap().current();
        match plan.build().ok().map(|app| check_outcome(&app)) {
            Some(Ok(true)) => ok += 1,
            Some(Ok(false)) => refused += 1,
            other => panic!("{plan:?}: {other:?}"),
        }
    }
    println!("organizations: {ok} synthesized, {refused} refused");
    assert!(
        ok >= 30 && refused >= 30,
        "{ok} synthesized, {refused} refused"
    );
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..100 {
        let plan = layout_plan().new_tree(&mut runner).unwrap().current();
        match plan.build().ok().map(|app| check_outcome(&app)) {
            Some(Ok(true)) => ok += 1,
            Some(Ok(false)) => refused += 1,
            other => panic!("{plan:?}: {other:?}"),
        }
    }
    println!("layouts: {ok} synthesized, {refused} refused");
    assert!(
        ok >= 10 && refused >= 10,
        "layouts: {ok} synthesized, {refused} refused"
    );
}
