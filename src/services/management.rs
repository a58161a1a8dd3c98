//! Management policies — tag, backup and AI services opt-out policies — as typed
//! documents with the inheritance operators (`@@assign`, `@@append`, `@@remove`,
//! `@@operators_allowed_for_child_policies`), and the offline *effective policy* of an
//! account: what `aws organizations describe-effective-policy` reports once the policies
//! of the root, the OUs above the account and the account itself are merged.
//!
//! The merge follows AWS's documented inheritance rules:
//! - levels merge from the root down: the root's policies, each OU's on the way to the
//!   account, then the account's own; a child's `@@assign` overwrites what it inherits,
//!   `@@append` adds values, `@@remove` takes values away;
//! - policies attached to the same entity merge in attachment order, and the first one
//!   to set a value keeps it (a later `@@assign` at the same level does not overwrite);
//! - `@@operators_allowed_for_child_policies` limits what the levels below may do with a
//!   setting (`@@all` by default, `@@none` to lock it); two policies of one level that
//!   both limit a setting allow the intersection; an operator a child may not use is
//!   ignored;
//! - the effective policy shows values without operators; a list that `@@remove`
//!   empties, and a setting no level gives a value, are left out.

use indexmap::IndexMap;
use serde_json::Value as Json;

use crate::app::{App, Scope};
use crate::cfn::Value;
use crate::org::{AccountHandle, Content, Parent, PolicyTargetRef, PolicyType};

/// A value-setting operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operator {
    /// `@@assign`: overwrite what is inherited.
    Assign,
    /// `@@append`: add to the inherited values (lists only).
    Append,
    /// `@@remove`: remove from the inherited values (lists only).
    Remove,
}

impl Operator {
    /// The operator as policies write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Assign => "@@assign",
            Operator::Append => "@@append",
            Operator::Remove => "@@remove",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Operator::Assign => 1,
            Operator::Append => 2,
            Operator::Remove => 4,
        }
    }
}

/// What child policies may do with a setting (`@@operators_allowed_for_child_policies`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChildOperators {
    /// `["@@all"]`, the default.
    All,
    /// `["@@none"]`: the setting is locked.
    None,
    /// Only these.
    Only(Vec<Operator>),
}

impl ChildOperators {
    fn to_json(&self) -> Json {
        match self {
            ChildOperators::All => serde_json::json!(["@@all"]),
            ChildOperators::None => serde_json::json!(["@@none"]),
            ChildOperators::Only(ops) => {
                Json::Array(ops.iter().map(|o| Json::from(o.as_str())).collect())
            }
        }
    }
}

/// A setting of a management policy: operators on a value, what children may do, and
/// the settings below it.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct Setting {
    operators: Vec<(Operator, Json)>,
    children: Option<ChildOperators>,
    below: IndexMap<String, Setting>,
}

impl Setting {
    /// An empty setting.
    pub fn new() -> Self {
        Setting::default()
    }

    /// `@@assign` of `value`.
    pub fn assign(value: impl Into<Json>) -> Self {
        Setting::new().with(Operator::Assign, value)
    }

    /// `@@append` of `values`.
    pub fn append<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        Setting::new().with(Operator::Append, strings(values))
    }

    /// `@@remove` of `values`.
    pub fn remove<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        Setting::new().with(Operator::Remove, strings(values))
    }

    /// Adds the operator `op` with `value`.
    pub fn with(mut self, op: Operator, value: impl Into<Json>) -> Self {
        self.operators.retain(|(o, _)| *o != op);
        self.operators.push((op, value.into()));
        self
    }

    /// Limits what child policies may do with this setting.
    pub fn children(mut self, allowed: ChildOperators) -> Self {
        self.children = Some(allowed);
        self
    }

    /// A setting below this one, under `key`.
    pub fn key(mut self, key: impl Into<String>, setting: Setting) -> Self {
        self.below.insert(key.into(), setting);
        self
    }

    /// The JSON the policy holds.
    pub fn to_json(&self) -> Json {
        let mut m = serde_json::Map::new();
        if let Some(c) = &self.children {
            m.insert("@@operators_allowed_for_child_policies".into(), c.to_json());
        }
        for (op, v) in &self.operators {
            m.insert(op.as_str().into(), v.clone());
        }
        for (k, s) in &self.below {
            m.insert(k.clone(), s.to_json());
        }
        Json::Object(m)
    }
}

fn strings<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Json {
    Json::Array(values.into_iter().map(|s| Json::String(s.into())).collect())
}

/// A tag policy (`TAG_POLICY`): the tag keys resources must use, their compliant values
/// and the resource types where compliance is enforced.
///
/// ```
/// use orgstack::services::{Setting, TagPolicy, ChildOperators};
/// let policy = TagPolicy::new().tag(
///     "costcenter",
///     Setting::assign("CostCenter").children(ChildOperators::None),
///     Some(Setting::assign(vec!["Development", "Support"])),
///     None,
/// );
/// assert_eq!(
///     policy.to_json()["tags"]["costcenter"]["tag_key"]["@@assign"],
///     "CostCenter"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct TagPolicy {
    root: Setting,
}

impl TagPolicy {
    /// No tags yet.
    pub fn new() -> Self {
        TagPolicy::default()
    }

    /// The tag `name` (lower case, the policy's own key): its key's capitalization,
    /// compliant values and enforced resource types.
    pub fn tag(
        mut self,
        name: impl Into<String>,
        tag_key: Setting,
        tag_value: Option<Setting>,
        enforced_for: Option<Setting>,
    ) -> Self {
        let mut t = Setting::new().key("tag_key", tag_key);
        if let Some(v) = tag_value {
            t = t.key("tag_value", v);
        }
        if let Some(e) = enforced_for {
            t = t.key("enforced_for", e);
        }
        let tags = self.root.below.shift_remove("tags").unwrap_or_default();
        self.root = std::mem::take(&mut self.root).key("tags", tags.key(name, t));
        self
    }

    /// The policy's JSON.
    pub fn to_json(&self) -> Json {
        self.root.to_json()
    }

    /// The policy's content, for [`Policy::management`](crate::org::Policy::management)
    /// with [`PolicyType::TagPolicy`].
    pub fn content(&self) -> Value {
        json_to_value(&self.to_json())
    }
}

/// An AI services opt-out policy (`AISERVICES_OPT_OUT_POLICY`): whether AWS AI services
/// may store and use the content they process, for every service (`default`) or one.
///
/// ```
/// use orgstack::services::{AiOptOut, AiServicesOptOutPolicy};
/// let policy = AiServicesOptOutPolicy::new().service("default", AiOptOut::OptOut, true);
/// assert_eq!(policy.to_json()["services"]["default"]["opt_out_policy"]["@@assign"], "optOut");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct AiServicesOptOutPolicy {
    root: Setting,
}

/// Opted in or out of AI services' use of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AiOptOut {
    /// `optIn`.
    OptIn,
    /// `optOut`.
    OptOut,
}

impl AiServicesOptOutPolicy {
    /// No service yet.
    pub fn new() -> Self {
        AiServicesOptOutPolicy::default()
    }

    /// `service` (e.g. `default`, `rekognition`) opted in or out; `locked` keeps child
    /// policies from changing it.
    pub fn service(mut self, service: impl Into<String>, choice: AiOptOut, locked: bool) -> Self {
        let value = match choice {
            AiOptOut::OptIn => "optIn",
            AiOptOut::OptOut => "optOut",
        };
        let mut s = Setting::assign(value);
        if locked {
            s = s.children(ChildOperators::None);
        }
        let services = self.root.below.shift_remove("services").unwrap_or_default();
        self.root = std::mem::take(&mut self.root).key(
            "services",
            services.key(service, Setting::new().key("opt_out_policy", s)),
        );
        self
    }

    /// The policy's JSON.
    pub fn to_json(&self) -> Json {
        self.root.to_json()
    }

    /// The policy's content, for [`PolicyType::AiServicesOptOutPolicy`].
    pub fn content(&self) -> Value {
        json_to_value(&self.to_json())
    }
}

/// A backup policy (`BACKUP_POLICY`): AWS Backup plans applied to the accounts, each a
/// tree of [`Setting`]s under `plans` (rules, regions, selections — the backup policy
/// syntax's keys).
///
/// ```
/// use orgstack::services::{BackupPolicy, Setting};
/// let plan = Setting::new()
///     .key("regions", Setting::assign(vec!["us-east-1"]))
///     .key("rules", Setting::new().key("daily", Setting::new()
///         .key("schedule_expression", Setting::assign("cron(0 5 ? * * *)"))
///         .key("target_backup_vault_name", Setting::assign("Default"))));
/// let policy = BackupPolicy::new().plan("daily-backups", plan);
/// assert_eq!(policy.to_json()["plans"]["daily-backups"]["regions"]["@@assign"][0], "us-east-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct BackupPolicy {
    root: Setting,
}

impl BackupPolicy {
    /// No plan yet.
    pub fn new() -> Self {
        BackupPolicy::default()
    }

    /// The plan `name`.
    pub fn plan(mut self, name: impl Into<String>, plan: Setting) -> Self {
        let plans = self.root.below.shift_remove("plans").unwrap_or_default();
        self.root = std::mem::take(&mut self.root).key("plans", plans.key(name, plan));
        self
    }

    /// The policy's JSON.
    pub fn to_json(&self) -> Json {
        self.root.to_json()
    }

    /// The policy's content, for [`PolicyType::BackupPolicy`].
    pub fn content(&self) -> Value {
        json_to_value(&self.to_json())
    }
}

/// Every region Security Hub supports, current and future, in a [`SecurityHubPolicy`].
pub const ALL_SUPPORTED: &str = "ALL_SUPPORTED";

/// A Security Hub policy (`SECURITYHUB_POLICY`): the regions where Security Hub is enabled
/// and disabled in the target's accounts. Both lists are always written (the policy type
/// requires them, empty or not); where a region is in both, Security Hub disables it.
/// Attach it with [`Policy::management`](crate::org::Policy::management) and
/// [`PolicyType::SecurityHubPolicy`]; the plan enables the policy type.
///
/// ```
/// use orgstack::services::{SecurityHubPolicy, ALL_SUPPORTED};
/// let policy = SecurityHubPolicy::new().enable_in([ALL_SUPPORTED]).disable_in(["ap-east-1"]);
/// let json = policy.to_json();
/// assert_eq!(json["securityhub"]["enable_in_regions"]["@@append"][0], "ALL_SUPPORTED");
/// assert_eq!(json["securityhub"]["disable_in_regions"]["@@append"][0], "ap-east-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct SecurityHubPolicy {
    enable: Vec<String>,
    disable: Vec<String>,
    locked: bool,
}

impl SecurityHubPolicy {
    /// No region yet.
    pub fn new() -> Self {
        SecurityHubPolicy::default()
    }

    /// Regions where Security Hub is enabled (or [`ALL_SUPPORTED`]), appended to what
    /// the target inherits.
    pub fn enable_in<S: Into<String>>(mut self, regions: impl IntoIterator<Item = S>) -> Self {
        self.enable.extend(regions.into_iter().map(Into::into));
        self
    }

    /// Regions where Security Hub is disabled, appended to what the target inherits.
    pub fn disable_in<S: Into<String>>(mut self, regions: impl IntoIterator<Item = S>) -> Self {
        self.disable.extend(regions.into_iter().map(Into::into));
        self
    }

    /// Keeps child policies from changing the lists (`@@none`).
    pub fn locked(mut self) -> Self {
        self.locked = true;
        self
    }

    /// The policy's JSON.
    pub fn to_json(&self) -> Json {
        let list = |regions: &[String]| {
            let mut s = Setting::new().with(Operator::Append, strings(regions.iter().cloned()));
            if self.locked {
                s = s.children(ChildOperators::None);
            }
            s
        };
        Setting::new()
            .key(
                "securityhub",
                Setting::new()
                    .key("enable_in_regions", list(&self.enable))
                    .key("disable_in_regions", list(&self.disable)),
            )
            .to_json()
    }

    /// The policy's content, for [`PolicyType::SecurityHubPolicy`].
    pub fn content(&self) -> Value {
        json_to_value(&self.to_json())
    }
}

pub(crate) fn json_to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.clone()),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(json_to_value).collect()),
        Json::Object(o) => {
            let mut m = crate::cfn::Map::default();
            for (k, v) in o {
                m.insert(k.clone().into(), json_to_value(v));
            }
            Value::Map(m)
        }
    }
}

const ALL: u8 = 7;

/// The merged state of one setting.
#[derive(Debug, Clone)]
struct Node {
    value: Option<Json>,
    /// The level that last set the value, and whether a policy of that level did.
    set_at: Option<usize>,
    /// What this level's policies may do (set by the levels above).
    allowed: u8,
    /// What the levels below will be allowed: the intersection of this level's limits.
    next_allowed: u8,
    below: IndexMap<String, Node>,
}

impl Node {
    fn new(allowed: u8) -> Self {
        Node {
            value: None,
            set_at: None,
            allowed,
            next_allowed: allowed,
            below: IndexMap::new(),
        }
    }

    /// Merges one policy's setting at `level`.
    fn merge(&mut self, policy: &Json, level: usize) {
        let Json::Object(m) = policy else {
            // A bare value reads as `@@assign`.
            self.apply(Operator::Assign, policy, level);
            return;
        };
        if let Some(limit) = m.get("@@operators_allowed_for_child_policies") {
            self.next_allowed &= allowed_bits(limit);
        }
        for op in [Operator::Assign, Operator::Append, Operator::Remove] {
            if let Some(v) = m.get(op.as_str()) {
                self.apply(op, v, level);
            }
        }
        for (k, v) in m {
            if k.starts_with("@@") {
                continue;
            }
            let allowed = self.allowed;
            self.below
                .entry(k.clone())
                .or_insert_with(|| Node::new(allowed))
                .merge(v, level);
        }
    }

    fn apply(&mut self, op: Operator, v: &Json, level: usize) {
        if self.allowed & op.bit() == 0 {
            return; // An operator the levels above do not allow is ignored.
        }
        match op {
            Operator::Assign => {
                // The first policy of a level to set a value keeps it.
                if self.set_at != Some(level) {
                    self.value = Some(v.clone());
                    self.set_at = Some(level);
                }
            }
            Operator::Append => {
                let add: Vec<Json> = match v {
                    Json::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                let mut list = match self.value.take() {
                    Some(Json::Array(a)) => a,
                    Some(other) => vec![other],
                    None => Vec::new(),
                };
                for x in add {
                    if !list.contains(&x) {
                        list.push(x);
                    }
                }
                self.value = Some(Json::Array(list));
                self.set_at = Some(level);
            }
            Operator::Remove => {
                let gone: Vec<Json> = match v {
                    Json::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                if let Some(Json::Array(list)) = &mut self.value {
                    list.retain(|x| !gone.contains(x));
                }
            }
        }
    }

    /// Closes a level: what it allowed its children becomes the rule below.
    fn close_level(&mut self) {
        self.allowed = self.next_allowed;
        for n in self.below.values_mut() {
            n.allowed &= self.allowed;
            n.next_allowed &= self.allowed;
            n.close_level();
        }
    }

    fn effective(&self) -> Option<Json> {
        if !self.below.is_empty() {
            let mut m = serde_json::Map::new();
            for (k, n) in &self.below {
                if let Some(v) = n.effective() {
                    m.insert(k.clone(), v);
                }
            }
            return (!m.is_empty()).then_some(Json::Object(m));
        }
        match &self.value {
            Some(Json::Array(a)) if a.is_empty() => None,
            v => v.clone(),
        }
    }
}

fn allowed_bits(limit: &Json) -> u8 {
    let Json::Array(ops) = limit else { return ALL };
    let mut bits = 0;
    for o in ops.iter().filter_map(Json::as_str) {
        bits |= match o {
            "@@all" => ALL,
            "@@assign" => Operator::Assign.bit(),
            "@@append" => Operator::Append.bit(),
            "@@remove" => Operator::Remove.bit(),
            _ => 0,
        };
    }
    bits
}

/// The effective policy of the policies attached at each level, from the root (first) to
/// the account (last), each level's in attachment order: the merge AWS documents for
/// management policies, operators left out. `None` when nothing takes a value.
///
/// ```
/// use orgstack::services::{effective_policy, Setting, TagPolicy};
/// let root = TagPolicy::new().tag("costcenter", Setting::assign("CostCenter"),
///     Some(Setting::assign(vec!["Development", "Support"])), None);
/// let ou = TagPolicy::new().tag("costcenter", Setting::assign("CostCenter"),
///     Some(Setting::append(["Marketing"])), None);
/// let effective = effective_policy(&[vec![root.to_json()], vec![ou.to_json()]]).unwrap();
/// assert_eq!(effective["tags"]["costcenter"]["tag_value"],
///     serde_json::json!(["Development", "Support", "Marketing"]));
/// ```
pub fn effective_policy(levels: &[Vec<Json>]) -> Option<Json> {
    let mut root = Node::new(ALL);
    for (level, policies) in levels.iter().enumerate() {
        for p in policies {
            root.merge(p, level);
        }
        root.close_level();
    }
    root.effective()
}

/// The effective policy of type `policy_type` for `account` in `app`: the policies the app
/// attaches to the organization's root, to every OU above the account and to the
/// account, merged ([`effective_policy`]); policies attached to one target merge in the
/// order they were declared. Only management policies have one (`None` for SCPs and RCPs,
/// an account the app does not create, or no policy of the type on the way).
pub fn effective_policy_of(
    app: &App,
    account: &AccountHandle,
    policy_type: &PolicyType,
) -> Option<Json> {
    let node = account.node()?;
    let view = app.accounts().find(|a| a.handle().node() == Some(node))?;
    // The path from the root down: root, OUs, the account.
    let parents: IndexMap<_, _> = app.ous().map(|o| (o.handle().node(), o.parent())).collect();
    let mut chain: Vec<PolicyTargetRef> = vec![PolicyTargetRef::Account(account.into())];
    let mut cur = Some(view.parent());
    let mut guard = 0;
    while let Some(p) = cur.take() {
        guard += 1;
        match p {
            Parent::Root(o) => chain.push(PolicyTargetRef::Root(o)),
            Parent::Ou(ou) => {
                chain.push(PolicyTargetRef::Ou(ou));
                if guard <= parents.len() {
                    cur = parents.get(&ou.node()).copied();
                }
            }
        }
    }
    chain.reverse();
    let normalized = policy_type.clone().normalized();
    let levels: Vec<Vec<Json>> = chain
        .iter()
        .map(|target| {
            app.policies()
                .filter(|p| *p.policy_type() == normalized && p.targets().contains(target))
                .filter_map(|p| match p.content() {
                    Content::Json(v) => serde_json::to_value(v).ok(),
                    Content::Document(_) => None,
                })
                .collect()
        })
        .collect();
    effective_policy(&levels)
}
