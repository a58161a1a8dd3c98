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

use super::actions::ACTIONS;
use crate::cfn::{
    DeletionPolicy, Expr, Map, NodeId, Reference, Resolve, Resource, Target, Value, Visit, With,
};
use crate::error::{Diagnostic, Rule, Severity};
use crate::iam::policy::wildcard_match;
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

/// Writes references as `{"Ref": "<construct path>"}`: how a finding shows a value, and
/// how the rules measure a document (a reference counts as the path it names).
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
    if !app.stack_sets().any(|set| {
        set.permission_model() == PermissionModel::ServiceManaged && !set.targets().is_empty()
    }) {
        return;
    }
    let parent_of: crate::cfn::hash::FastMap<NodeId, NodeId> = app
        .ous()
        .map(|o| {
            let p = match o.parent() {
                Parent::Root(r) => r.node(),
                Parent::Ou(u) => u.node(),
            };
            (o.handle().node(), p)
        })
        .collect();
    // The chain of parents from `start` up to the root.
    let chain = |start: NodeId| {
        let mut chain = vec![start];
        while let Some(p) = chain.last().and_then(|n| parent_of.get(n)) {
            if chain.contains(p) {
                break;
            }
            chain.push(*p);
        }
        chain
    };
    // Every account with its parent; its chain is its parent's, which many share.
    let accounts: Vec<(NodeId, NodeId)> = app
        .accounts()
        .filter_map(|a| {
            let parent = match a.parent() {
                Parent::Root(r) => r.node(),
                Parent::Ou(u) => u.node(),
            };
            Some((a.handle().node()?, parent))
        })
        .collect();
    let mut parents: Vec<NodeId> = accounts.iter().map(|(_, p)| *p).collect();
    parents.sort_unstable();
    parents.dedup();
    let chains: crate::cfn::hash::FastMap<NodeId, Vec<NodeId>> =
        parents.into_iter().map(|p| (p, chain(p))).collect();
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
        let reached: crate::cfn::hash::FastMap<NodeId, bool> = chains
            .iter()
            .map(|(p, chain)| (*p, chain.iter().any(|n| targets.contains(n))))
            .collect();
        let inside: Vec<NodeId> = accounts
            .iter()
            .filter(|(_, parent)| reached.get(parent).copied().unwrap_or(false))
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
///
/// The rules read the resources as they will be rendered, as JSON: an intrinsic function
/// reads as the object it renders as, and the members of an object come in the order of
/// their keys. They read the typed values directly, without converting them: a reference
/// is its `NodeId`, and a construct's path is only written for a finding (or where a
/// document is measured with the references in it).
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
    let mut findings: Vec<(NodeId, LintId, String, String)> = Vec::new();
    let root_sessions = root_sessions_enabled(app);
    // What refers to each OU (as a parent, a target…).
    let mut referenced = Referenced::default();
    let mut ous: Vec<NodeId> = Vec::new();
    for s in subjects {
        let res = s.resource;
        let props = &res.properties;
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
                if let Some(p) = props.get("ParentIds") {
                    referenced.collect_refs(p);
                }
                continue;
            }
            OU => {
                ous.push(s.node);
                if let Some(p) = props.get("ParentId") {
                    referenced.collect_refs(p);
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
        if ty == "AWS::CloudFormation::StackSet" {
            if let Some(g) = props.get("StackInstancesGroup") {
                referenced.collect_refs(g);
            }
            continue;
        }
        let is_org_policy = ty == POLICY;
        let policy_type = props.get("Type").and_then(Value::as_str).unwrap_or("");
        let scp_like = matches!(
            policy_type,
            "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY"
        );
        if is_org_policy {
            let targets = props.get("TargetIds");
            if targets.is_none_or(|t| matches!(t.get(), Value::List(items) if items.is_empty())) {
                findings.push((
                    s.node,
                    LintId::UnusedPolicy,
                    props
                        .get("Name")
                        .map(|n| rendered(n, &resolver))
                        .unwrap_or_default(),
                    "the policy is attached to no target".to_owned(),
                ));
            } else if let Some(t) = targets {
                referenced.collect_refs(t);
                // The management stack's own account: `Ref AWS::AccountId`.
                let management = match t.get() {
                    Value::List(items) => items.iter().any(|i| refs_account_id(i, path)),
                    _ => false,
                };
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
                let len = minified_len(content, &resolver);
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
                let len = minified_len(trust, &resolver);
                let limit = quotas.trust_policy_size;
                if near_limit(len, limit) {
                    findings.push((
                        s.node,
                        LintId::QuotaNearLimit,
                        format!("{len} of {limit} characters"),
                        format!("the trust policy is {len} characters, {}% of its {limit}-character quota", percent(len, limit)),
                    ));
                }
                admin_without_mfa(s.node, props, trust, &resolver, &mut findings);
            }
        }
        for (key, value) in by_key(props) {
            // A trust's MFA conditions are validation's (`Rule::TrustWithoutMfa`).
            let trust = key == "AssumeRolePolicyDocument";
            for doc in documents(value) {
                for st in statements(doc) {
                    unknown_actions(s.node, st, &mut findings);
                    statement_rules(s.node, st, scp_like, trust, &mut findings);
                }
            }
        }
    }
    stack_sets_without_accounts(app, &mut findings);
    near_quota_counts(app, templates, quotas, &mut findings);
    // The paths the references name, written only once an OU no reference names by its
    // `NodeId` is found.
    let mut named: Option<std::collections::BTreeSet<String>> = None;
    for node in ous {
        if referenced.nodes.contains(&node) {
            continue;
        }
        let ou_path = path(node);
        let named = named.get_or_insert_with(|| referenced.paths(path));
        if named.contains(&ou_path) {
            continue;
        }
        findings.push((
            node,
            LintId::UnusedOu,
            ou_path,
            "the OU holds no account and no OU, and no policy or StackSet targets it".to_owned(),
        ));
    }
    // The suppressions of each resource that records any.
    let suppressions: crate::cfn::hash::FastMap<NodeId, Vec<String>> = subjects
        .iter()
        .filter(|s| !s.resource.metadata.is_empty())
        .map(|s| (s.node, suppressed(s.resource)))
        .collect();
    findings.sort_by_key(|f| (f.0.index, f.1));
    findings.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.3 == b.3);
    for (node, lint, value, message) in findings {
        if suppressions
            .get(&node)
            .is_some_and(|ids| ids.iter().any(|id| id == lint.as_str()))
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

/// `v` as minified JSON, references written as the paths they name (how a finding shows
/// a value; an object's members in the order of their keys).
fn rendered(v: &Value, resolver: &ByPath<'_>) -> String {
    serde_json::to_value(With(v, resolver))
        .map(|j| j.to_string())
        .unwrap_or_default()
}

/// Counts the bytes written to it.
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The length of `v` as minified JSON, references written as the paths they name.
fn minified_len(v: &Value, resolver: &ByPath<'_>) -> usize {
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, &With(v, resolver)) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

/// Whether `v` renders as `{"Ref": "AWS::AccountId"}`.
fn refs_account_id(v: &Value, path: &dyn Fn(NodeId) -> String) -> bool {
    const ACCOUNT_ID: &str = "AWS::AccountId";
    match v.get() {
        Value::Map(m) => m.get("Ref").and_then(Value::as_str) == Some(ACCOUNT_ID),
        Value::Expr(e) => match &**e {
            Expr::Pseudo(p) => p.as_str() == ACCOUNT_ID,
            Expr::Ref(r) if r.attribute.is_none() => match &r.target {
                Target::Logical(id) => id == ACCOUNT_ID,
                Target::Node(n) => path(*n) == ACCOUNT_ID,
            },
            _ => false,
        },
        _ => false,
    }
}

/// What `Ref` and `Fn::GetAtt` name below the values given to
/// [`collect_refs`](Self::collect_refs): constructs by their `NodeId`, and the names that
/// are not constructs (logical IDs written as they are, pseudo parameters, and `Ref`
/// objects written by hand) as they are written.
#[derive(Default)]
struct Referenced<'a> {
    nodes: std::collections::HashSet<NodeId, crate::cfn::hash::FnvBuild>,
    names: std::collections::BTreeSet<&'a str>,
}

impl<'a> Referenced<'a> {
    /// Every reference below `v`: what reading its JSON for `{"Ref": name}` and
    /// `{"Fn::GetAtt": [name, …]}` finds.
    fn collect_refs(&mut self, v: &'a Value) {
        v.walk(self);
    }

    /// An object's `Ref` or `Fn::GetAtt` member, written by hand.
    fn literal(&mut self, map: &'a Map) {
        if let Some(name) = map.get("Ref").and_then(Value::as_str) {
            self.names.insert(name);
        }
        if let Some(Value::List(parts)) = map.get("Fn::GetAtt").map(Value::get) {
            if let Some(name) = parts.first().and_then(Value::as_str) {
                self.names.insert(name);
            }
        }
    }

    /// Every name referenced, constructs by their paths.
    fn paths(&self, path: &dyn Fn(NodeId) -> String) -> std::collections::BTreeSet<String> {
        let mut out: std::collections::BTreeSet<String> =
            self.names.iter().map(|n| (*n).to_owned()).collect();
        out.extend(self.nodes.iter().map(|n| path(*n)));
        out
    }
}

impl<'a> Visit<'a> for Referenced<'a> {
    fn map(&mut self, map: &'a Map) -> bool {
        self.literal(map);
        true
    }

    fn expr(&mut self, e: &'a Expr) -> bool {
        match e {
            Expr::Ref(r) => match &r.target {
                Target::Node(n) => {
                    self.nodes.insert(*n);
                }
                Target::Logical(id) => {
                    self.names.insert(id);
                }
            },
            Expr::Pseudo(p) => {
                self.names.insert(p.as_str());
            }
            // The variables of a `Fn::Sub` render as an object of their own.
            Expr::Sub(_, vars) if !vars.is_empty() => self.literal(vars),
            _ => {}
        }
        true
    }
}

/// The members of `map` in the order of their keys, as its JSON object holds them.
fn by_key(map: &Map) -> Vec<(&str, &Value)> {
    let mut members: Vec<(&str, &Value)> = map.iter().map(|(k, v)| (k.as_ref(), v)).collect();
    members.sort_unstable_by_key(|(k, _)| *k);
    members
}

/// The object `v` is, looking through sharing; `None` for anything else (an intrinsic
/// renders as an object, but none of the rules' keys is one of its keys).
fn object(v: &Value) -> Option<&Map> {
    match v.get() {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// Every policy document below `v` (an object with a `Statement`), in the order its JSON
/// shows them: an object's members by key, and into the operands of intrinsics.
fn documents(v: &Value) -> Vec<&Map> {
    let mut out = Vec::new();
    collect_documents(v, &mut out);
    out
}

fn collect_documents<'a>(v: &'a Value, out: &mut Vec<&'a Map>) {
    match v {
        Value::Map(m) => map_documents(m, out),
        Value::List(items) => items.iter().for_each(|i| collect_documents(i, out)),
        Value::Shared(inner) => collect_documents(inner, out),
        Value::Expr(e) => match &**e {
            // `{"Fn::Sub": [template, {variables}]}`
            Expr::Sub(_, vars) if !vars.is_empty() => map_documents(vars, out),
            // `{"Fn::Join": [separator, [parts]]}`
            Expr::Join(_, parts) => parts.iter().for_each(|p| collect_documents(p, out)),
            Expr::ImportValue(v) | Expr::Select(_, v) | Expr::Split(_, v) => {
                collect_documents(v, out)
            }
            Expr::Ref(_) | Expr::Pseudo(_) | Expr::Sub(..) => {}
        },
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

fn map_documents<'a>(m: &'a Map, out: &mut Vec<&'a Map>) {
    if m.contains_key("Statement") {
        out.push(m);
    } else if m.len() == 1 {
        m.values().for_each(|v| collect_documents(v, out));
    } else {
        by_key(m)
            .into_iter()
            .for_each(|(_, v)| collect_documents(v, out));
    }
}

/// The statements of a document: its `Statement`, one object or a list of them. An
/// intrinsic in their place renders as an object without `Effect` or `Action`, which no
/// rule reads a finding from: it is left out.
fn statements(doc: &Map) -> Vec<&Map> {
    match doc.get("Statement").map(Value::get) {
        Some(Value::List(items)) => items.iter().filter_map(object).collect(),
        Some(Value::Map(one)) => vec![one],
        _ => Vec::new(),
    }
}

/// The statements of a document given as a value (`Content`, a trust policy).
fn statements_of(doc: &Value) -> Vec<&Map> {
    object(doc).map(statements).unwrap_or_default()
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v.map(Value::get) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::List(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The member of `map` whose key is `name` ignoring ASCII case; of several, the first by
/// key, as the JSON object holds them.
fn member_ignoring_case<'a>(map: &'a Map, name: &str) -> Option<&'a Value> {
    map.iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .min_by(|a, b| a.0.cmp(b.0))
        .map(|(_, v)| v)
}

fn condition<'a>(st: &'a Map, op: &str, key: &str) -> Option<&'a Value> {
    let ops = object(st.get("Condition")?)?;
    member_ignoring_case(object(member_ignoring_case(ops, op)?)?, key)
}

fn is_true(v: Option<&Value>) -> bool {
    match v.map(Value::get) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        Some(Value::List(a)) => a.iter().any(|x| is_true(Some(x))),
        _ => false,
    }
}

fn effect(st: &Map) -> &str {
    st.get("Effect").and_then(Value::as_str).unwrap_or("")
}

fn statement_rules(
    node: NodeId,
    st: &Map,
    scp_like: bool,
    trust: bool,
    out: &mut Vec<(NodeId, LintId, String, String)>,
) {
    if effect(st) != "Allow" {
        return;
    }
    let sid = st.get("Sid").and_then(Value::as_str).unwrap_or("");
    if !trust && is_true(condition(st, "BoolIfExists", "aws:MultiFactorAuthPresent")) {
        out.push((
            node,
            LintId::MfaIfExistsInAllow,
            sid.to_owned(),
            "an Allow tests aws:MultiFactorAuthPresent with BoolIfExists".to_owned(),
        ));
    }
    let wildcard = match st.get("Principal").map(Value::get) {
        Some(Value::String(s)) => s == "*",
        Some(Value::Map(m)) => m
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
        // As the lower-case names compare, without writing them.
        return Some(
            actions
                .binary_search_by(|a| a.bytes().map(|b| b.to_ascii_lowercase()).cmp(name.bytes()))
                .is_ok(),
        );
    }
    // The catalogue's names hold no wildcard: IAM's matching, case-insensitively.
    Some(actions.iter().any(|a| wildcard_match(&name, a, false)))
}

fn unknown_actions(node: NodeId, st: &Map, out: &mut Vec<(NodeId, LintId, String, String)>) {
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
    props: &Map,
    trust: &Value,
    resolver: &ByPath<'_>,
    out: &mut Vec<(NodeId, LintId, String, String)>,
) {
    let managed_admin = props
        .get("ManagedPolicyArns")
        .is_some_and(|v| rendered(v, resolver).contains("policy/AdministratorAccess\""));
    let inline_admin = props.get("Policies").is_some_and(|p| {
        documents(p).iter().any(|d| {
            statements(d).iter().any(|st| {
                effect(st) == "Allow"
                    && strings(st.get("Action")).contains(&"*")
                    && strings(st.get("Resource")).contains(&"*")
            })
        })
    });
    if !managed_admin && !inline_admin {
        return;
    }
    let open = statements_of(trust).iter().any(|st| {
        effect(st) == "Allow"
            && st.get("Principal").is_some_and(|p| {
                p.as_str() == Some("*") || object(p).is_some_and(|m| m.contains_key("AWS"))
            })
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

fn deny_root(node: NodeId, content: &Value, out: &mut Vec<(NodeId, LintId, String, String)>) {
    for st in statements_of(content) {
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
                st.get("Sid").and_then(Value::as_str).unwrap_or("").to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::{Pseudo, Target};
    use crate::obj;
    use serde_json::Value as Json;

    fn node(index: u32) -> NodeId {
        NodeId { app: 0, index }
    }

    fn path(n: NodeId) -> String {
        format!("Management/Organization/Unit{}", n.index)
    }

    fn node_ref(index: u32, attribute: Option<&'static str>) -> Value {
        Value::from(Expr::Ref(Reference {
            target: Target::Node(node(index)),
            attribute: attribute.map(Into::into),
            max_len: 10,
        }))
    }

    /// A value with every kind of reference, intrinsic, escape and number.
    fn sample() -> Value {
        obj! {
            "Version" => "2012-10-17",
            "Statement" => vec![obj! {
                "Effect" => "Allow",
                "Action" => vec!["s3:Get*", "iam:PassRole"],
                "Resource" => Value::from(Expr::join("", [
                    Value::from("arn:aws:s3:::"),
                    node_ref(3, None),
                    Value::from("/\"quoted\"\n\u{1}é"),
                ])),
                "Condition" => obj! {
                    "NumericLessThan" => obj! { "aws:MultiFactorAuthAge" => 3600u32 },
                    "Bool" => obj! { "aws:SecureTransport" => true },
                },
                "Principal" => obj! { "AWS" => Value::from(Expr::sub_with(
                    "arn:${AWS::Partition}:iam::${Account}:root",
                    [("Account", node_ref(4, Some("Arn")))],
                )) },
            }],
            "Extra" => vec![
                Value::from(Pseudo::AccountId),
                Value::from(Expr::ref_logical("Handwritten")),
                Value::from(Expr::select(1, Expr::split(",", "a,b"))),
                Value::from(Expr::import_value("Exported")),
                Value::Null,
                Value::from(-1i64),
                obj! { "Ref" => "Management/Organization/Unit9" },
                obj! { "Fn::GetAtt" => vec!["Management/Organization/Unit8", "Arn"] },
            ],
        }
    }

    /// The value as the rules read it before: JSON, references written as paths.
    fn as_json(v: &Value) -> Json {
        serde_json::to_value(With(v, &ByPath(&path))).unwrap()
    }

    /// How the rules found references in the JSON before.
    fn json_refs(v: &Json, out: &mut std::collections::BTreeSet<String>) {
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
                m.values().for_each(|x| json_refs(x, out));
            }
            Json::Array(items) => items.iter().for_each(|x| json_refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn a_document_measures_as_its_json_with_references_as_paths() {
        let v = sample();
        assert_eq!(
            minified_len(&v, &ByPath(&path)),
            as_json(&v).to_string().len()
        );
        let shared = Value::shared(sample());
        assert_eq!(
            minified_len(&shared, &ByPath(&path)),
            as_json(&v).to_string().len()
        );
    }

    #[test]
    fn references_are_found_where_the_json_shows_them() {
        let v = sample();
        let mut referenced = Referenced::default();
        referenced.collect_refs(&v);
        let mut before = std::collections::BTreeSet::new();
        json_refs(&as_json(&v), &mut before);
        assert_eq!(referenced.paths(&path), before);
        assert!(referenced.nodes.contains(&node(3)) && referenced.nodes.contains(&node(4)));
        // The variables of a `Fn::Sub` are an object of the JSON too.
        let sub = Value::from(Expr::sub_with("${Ref}", [("Ref", "Handwritten/Path")]));
        let mut referenced = Referenced::default();
        referenced.collect_refs(&sub);
        let mut before = std::collections::BTreeSet::new();
        json_refs(&as_json(&sub), &mut before);
        assert_eq!(referenced.paths(&path), before);
    }

    #[test]
    fn documents_and_statements_come_in_the_order_of_the_json() {
        let doc = |sid: &str| obj! { "Statement" => obj! { "Sid" => sid, "Effect" => "Allow" } };
        let v = obj! {
            "Zeta" => doc("z"),
            "Alpha" => vec![doc("a1"), doc("a2")],
            "Mid" => Value::from(Expr::join(",", [doc("j")])),
            "Beta" => Value::from(Expr::sub_with("${X}", [("X", doc("s"))])),
        };
        let sids: Vec<&str> = documents(&v)
            .into_iter()
            .flat_map(statements)
            .filter_map(|st| st.get("Sid").and_then(Value::as_str))
            .collect();
        assert_eq!(sids, ["a1", "a2", "s", "j", "z"]);
    }

    #[test]
    fn a_condition_is_found_ignoring_case_first_by_key() {
        let st = obj! { "Condition" => obj! {
            "bool" => obj! { "aws:MultiFactorAuthPresent" => "false" },
            "Bool" => obj! { "AWS:multifactorauthpresent" => "true", "aws:MultiFactorAuthPresent" => "false" },
        } };
        let Value::Map(st) = &st else { unreachable!() };
        // `Bool` sorts before `bool`, and `AWS:…` before `aws:…`.
        assert!(is_true(condition(st, "BOOL", "aws:multifactorauthpresent")));
    }

    #[test]
    fn the_catalogue_names_hold_no_wildcard_and_match_as_iam_does() {
        // IAM's matching reads a `*` or `?` of the text as itself only where the old one
        // did: the catalogue's names have none.
        assert!(ACTIONS
            .iter()
            .all(|(_, names)| names.iter().all(|n| !n.contains(['*', '?']))));
        assert_eq!(known_action("s3:GetObject"), Some(true));
        assert_eq!(known_action("S3:getobject"), Some(true));
        assert_eq!(known_action("s3:Get*"), Some(true));
        assert_eq!(known_action("s3:G?tObject"), Some(true));
        assert_eq!(known_action("s3:*Nothing*"), Some(false));
        assert_eq!(known_action("s3:GetObjekt"), Some(false));
        assert_eq!(known_action("nosuchservice:Get"), None);
        assert_eq!(known_action("no-colon"), None);
    }

    /// A small deterministic generator of values: objects with the keys the rules read,
    /// lists, every intrinsic, references and shared values.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn map(&mut self, depth: usize) -> Map {
            const KEYS: &[&str] = &[
                "Statement",
                "Statement",
                "Effect",
                "Sid",
                "Action",
                "NotAction",
                "Resource",
                "Principal",
                "AWS",
                "Condition",
                "Bool",
                "bool",
                "BoolIfExists",
                "Null",
                "aws:MultiFactorAuthPresent",
                "AWS:multifactorauthpresent",
                "aws:AssumedRoot",
                "Ref",
                "Fn::GetAtt",
                "Zed",
                "alpha",
            ];
            let mut m = Map::default();
            for _ in 0..self.pick(5) {
                let key = KEYS[self.pick(KEYS.len())];
                m.insert(key.into(), self.value(depth));
            }
            m
        }

        /// A policy document: statements with an `Effect`, the rules' keys and conditions.
        fn document(&mut self, depth: usize) -> Value {
            const OPS: &[&str] = &["Bool", "bool", "BoolIfExists", "Null", "StringLike"];
            const KEYS: &[&str] = &[
                "aws:MultiFactorAuthPresent",
                "AWS:multifactorauthpresent",
                "aws:AssumedRoot",
                "aws:PrincipalArn",
            ];
            let statements: Vec<Value> = (0..1 + self.pick(3))
                .map(|_| {
                    let mut st = self.map(depth);
                    st.insert(
                        "Effect".into(),
                        Value::from(["Allow", "Deny"][self.pick(2)]),
                    );
                    let mut condition = Map::default();
                    for _ in 0..self.pick(4) {
                        let mut keys = Map::default();
                        for _ in 0..1 + self.pick(2) {
                            keys.insert(KEYS[self.pick(KEYS.len())].into(), self.value(depth));
                        }
                        condition.insert(OPS[self.pick(OPS.len())].into(), Value::Map(keys));
                    }
                    st.insert("Condition".into(), Value::Map(condition));
                    Value::Map(st)
                })
                .collect();
            let mut doc = self.map(depth);
            doc.insert("Statement".into(), Value::List(statements));
            Value::Map(doc)
        }

        fn value(&mut self, depth: usize) -> Value {
            const STRINGS: &[&str] = &[
                "Allow",
                "Deny",
                "*",
                "true",
                "false",
                "s3:Get*",
                "s3:GetObjekt",
                "quote\"d\n\u{7}",
                "arn:aws:iam::123456789012:root",
                "é",
                "Management/Organization/Unit7",
            ];
            let depth = depth.saturating_sub(1);
            match self.pick(if depth == 0 { 4 } else { 16 }) {
                13..=15 => self.document(depth),
                0 => Value::from(STRINGS[self.pick(STRINGS.len())]),
                1 => Value::Bool(self.pick(2) == 0),
                2 => match self.pick(3) {
                    0 => Value::from(self.next() >> 40),
                    1 => Value::from(-((self.next() >> 40) as i64)),
                    _ => Value::Number(serde_json::Number::from_f64(2.5e-3).unwrap()),
                },
                3 => Value::Null,
                4..=6 => Value::Map(self.map(depth)),
                7 | 8 => Value::List((0..self.pick(4)).map(|_| self.value(depth)).collect()),
                9 => node_ref(self.pick(10) as u32, [None, Some("Arn")][self.pick(2)]),
                10 => Value::shared(self.value(depth)),
                _ => Value::from(match self.pick(8) {
                    0 => Expr::Pseudo(Pseudo::AccountId),
                    1 => Expr::ref_logical("Handwritten"),
                    2 => Expr::get_att_logical("Handwritten", "Arn"),
                    3 => Expr::Sub("${Var}".into(), self.map(depth)),
                    4 => Expr::Join(",".into(), vec![self.value(depth), self.value(depth)]),
                    5 => Expr::select(0, self.value(depth)),
                    6 => Expr::split(",", self.value(depth)),
                    _ => Expr::import_value(self.value(depth)),
                }),
            }
        }
    }

    /// How the rules read a condition in the JSON before.
    fn json_condition<'a>(
        st: &'a serde_json::Map<String, Json>,
        op: &str,
        key: &str,
    ) -> Option<&'a Json> {
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

    fn json_is_true(v: Option<&Json>) -> bool {
        match v {
            Some(Json::Bool(b)) => *b,
            Some(Json::String(s)) => s == "true",
            Some(Json::Array(a)) => a.iter().any(|x| json_is_true(Some(x))),
            _ => false,
        }
    }

    fn json_strings(v: Option<&Json>) -> Vec<&str> {
        match v {
            Some(Json::String(s)) => vec![s.as_str()],
            Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn the_typed_reading_is_the_json_reading() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let mut statements_seen = 0;
        for _ in 0..3000 {
            let v = g.value(6);
            let json = as_json(&v);
            assert_eq!(
                minified_len(&v, &ByPath(&path)),
                json.to_string().len(),
                "{json}"
            );
            let mut referenced = Referenced::default();
            referenced.collect_refs(&v);
            let mut before = std::collections::BTreeSet::new();
            json_refs(&json, &mut before);
            assert_eq!(referenced.paths(&path), before, "{json}");
            // The statements with an `Effect` (an intrinsic in a statement's place has none).
            let typed: Vec<&Map> = documents(&v)
                .into_iter()
                .flat_map(statements)
                .filter(|st| st.contains_key("Effect"))
                .collect();
            let old: Vec<&serde_json::Map<String, Json>> = crate::review::policy::documents(&json)
                .into_iter()
                .flat_map(crate::review::policy::statements)
                .filter(|st| st.contains_key("Effect"))
                .collect();
            assert_eq!(typed.len(), old.len(), "{json}");
            for (st, o) in typed.into_iter().zip(old) {
                statements_seen += 1;
                assert_eq!(
                    &serde_json::to_value(With(st, &ByPath(&path))).unwrap(),
                    &Json::Object(o.clone())
                );
                assert_eq!(
                    effect(st),
                    o.get("Effect").and_then(Json::as_str).unwrap_or("")
                );
                for field in ["Action", "NotAction", "Resource", "Principal"] {
                    assert_eq!(strings(st.get(field)), json_strings(o.get(field)), "{json}");
                }
                for (op, key) in [
                    ("Bool", "aws:MultiFactorAuthPresent"),
                    ("BoolIfExists", "aws:multifactorauthpresent"),
                    ("Null", "aws:AssumedRoot"),
                ] {
                    let typed = condition(st, op, key);
                    let old = json_condition(o, op, key);
                    assert_eq!(typed.map(as_json).as_ref(), old, "{json}");
                    assert_eq!(is_true(typed), json_is_true(old), "{json}");
                }
            }
        }
        assert!(
            statements_seen > 1000,
            "{statements_seen} statements compared"
        );
    }
}
