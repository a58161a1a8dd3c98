//! Lint rules: practices synthesis checks over every resource of the app as it will be
//! rendered (typed constructs lowered, escape-hatch changes applied), each with an id, a
//! severity and a rationale.
//!
//! A finding of [`LintSeverity::Error`] fails synthesis, listed with every other problem;
//! a [`LintSeverity::Warning`] is reported in [`Assembly::warnings`] and recorded in the
//! manifest. Both are [`Diagnostic`]s of [`Rule::Lint`], which carries the lint rule:
//! `diagnostic.rule.as_str()` is the rule's own id (`admin-without-mfa`), and
//! [`LintId::of`] reads the rule back.
//!
//! ```
//! use orgstack::org::{Organization, OrganizationalUnit};
//! use orgstack::{App, LintId, Rule};
//!
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
//! app.add(&org, OrganizationalUnit::new("Empty"))?;
//! let assembly = app.synth()?;
//! let warning = &assembly.warnings()[0];
//! assert_eq!(warning.rule, Rule::Lint(LintId::UnusedOu));
//! assert_eq!(warning.rule.as_str(), "unused-ou");
//! assert!(warning.to_string().starts_with("Management/Organization/Empty: [unused-ou] the OU holds"));
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! A finding is suppressed on its construct with [`suppress`] and a reason, which is
//! written to the resource's `Metadata` (`orgstack.lint.suppress`) for reviewers to see; a
//! suppression without a reason is refused.
//!
//! Some practices are validation rules already and are not repeated here: a trust that
//! lets people in without MFA ([`Rule::TrustWithoutMfa`]) and a StackSet without a
//! deployment target ([`Rule::StackSetTargets`]).
//!
//! [`Assembly::warnings`]: crate::app::Assembly::warnings

use serde::Serializer;
use serde_json::Value as Json;

use super::actions::ACTIONS;
use crate::cfn::{DeletionPolicy, NodeId, Reference, Resolve, Resource, Target, Value, With};
use crate::error::{Diagnostic, Rule, Severity};
use crate::quotas::Quotas;
use crate::{App, Scope};

pub use crate::lint_id::{LintId, LintSeverity};

/// What [`suppress`] refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SuppressError {
    /// The reason is empty or blank.
    #[error("suppressing `{0}` needs a reason: say why the rule does not apply here")]
    NoReason(LintId),
    /// The handle names no resource of this app.
    #[error("suppressing `{0}`: the handle names no resource of this app")]
    NotAResource(LintId),
}

const METADATA_KEY: &str = "orgstack";

/// Suppresses the findings of `rule` on the resource behind `handle`, for `reason`, which
/// is written to the resource's `Metadata` (`orgstack.lint.suppress`).
///
/// # Errors
///
/// [`SuppressError::NoReason`] for an empty reason; [`SuppressError::NotAResource`] when
/// the handle names no resource of this app.
pub fn suppress(
    app: &mut App,
    handle: &impl Scope,
    rule: LintId,
    reason: impl Into<String>,
) -> Result<(), SuppressError> {
    let reason = reason.into();
    if reason.trim().is_empty() {
        return Err(SuppressError::NoReason(rule));
    }
    let res = app
        .resource_mut(handle)
        .ok_or(SuppressError::NotAResource(rule))?;
    let mut entries: Vec<Value> = match res
        .metadata
        .get(METADATA_KEY)
        .and_then(|v| map_get(v, "lint"))
        .and_then(|v| map_get(v, "suppress"))
    {
        Some(Value::List(items)) => items.clone(),
        _ => Vec::new(),
    };
    let mut entry = crate::cfn::Map::default();
    entry.insert("id".into(), Value::from(rule.as_str()));
    entry.insert("reason".into(), Value::from(reason));
    entries.push(Value::Map(entry));
    let mut lint = crate::cfn::Map::default();
    lint.insert("suppress".into(), Value::List(entries));
    let mut top = crate::cfn::Map::default();
    top.insert("lint".into(), Value::Map(lint));
    res.metadata.insert(METADATA_KEY.into(), Value::Map(top));
    Ok(())
}

fn map_get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Map(m) => m.get(key),
        Value::Shared(inner) => map_get(inner, key),
        _ => None,
    }
}

/// The rules whose suppressions `res` records.
fn suppressed(res: &Resource) -> Vec<String> {
    let Some(Value::List(items)) = res
        .metadata
        .get(METADATA_KEY)
        .and_then(|v| map_get(v, "lint"))
        .and_then(|v| map_get(v, "suppress"))
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match map_get(i, "id") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// The table of every rule, in Markdown, as the docs show it.
pub fn rules_table() -> String {
    let mut out = String::from("| id | severity | rationale |\n|---|---|---|\n");
    for l in LintId::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            l.as_str(),
            l.severity().as_str(),
            l.rationale().replace('*', "\\*")
        ));
    }
    out
}

/// A resource to lint: the node it belongs to, and the resource as it will be rendered.
pub(crate) struct Subject<'m> {
    pub(crate) node: NodeId,
    pub(crate) resource: &'m Resource,
}

/// A template of the assembly, for the quota of resources per template: the node its
/// findings are reported at (a StackSet for its member template, the stack otherwise),
/// its name and how many resources it holds.
pub(crate) struct TemplateSize {
    pub(crate) node: NodeId,
    pub(crate) name: String,
    pub(crate) resources: usize,
}

/// Writes references as `{"Ref": "<construct path>"}`, so that the rules read documents
/// as JSON and tell constructs apart.
struct ByPath<'f>(&'f dyn Fn(NodeId) -> String);

impl Resolve for ByPath<'_> {
    fn reference<S: Serializer>(&self, r: &Reference, ser: S) -> Result<S::Ok, S::Error> {
        match &r.target {
            Target::Node(n) => crate::cfn::write_local(&(self.0)(*n), r.attribute.as_deref(), ser),
            Target::Logical(id) => crate::cfn::write_local(id, r.attribute.as_deref(), ser),
        }
    }
}

const ACCOUNT: &str = "AWS::Organizations::Account";
const OU: &str = "AWS::Organizations::OrganizationalUnit";
const POLICY: &str = "AWS::Organizations::Policy";
const ROLE: &str = "AWS::IAM::Role";

/// Service-managed StackSets whose target OUs, once filtered, hold no account of the app.
/// A StackSet that targets the root, or whose filter lists accounts the app does not
/// create, cannot be judged and is skipped.
fn stack_sets_without_accounts(app: &App, out: &mut Vec<(NodeId, LintId, String, String)>) {
    use crate::org::Parent;
    use crate::stackset::{AccountFilter, PermissionModel};
    let parent_of: std::collections::BTreeMap<NodeId, NodeId> = app
        .ous()
        .map(|o| {
            let p = match o.parent() {
                Parent::Root(r) => r.node(),
                Parent::Ou(u) => u.node(),
            };
            (o.handle().node(), p)
        })
        .collect();
    // Every account with the chain of its parents up to the root.
    let accounts: Vec<(NodeId, Vec<NodeId>)> = app
        .accounts()
        .filter_map(|a| {
            let mut chain = vec![match a.parent() {
                Parent::Root(r) => r.node(),
                Parent::Ou(u) => u.node(),
            }];
            while let Some(p) = chain.last().and_then(|n| parent_of.get(n)) {
                if chain.contains(p) {
                    break;
                }
                chain.push(*p);
            }
            Some((a.handle().node()?, chain))
        })
        .collect();
    for set in app.stack_sets() {
        // The root holds accounts the app does not describe (in an existing organization):
        // only OUs, which the app creates, are judged.
        let root = set
            .targets()
            .iter()
            .any(|t| matches!(t, crate::stackset::DeploymentTargetRef::Root(_)));
        if set.permission_model() != PermissionModel::ServiceManaged
            || set.targets().is_empty()
            || root
        {
            continue;
        }
        let targets: Vec<NodeId> = set.targets().iter().map(|t| t.node()).collect();
        let inside: Vec<NodeId> = accounts
            .iter()
            .filter(|(_, chain)| chain.iter().any(|n| targets.contains(n)))
            .map(|(a, _)| *a)
            .collect();
        let (filter, listed) = set.accounts();
        let listed_nodes: Vec<Option<NodeId>> = listed.iter().map(|a| a.node()).collect();
        if filter.is_some() && listed_nodes.iter().any(Option::is_none) {
            continue;
        }
        let listed_nodes: Vec<NodeId> = listed_nodes.into_iter().flatten().collect();
        let left = match filter {
            Some(AccountFilter::Intersection) => {
                inside.iter().filter(|a| listed_nodes.contains(a)).count()
            }
            Some(AccountFilter::Difference) => {
                inside.iter().filter(|a| !listed_nodes.contains(a)).count()
            }
            Some(AccountFilter::Union) => inside.len() + listed_nodes.len(),
            _ => inside.len(),
        };
        if left == 0 {
            out.push((
                set.handle().node(),
                LintId::StackSetWithoutAccounts,
                set.name().to_owned(),
                "the StackSet's targets hold no account of the app once filtered: it deploys nowhere".to_owned(),
            ));
        }
    }
}

/// Runs every rule over `subjects`; `path` names a node. Findings of error severity go
/// to `errors`, warnings to `warnings`.
pub(crate) fn run(
    app: &App,
    subjects: &[Subject<'_>],
    templates: &[TemplateSize],
    path: &dyn Fn(NodeId) -> String,
    quotas: &Quotas,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    let resolver = ByPath(path);
    let json = |v: &crate::cfn::Map| serde_json::to_value(With(v, &resolver)).ok();
    let mut findings: Vec<(NodeId, LintId, String, String)> = Vec::new();
    let root_sessions = root_sessions_enabled(app);
    // What refers to each OU (as a parent, a target…), by path.
    let mut referenced: std::collections::BTreeSet<String> = Default::default();
    let mut ous: Vec<(NodeId, String)> = Vec::new();
    for s in subjects {
        let res = s.resource;
        let ty: &str = &res.resource_type;
        match ty {
            ACCOUNT => {
                if res.deletion_policy != Some(DeletionPolicy::Retain)
                    || res.update_replace_policy != Some(DeletionPolicy::Retain)
                {
                    findings.push((
                        s.node,
                        LintId::AccountWithoutRetain,
                        format!(
                            "DeletionPolicy {}, UpdateReplacePolicy {}",
                            res.deletion_policy.map_or("unset", |d| d.as_str()),
                            res.update_replace_policy.map_or("unset", |d| d.as_str())
                        ),
                        "the account is closed if it leaves the template or is replaced".to_owned(),
                    ));
                }
                if let Some(p) = res.properties.get("ParentIds") {
                    collect_refs(
                        &serde_json::to_value(With(p, &resolver)).unwrap_or_default(),
                        &mut referenced,
                    );
                }
                continue;
            }
            OU => {
                ous.push((s.node, path(s.node)));
                if let Some(p) = res.properties.get("ParentId") {
                    collect_refs(
                        &serde_json::to_value(With(p, &resolver)).unwrap_or_default(),
                        &mut referenced,
                    );
                }
                continue;
            }
            _ => {}
        }
        let interesting = matches!(
            ty,
            POLICY
                | ROLE
                | "AWS::IAM::ManagedPolicy"
                | "AWS::IAM::Group"
                | "AWS::IAM::Policy"
                | "AWS::IAM::User"
                | "AWS::CloudFormation::StackSet"
                | "AWS::S3::BucketPolicy"
                | "AWS::SNS::TopicPolicy"
                | "AWS::KMS::Key"
        );
        if !interesting {
            continue;
        }
        let Some(props) = json(&res.properties) else {
            continue;
        };
        if ty == "AWS::CloudFormation::StackSet" {
            if let Some(g) = props.get("StackInstancesGroup") {
                collect_refs(g, &mut referenced);
            }
            continue;
        }
        let is_org_policy = ty == POLICY;
        let policy_type = props.get("Type").and_then(Json::as_str).unwrap_or("");
        let scp_like = matches!(
            policy_type,
            "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY"
        );
        if is_org_policy {
            let targets = props.get("TargetIds");
            if targets.is_none_or(|t| t.as_array().is_some_and(Vec::is_empty)) {
                findings.push((
                    s.node,
                    LintId::UnusedPolicy,
                    props.get("Name").map(|n| n.to_string()).unwrap_or_default(),
                    "the policy is attached to no target".to_owned(),
                ));
            } else if let Some(t) = targets {
                collect_refs(t, &mut referenced);
                // The management stack's own account: `Ref AWS::AccountId`.
                let management = t.as_array().is_some_and(|items| {
                    items
                        .iter()
                        .any(|i| i.get("Ref").and_then(Json::as_str) == Some("AWS::AccountId"))
                });
                if scp_like && management {
                    findings.push((
                        s.node,
                        LintId::ScpOnManagementAccount,
                        policy_type.to_owned(),
                        "the policy attaches to the management account, which SCPs and RCPs never restrict".to_owned(),
                    ));
                }
            }
            if let Some(content) = props.get("Content") {
                let len = minified_len(content);
                let limit = quotas
                    .policy(&crate::policy_type::PolicyType::from(policy_type))
                    .size;
                if near_limit(len, limit) {
                    findings.push((
                        s.node,
                        LintId::QuotaNearLimit,
                        format!("{len} of {limit} characters"),
                        format!("the policy's content is {len} characters, {}% of its {limit}-character quota", percent(len, limit)),
                    ));
                }
                if policy_type == "SERVICE_CONTROL_POLICY" && root_sessions {
                    deny_root(s.node, content, &mut findings);
                }
            }
        }
        if ty == ROLE {
            if let Some(trust) = props.get("AssumeRolePolicyDocument") {
                let len = minified_len(trust);
                let limit = quotas.trust_policy_size;
                if near_limit(len, limit) {
                    findings.push((
                        s.node,
                        LintId::QuotaNearLimit,
                        format!("{len} of {limit} characters"),
                        format!("the trust policy is {len} characters, {}% of its {limit}-character quota", percent(len, limit)),
                    ));
                }
                admin_without_mfa(s.node, &props, trust, &mut findings);
            }
        }
        for (key, value) in props.as_object().into_iter().flatten() {
            // A trust's MFA conditions are validation's (`Rule::TrustWithoutMfa`).
            let trust = key == "AssumeRolePolicyDocument";
            for doc in super::policy::documents(value) {
                for st in super::policy::statements(doc) {
                    unknown_actions(s.node, st, &mut findings);
                    statement_rules(s.node, st, scp_like, trust, &mut findings);
                }
            }
        }
    }
    stack_sets_without_accounts(app, &mut findings);
    near_quota_counts(app, templates, quotas, &mut findings);
    for (node, ou_path) in ous {
        if !referenced.contains(&ou_path) {
            findings.push((
                node,
                LintId::UnusedOu,
                ou_path,
                "the OU holds no account and no OU, and no policy or StackSet targets it"
                    .to_owned(),
            ));
        }
    }
    let resources: crate::cfn::hash::FastMap<NodeId, &Resource> =
        subjects.iter().map(|s| (s.node, s.resource)).collect();
    findings.sort_by_key(|f| (f.0.index, f.1));
    findings.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.3 == b.3);
    for (node, lint, value, message) in findings {
        if resources
            .get(&node)
            .is_some_and(|r| suppressed(r).iter().any(|id| id == lint.as_str()))
        {
            continue;
        }
        let mut d = Diagnostic::new(
            path(node),
            Rule::Lint(lint),
            value,
            message,
            format!(
                "{} Suppress with `review::lint::suppress(&mut app, &handle, LintId::{lint:?}, \"why\")` if it does not apply.",
                lint.rationale()
            ),
        );
        if lint.severity() == LintSeverity::Warning {
            d.severity = Severity::Warning;
            warnings.push(d);
        } else {
            errors.push(d);
        }
    }
}

fn minified_len(v: &Json) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len())
}

/// Every `{"Ref": path}` (and `Fn::GetAtt` of a path) below `v`.
fn collect_refs(v: &Json, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Json::Object(m) => {
            if let Some(Json::String(r)) = m.get("Ref") {
                out.insert(r.clone());
            }
            if let Some(Json::Array(parts)) = m.get("Fn::GetAtt") {
                if let Some(Json::String(r)) = parts.first() {
                    out.insert(r.clone());
                }
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Json::Array(items) => items.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

fn strings(v: Option<&Json>) -> Vec<&str> {
    match v {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn condition<'a>(st: &'a serde_json::Map<String, Json>, op: &str, key: &str) -> Option<&'a Json> {
    st.get("Condition")?
        .as_object()?
        .iter()
        .find(|(o, _)| o.eq_ignore_ascii_case(op))?
        .1
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn is_true(v: Option<&Json>) -> bool {
    match v {
        Some(Json::Bool(b)) => *b,
        Some(Json::String(s)) => s == "true",
        Some(Json::Array(a)) => a.iter().any(|x| is_true(Some(x))),
        _ => false,
    }
}

fn effect(st: &serde_json::Map<String, Json>) -> &str {
    st.get("Effect").and_then(Json::as_str).unwrap_or("")
}

fn statement_rules(
    node: NodeId,
    st: &serde_json::Map<String, Json>,
    scp_like: bool,
    trust: bool,
    out: &mut Vec<(NodeId, LintId, String, String)>,
) {
    if effect(st) != "Allow" {
        return;
    }
    let sid = st.get("Sid").and_then(Json::as_str).unwrap_or("");
    if !trust && is_true(condition(st, "BoolIfExists", "aws:MultiFactorAuthPresent")) {
        out.push((
            node,
            LintId::MfaIfExistsInAllow,
            sid.to_owned(),
            "an Allow tests aws:MultiFactorAuthPresent with BoolIfExists".to_owned(),
        ));
    }
    let wildcard = match st.get("Principal") {
        Some(Json::String(s)) => s == "*",
        Some(Json::Object(m)) => m
            .get("AWS")
            .is_some_and(|a| strings(Some(a)).contains(&"*")),
        _ => false,
    };
    if wildcard && st.get("Condition").is_none() {
        out.push((
            node,
            LintId::WildcardPrincipal,
            sid.to_owned(),
            "an Allow lets the principal * in, without a condition".to_owned(),
        ));
    }
    if !scp_like
        && strings(st.get("Action")).contains(&"*")
        && strings(st.get("Resource")).contains(&"*")
    {
        out.push((
            node,
            LintId::AllowAll,
            sid.to_owned(),
            "an Allow of every action on every resource".to_owned(),
        ));
    }
}

/// Whether the built-in catalogue knows `service` and has an action `pattern` matches
/// (`*` and `?` wildcards, case-insensitively); `None` for a service it does not hold.
pub(crate) fn known_action(action: &str) -> Option<bool> {
    let (service, name) = action.split_once(':')?;
    let service = service.to_ascii_lowercase();
    let i = ACTIONS
        .binary_search_by(|(s, _)| (*s).cmp(service.as_str()))
        .ok()?;
    let actions = ACTIONS[i].1;
    let name = name.to_ascii_lowercase();
    if !name.contains(['*', '?']) {
        return Some(
            actions
                .binary_search_by(|a| a.to_ascii_lowercase().cmp(&name))
                .is_ok(),
        );
    }
    Some(
        actions
            .iter()
            .any(|a| wildcard(&name, &a.to_ascii_lowercase())),
    )
}

/// `*` matches any run of characters, `?` one character.
fn wildcard(pattern: &str, s: &str) -> bool {
    let (p, s): (Vec<char>, Vec<char>) = (pattern.chars().collect(), s.chars().collect());
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn unknown_actions(
    node: NodeId,
    st: &serde_json::Map<String, Json>,
    out: &mut Vec<(NodeId, LintId, String, String)>,
) {
    for field in ["Action", "NotAction"] {
        for a in strings(st.get(field)) {
            if known_action(a) == Some(false) {
                out.push((
                    node,
                    LintId::UnknownAction,
                    a.to_owned(),
                    format!("`{a}` is not an action of its service"),
                ));
            }
        }
    }
}

fn admin_without_mfa(
    node: NodeId,
    props: &Json,
    trust: &Json,
    out: &mut Vec<(NodeId, LintId, String, String)>,
) {
    let managed_admin = props
        .get("ManagedPolicyArns")
        .map(|v| v.to_string().contains("policy/AdministratorAccess\""))
        .unwrap_or(false);
    let inline_admin = props.get("Policies").is_some_and(|p| {
        super::policy::documents(p).iter().any(|d| {
            super::policy::statements(d).iter().any(|st| {
                effect(st) == "Allow"
                    && strings(st.get("Action")).contains(&"*")
                    && strings(st.get("Resource")).contains(&"*")
            })
        })
    });
    if !managed_admin && !inline_admin {
        return;
    }
    let open = super::policy::statements(trust).iter().any(|st| {
        effect(st) == "Allow"
            && st
                .get("Principal")
                .is_some_and(|p| p.as_str() == Some("*") || p.get("AWS").is_some())
            && !is_true(condition(st, "Bool", "aws:MultiFactorAuthPresent"))
    });
    if open {
        out.push((
            node,
            LintId::AdminWithoutMfa,
            String::new(),
            "the role has administrator access and an AWS principal assumes it without MFA"
                .to_owned(),
        ));
    }
}

/// The AWS CLI command that turns on the privileged root sessions of centralized root
/// access (`sts:AssumeRoot` from the management account into member accounts).
pub(crate) const ENABLE_ROOT_SESSIONS: &str = "aws iam enable-organizations-root-sessions";

/// Whether the app turns on root sessions: a step of its deploy plan runs
/// [`ENABLE_ROOT_SESSIONS`], as [`FiveAccountLayout`] does with centralized root access
/// (its default). Without them no `sts:AssumeRoot` session exists for a Deny of the root
/// user to block.
///
/// [`FiveAccountLayout`]: crate::layouts::FiveAccountLayout
fn root_sessions_enabled(app: &App) -> bool {
    app.deploy_steps().any(|step| {
        step.commands.iter().any(|c| {
            c.split_whitespace()
                .eq(ENABLE_ROOT_SESSIONS.split_whitespace())
        })
    })
}

fn deny_root(node: NodeId, content: &Json, out: &mut Vec<(NodeId, LintId, String, String)>) {
    for st in super::policy::statements(content) {
        if effect(st) != "Deny" {
            continue;
        }
        let root = ["StringLike", "ArnLike", "StringEquals", "ArnEquals"]
            .iter()
            .filter_map(|op| condition(st, op, "aws:PrincipalArn"))
            .any(|v| strings(Some(v)).iter().any(|s| s.ends_with(":root")));
        let exempt = is_true(condition(st, "Null", "aws:AssumedRoot"));
        if root && !exempt {
            out.push((
                node,
                LintId::DenyRootWithoutExemption,
                st.get("Sid").and_then(Json::as_str).unwrap_or("").to_owned(),
                "a Deny of the root user does not exempt privileged root sessions (Null aws:AssumedRoot \"true\")".to_owned(),
            ));
        }
    }
}

/// The counts near their quota: resources per template, and policies of one type per
/// target (AWS's own policy of the type counted where it is attached, as the quota counts
/// it).
fn near_quota_counts(
    app: &App,
    templates: &[TemplateSize],
    quotas: &Quotas,
    out: &mut Vec<(NodeId, LintId, String, String)>,
) {
    let limit = quotas.resources_per_template;
    for t in templates {
        if near_limit(t.resources, limit) {
            out.push((
                t.node,
                LintId::QuotaNearLimit,
                format!("{} of {limit} resources", t.resources),
                format!(
                    "the template `{}` holds {} resources, {}% of its {limit}-resource quota",
                    t.name,
                    t.resources,
                    percent(t.resources, limit)
                ),
            ));
        }
    }
    for attached in crate::org::attachments_per_target(app) {
        let total = attached.total();
        let max = quotas.policy(attached.policy_type).per_target;
        if !near_limit(total, max) {
            continue;
        }
        use crate::org::PolicyTargetRef;
        // The target's own construct, or (for an account that exists already) the last
        // policy attached to it.
        let node = match attached.target {
            PolicyTargetRef::Root(o) => Some(o.node()),
            PolicyTargetRef::Ou(ou) => Some(ou.node()),
            PolicyTargetRef::Account(a) => a.node().or(attached.policies.last().copied()),
        };
        let Some(node) = node else {
            continue;
        };
        out.push((
            node,
            LintId::QuotaNearLimit,
            format!("{total} of {max} policies"),
            format!(
                "{total} policies of type {} are attached here{}, {}% of the {max} allowed per target",
                attached.policy_type,
                attached
                    .builtin
                    .map_or_else(String::new, |b| format!(" ({b} included)")),
                percent(total, max)
            ),
        ));
    }
}

/// Whether `len` is within a quota of `limit` but at 90 % of it or more (in `u128`: a quota
/// of `usize::MAX` means no limit, and must not overflow).
fn near_limit(len: usize, limit: usize) -> bool {
    limit > 0 && len <= limit && len as u128 * 10 >= limit as u128 * 9
}

/// `len` as a whole percentage of `limit` (> 0).
fn percent(len: usize, limit: usize) -> u128 {
    len as u128 * 100 / limit.max(1) as u128
}
