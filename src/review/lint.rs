//! Lint rules: practices synthesis checks over every resource of the app as it will be
//! rendered (typed constructs lowered, escape-hatch changes applied), each with an id, a
//! severity and a rationale.
//!
//! A finding of [`LintSeverity::Error`] fails synthesis, listed with every other problem;
//! a [`LintSeverity::Warning`] is reported in [`Assembly::warnings`] and recorded in the
//! manifest. Both are [`Diagnostic`]s of [`Rule::Lint`] whose message starts with the
//! rule's id ([`LintId::of`] reads it back).
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

/// How much a lint finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LintSeverity {
    /// Fails synthesis (unless suppressed).
    Error,
    /// Reported, and recorded in the manifest.
    Warning,
}

impl LintSeverity {
    /// The severity in words.
    pub fn as_str(self) -> &'static str {
        match self {
            LintSeverity::Error => "error",
            LintSeverity::Warning => "warning",
        }
    }
}

macro_rules! lint_rules {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $severity:ident, $rationale:literal; )*) => {
        /// A lint rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum LintId {
            $( $(#[$doc])* $variant, )*
        }

        impl LintId {
            /// Every rule, in the order of the docs' table.
            pub const ALL: &'static [LintId] = &[$(LintId::$variant),*];

            /// The rule's stable, kebab-case id.
            pub fn as_str(self) -> &'static str {
                match self { $(LintId::$variant => $id,)* }
            }

            /// How much a finding of this rule matters.
            pub fn severity(self) -> LintSeverity {
                match self { $(LintId::$variant => LintSeverity::$severity,)* }
            }

            /// Why the rule exists.
            pub fn rationale(self) -> &'static str {
                match self { $(LintId::$variant => $rationale,)* }
            }
        }
    };
}

lint_rules! {
    /// `BoolIfExists aws:MultiFactorAuthPresent "true"` in an Allow.
    MfaIfExistsInAllow = "mfa-if-exists-in-allow", Error,
        "A request signed with a long-term access key carries no aws:MultiFactorAuthPresent at all, so BoolIfExists lets it through: in an Allow, test MFA with Bool \"true\" (BoolIfExists belongs in a Deny).";
    /// An Allow whose principal is `*`.
    WildcardPrincipal = "wildcard-principal", Warning,
        "An Allow for the principal * without a condition lets anyone, in any AWS account, make the request.";
    /// A role with administrator access that people assume without MFA.
    AdminWithoutMfa = "admin-without-mfa", Error,
        "A role with AdministratorAccess (or Allow *:*) that an AWS principal assumes without MFA hands the whole account to anyone holding a leaked access key.";
    /// `Allow` of every action on every resource in an IAM policy.
    AllowAll = "allow-all", Warning,
        "An IAM policy that allows *:* grants everything, present and future; name the actions the identity needs (SCPs and RCPs are exempt: FullAWSAccess is an Allow *:* by design).";
    /// An account whose `DeletionPolicy` or `UpdateReplacePolicy` is not `Retain`.
    AccountWithoutRetain = "account-without-retain", Warning,
        "Without Retain, removing an account from the template, or a replacement, closes the account; closing is limited to 10 % of the accounts per 30 days and its data is lost.";
    /// An SCP or RCP attached to the management account, where it has no effect.
    ScpOnManagementAccount = "scp-on-management-account", Warning,
        "SCPs and RCPs never restrict the management account: attached there, a guardrail only looks as if it held. Keep people out of the management account and watch its activity instead.";
    /// An Organizations policy attached to nothing.
    UnusedPolicy = "unused-policy", Warning,
        "A policy attached to no target has no effect: attach it, or remove it so that readers are not misled.";
    /// A service-managed StackSet whose targets hold no account of the app.
    StackSetWithoutAccounts = "stackset-without-accounts", Warning,
        "A service-managed StackSet deploys to the accounts of its target OUs (kept or dropped by its account filter); when no account is left, what its template holds exists nowhere. StackSets that target the root are not judged: the root holds accounts the app may not describe.";
    /// An OU that holds no account, no OU, and that nothing attaches or deploys to.
    UnusedOu = "unused-ou", Warning,
        "An empty OU that no policy or StackSet targets does nothing, and counts against the OU quotas.";
    /// An Organizations policy, or a trust policy, at 90 % or more of its size quota.
    QuotaNearLimit = "quota-near-limit", Warning,
        "A policy at 90 % of its size quota leaves little room for the next statement; split it before a change fails at deploy.";
    /// An action its service does not have (for the services of the built-in catalogue).
    UnknownAction = "unknown-action", Warning,
        "IAM ignores an action it does not know: an Allow of it grants nothing and a Deny of it protects nothing. Checked against the actions of account, budgets, cloudformation, cloudtrail, cloudwatch, config, ec2, events, guardduty, iam, kms, logs, organizations, s3, securityhub, sns, sso and sts (the AWS Service Authorization Reference); other services are not checked.";
    /// A deny-root SCP without the exemption of privileged root sessions.
    DenyRootWithoutExemption = "deny-root-without-exemption", Warning,
        "Centralized root access runs short root sessions (sts:AssumeRoot) in member accounts; an SCP that denies the root user blocks them too unless it exempts them with Null aws:AssumedRoot \"true\".";
}

impl LintId {
    /// The lint rule of a diagnostic of [`Rule::Lint`] (its message starts with the id).
    pub fn of(diagnostic: &Diagnostic) -> Option<LintId> {
        if diagnostic.rule != Rule::Lint {
            return None;
        }
        let id = diagnostic.message.split(':').next()?;
        LintId::ALL.iter().copied().find(|l| l.as_str() == id)
    }

    /// A lint rule by its id.
    pub fn from_id(id: &str) -> Option<LintId> {
        LintId::ALL.iter().copied().find(|l| l.as_str() == id)
    }
}

impl std::fmt::Display for LintId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    path: &dyn Fn(NodeId) -> String,
    quotas: &Quotas,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    let resolver = ByPath(path);
    let json = |v: &crate::cfn::Map| serde_json::to_value(With(v, &resolver)).ok();
    let mut findings: Vec<(NodeId, LintId, String, String)> = Vec::new();
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
                if policy_type == "SERVICE_CONTROL_POLICY" {
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
            Rule::Lint,
            value,
            format!("{}: {message}", lint.as_str()),
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

/// Whether `len` is within a quota of `limit` but at 90 % of it or more (in `u128`: a quota
/// of `usize::MAX` means no limit, and must not overflow).
fn near_limit(len: usize, limit: usize) -> bool {
    limit > 0 && len <= limit && len as u128 * 10 >= limit as u128 * 9
}

/// `len` as a whole percentage of `limit` (> 0).
fn percent(len: usize, limit: usize) -> u128 {
    len as u128 * 100 / limit.max(1) as u128
}
