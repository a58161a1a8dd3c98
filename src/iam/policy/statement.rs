//! Statements: an effect, what it applies to, and under which conditions.

use std::fmt;

use indexmap::IndexSet;

use super::action::{Action, InvalidAction};
use super::condition::{self, Condition};
use super::principal::{self, Principal};
use super::problem::PolicyProblem;
use crate::cfn::{Map, Value};
use crate::Rule;

/// Whether a statement allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One statement of a policy document, built with consuming setters.
///
/// Actions and resources keep the order they were added in, without duplicates, so the
/// rendered policy is stable. A setter given an invalid action does not fail: the
/// statement keeps the error and [`problems`](Statement::problems) reports it.
///
/// ```
/// use orgstack::iam::{keys, Condition, Statement};
/// let s = Statement::deny()
///     .sid("DenyInsecureTransport")
///     .action("s3:*")
///     .resource("arn:aws:s3:::logs/*")
///     .condition(Condition::bool(keys::SECURE_TRANSPORT, false));
/// assert_eq!(
///     orgstack::cfn::render::minified(&s.to_value()).unwrap(),
///     concat!(
///         r#"{"Sid":"DenyInsecureTransport","Effect":"Deny","Action":"s3:*","#,
///         r#""Resource":"arn:aws:s3:::logs/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
///     )
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    effect: Effect,
    sid: Option<String>,
    principals: Vec<Principal>,
    not_principals: Vec<Principal>,
    actions: IndexSet<Action>,
    not_actions: IndexSet<Action>,
    resources: Vec<Value>,
    not_resources: Vec<Value>,
    conditions: Vec<Condition>,
    invalid_actions: Vec<InvalidAction>,
    invalid_not_actions: Vec<InvalidAction>,
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn add_action(valid: &mut IndexSet<Action>, invalid: &mut Vec<InvalidAction>, action: &str) {
    match Action::new(action) {
        Ok(a) => {
            valid.insert(a);
        }
        Err(e) => invalid.push(e),
    }
}

fn actions_value(actions: &IndexSet<Action>) -> Value {
    let values: Vec<Value> = actions.iter().map(Value::from).collect();
    super::scalar_or_list(values.iter().collect())
}

impl Statement {
    /// An empty statement with the given effect.
    pub fn new(effect: Effect) -> Statement {
        Statement {
            effect,
            sid: None,
            principals: Vec::new(),
            not_principals: Vec::new(),
            actions: IndexSet::new(),
            not_actions: IndexSet::new(),
            resources: Vec::new(),
            not_resources: Vec::new(),
            conditions: Vec::new(),
            invalid_actions: Vec::new(),
            invalid_not_actions: Vec::new(),
        }
    }

    /// An empty `Allow` statement.
    pub fn allow() -> Statement {
        Statement::new(Effect::Allow)
    }

    /// An empty `Deny` statement.
    pub fn deny() -> Statement {
        Statement::new(Effect::Deny)
    }

    /// Sets the statement id (`[A-Za-z0-9]*`, unique within the document).
    #[must_use]
    pub fn sid(mut self, sid: impl Into<String>) -> Statement {
        self.sid = Some(sid.into());
        self
    }

    /// Adds an action to `Action`.
    #[must_use]
    pub fn action(mut self, action: impl AsRef<str>) -> Statement {
        add_action(
            &mut self.actions,
            &mut self.invalid_actions,
            action.as_ref(),
        );
        self
    }

    /// Adds actions to `Action`.
    #[must_use]
    pub fn actions<A: AsRef<str>>(self, actions: impl IntoIterator<Item = A>) -> Statement {
        actions.into_iter().fold(self, Statement::action)
    }

    /// Adds an action to `NotAction`.
    #[must_use]
    pub fn not_action(mut self, action: impl AsRef<str>) -> Statement {
        add_action(
            &mut self.not_actions,
            &mut self.invalid_not_actions,
            action.as_ref(),
        );
        self
    }

    /// Adds actions to `NotAction`.
    #[must_use]
    pub fn not_actions<A: AsRef<str>>(self, actions: impl IntoIterator<Item = A>) -> Statement {
        actions.into_iter().fold(self, Statement::not_action)
    }

    /// Adds a resource (an ARN or an intrinsic) to `Resource`.
    #[must_use]
    pub fn resource(mut self, resource: impl Into<Value>) -> Statement {
        push_unique(&mut self.resources, resource.into());
        self
    }

    /// Adds resources to `Resource`.
    #[must_use]
    pub fn resources<R: Into<Value>>(self, resources: impl IntoIterator<Item = R>) -> Statement {
        resources.into_iter().fold(self, Statement::resource)
    }

    /// Adds a resource to `NotResource`.
    #[must_use]
    pub fn not_resource(mut self, resource: impl Into<Value>) -> Statement {
        push_unique(&mut self.not_resources, resource.into());
        self
    }

    /// Adds a principal to `Principal`.
    #[must_use]
    pub fn principal(mut self, principal: Principal) -> Statement {
        push_unique(&mut self.principals, principal);
        self
    }

    /// Adds principals to `Principal`.
    #[must_use]
    pub fn principals(self, principals: impl IntoIterator<Item = Principal>) -> Statement {
        principals.into_iter().fold(self, Statement::principal)
    }

    /// Adds a principal to `NotPrincipal`.
    #[must_use]
    pub fn not_principal(mut self, principal: Principal) -> Statement {
        push_unique(&mut self.not_principals, principal);
        self
    }

    /// Adds a condition; conditions with the same operator and key are merged when rendered.
    #[must_use]
    pub fn condition(mut self, condition: Condition) -> Statement {
        self.conditions.push(condition);
        self
    }

    /// Adds conditions.
    #[must_use]
    pub fn conditions(self, conditions: impl IntoIterator<Item = Condition>) -> Statement {
        conditions.into_iter().fold(self, Statement::condition)
    }

    /// The effect.
    ///
    /// Getters whose plain name is taken by a setter (`sid`, `actions`, `not_actions`,
    /// Whether the statement names a `Principal` or `NotPrincipal`.
    pub fn has_principal(&self) -> bool {
        !self.get_principals().is_empty() || !self.not_principals().is_empty()
    }

    /// `resources`, `principals`, `conditions`) are prefixed with `get_`.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The statement id, if set.
    pub fn get_sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// The valid actions of `Action`, in insertion order.
    pub fn get_actions(&self) -> &IndexSet<Action> {
        &self.actions
    }

    /// The valid actions of `NotAction`, in insertion order.
    pub fn get_not_actions(&self) -> &IndexSet<Action> {
        &self.not_actions
    }

    /// The resources of `Resource`, in insertion order.
    pub fn get_resources(&self) -> &[Value] {
        &self.resources
    }

    /// The resources of `NotResource`, in insertion order.
    pub fn not_resources(&self) -> &[Value] {
        &self.not_resources
    }

    /// The principals of `Principal`, in insertion order.
    pub fn get_principals(&self) -> &[Principal] {
        &self.principals
    }

    /// The principals of `NotPrincipal`, in insertion order.
    pub fn not_principals(&self) -> &[Principal] {
        &self.not_principals
    }

    /// The conditions, as added (before merging).
    pub fn get_conditions(&self) -> &[Condition] {
        &self.conditions
    }

    /// The actions given to [`action`](Statement::action) and
    /// [`not_action`](Statement::not_action) that were rejected.
    pub fn invalid_actions(&self) -> impl Iterator<Item = &InvalidAction> {
        self.invalid_actions.iter().chain(&self.invalid_not_actions)
    }

    /// The statement as a template value, keys in the order `Sid`, `Effect`, `Principal`,
    /// `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource`, `Condition`.
    /// One action or resource renders as a scalar, more as a list.
    pub fn to_value(&self) -> Value {
        let mut m = Map::default();
        if let Some(sid) = &self.sid {
            m.insert("Sid".into(), Value::from(sid));
        }
        m.insert("Effect".into(), Value::from(self.effect.as_str()));
        if !self.principals.is_empty() {
            m.insert("Principal".into(), principal::render(&self.principals));
        }
        if !self.not_principals.is_empty() {
            m.insert(
                "NotPrincipal".into(),
                principal::render(&self.not_principals),
            );
        }
        if !self.actions.is_empty() {
            m.insert("Action".into(), actions_value(&self.actions));
        }
        if !self.not_actions.is_empty() {
            m.insert("NotAction".into(), actions_value(&self.not_actions));
        }
        if !self.resources.is_empty() {
            m.insert(
                "Resource".into(),
                super::scalar_or_list(self.resources.iter().collect()),
            );
        }
        if !self.not_resources.is_empty() {
            m.insert(
                "NotResource".into(),
                super::scalar_or_list(self.not_resources.iter().collect()),
            );
        }
        if !self.conditions.is_empty() {
            m.insert("Condition".into(), condition::render(&self.conditions));
        }
        Value::Map(m)
    }

    /// Calls `f` on every template value of the statement: resources, principals and
    /// condition values.
    pub(crate) fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        self.resources
            .iter()
            .chain(&self.not_resources)
            .for_each(&mut *f);
        for p in self.principals.iter().chain(&self.not_principals) {
            f(p.value());
        }
        for c in &self.conditions {
            c.values.iter().for_each(&mut *f);
        }
    }

    /// What IAM would reject in this statement alone.
    pub fn problems(&self) -> Vec<PolicyProblem> {
        let mut out = Vec::new();
        self.problems_into(&self.label(None), &mut out);
        out
    }

    /// How problems name this statement: `Statement[2]` and its Sid, if any.
    pub fn label(&self, index: Option<usize>) -> String {
        let at = index.map_or_else(|| "Statement".to_owned(), |i| format!("Statement[{i}]"));
        match &self.sid {
            Some(sid) => format!("{at} (Sid {sid})"),
            None => at,
        }
    }

    pub(crate) fn problems_into(&self, label: &str, out: &mut Vec<PolicyProblem>) {
        for e in self.invalid_actions() {
            out.push(PolicyProblem::new(
                Rule::Action,
                &e.action,
                e.to_string(),
                "write actions as `service:Action`, e.g. `s3:GetObject`",
            ));
        }
        let has_action = !self.actions.is_empty() || !self.invalid_actions.is_empty();
        let has_not_action = !self.not_actions.is_empty() || !self.invalid_not_actions.is_empty();
        if !has_action && !has_not_action {
            out.push(PolicyProblem::new(
                Rule::PolicyDocument,
                label,
                "the statement has neither `Action` nor `NotAction`",
                "add the actions the statement applies to, e.g. `.action(\"s3:GetObject\")`",
            ));
        }
        let pairs = [
            (has_action, has_not_action, "Action", "NotAction"),
            (
                !self.resources.is_empty(),
                !self.not_resources.is_empty(),
                "Resource",
                "NotResource",
            ),
            (
                !self.principals.is_empty(),
                !self.not_principals.is_empty(),
                "Principal",
                "NotPrincipal",
            ),
        ];
        for (a, b, name, not_name) in pairs {
            if a && b {
                out.push(PolicyProblem::new(
                    Rule::PolicyDocument,
                    label,
                    format!("the statement has both `{name}` and `{not_name}`"),
                    format!("keep one of `{name}` and `{not_name}`; split the statement if you need both"),
                ));
            }
        }
        for principals in [&self.principals, &self.not_principals] {
            if principals.len() > 1
                && principals
                    .iter()
                    .any(|p| p.kind() == principal::PrincipalKind::Any)
            {
                out.push(PolicyProblem::new(
                    Rule::PolicyDocument,
                    label,
                    "the statement lists `*` with other principals, and `*` renders alone",
                    "drop `Principal::any()` or the other principals",
                ));
            }
            for p in principals {
                p.problems(out);
            }
        }
        if let Some(sid) = &self.sid {
            if !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
                out.push(PolicyProblem::new(
                    Rule::PolicyDocument,
                    sid,
                    "a Sid may only contain `A-Z`, `a-z` and `0-9`",
                    "remove spaces, dashes and other punctuation from the Sid",
                ));
            }
        }
        for c in &self.conditions {
            c.problems(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::render::minified;
    use crate::cfn::Expr;
    use crate::iam::policy::keys;

    fn r(s: &Statement) -> String {
        minified(&s.to_value()).unwrap()
    }

    #[test]
    fn effect_names() {
        assert_eq!(Effect::Allow.as_str(), "Allow");
        assert_eq!(Effect::Deny.to_string(), "Deny");
        assert_eq!(Statement::allow().effect(), Effect::Allow);
        assert_eq!(Statement::deny().effect(), Effect::Deny);
    }

    #[test]
    fn one_action_and_resource_are_scalars() {
        let s = Statement::allow()
            .action("s3:GetObject")
            .resource("arn:aws:s3:::b/*");
        assert_eq!(
            r(&s),
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#
        );
    }

    #[test]
    fn actions_dedupe_and_keep_order() {
        let s = Statement::allow()
            .action("s3:PutObject")
            .actions(["s3:GetObject", "s3:PutObject", "kms:Decrypt"])
            .action("s3:GetObject")
            .resource("*");
        let got: Vec<&str> = s.get_actions().iter().map(Action::as_str).collect();
        assert_eq!(got, ["s3:PutObject", "s3:GetObject", "kms:Decrypt"]);
        assert_eq!(
            r(&s),
            r#"{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","kms:Decrypt"],"Resource":"*"}"#
        );
    }

    #[test]
    fn resources_dedupe_and_keep_order() {
        let bucket = Expr::get_att_logical("Bucket", "Arn");
        let s = Statement::allow()
            .action("s3:ListBucket")
            .resources(["arn:aws:s3:::b", "arn:aws:s3:::a"])
            .resource(bucket.clone())
            .resource("arn:aws:s3:::b")
            .resource(bucket);
        assert_eq!(s.get_resources().len(), 3);
        assert_eq!(
            r(&s),
            r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::b","arn:aws:s3:::a",{"Fn::GetAtt":["Bucket","Arn"]}]}"#
        );
    }

    #[test]
    fn key_order_is_fixed() {
        // Set in reverse order; rendered in the fixed order.
        let s = Statement::deny()
            .condition(Condition::bool(keys::SECURE_TRANSPORT, false))
            .not_resource("arn:aws:s3:::x")
            .resource("*")
            .not_action("iam:*")
            .action("s3:*")
            .not_principal(Principal::service("a.amazonaws.com"))
            .principal(Principal::any())
            .sid("All");
        assert_eq!(
            r(&s),
            concat!(
                r#"{"Sid":"All","Effect":"Deny","Principal":"*","#,
                r#""NotPrincipal":{"Service":"a.amazonaws.com"},"Action":"s3:*","NotAction":"iam:*","#,
                r#""Resource":"*","NotResource":"arn:aws:s3:::x","#,
                r#""Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
            )
        );
    }

    #[test]
    fn conditions_merge_in_a_statement() {
        let s = Statement::deny()
            .not_action("sts:*")
            .resource("*")
            .conditions([
                Condition::string_not_equals(keys::REQUESTED_REGION, ["eu-west-1"]),
                Condition::string_not_equals(keys::REQUESTED_REGION, ["eu-central-1", "eu-west-1"]),
            ]);
        assert_eq!(s.get_conditions().len(), 2);
        assert_eq!(
            r(&s),
            r#"{"Effect":"Deny","NotAction":"sts:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}"#
        );
    }

    #[test]
    fn principals_in_a_statement() {
        let s = Statement::allow()
            .principals([
                Principal::service("cloudtrail.amazonaws.com"),
                Principal::aws("arn:aws:iam::111111111111:role/A"),
                Principal::service("cloudtrail.amazonaws.com"),
            ])
            .action("sts:AssumeRole");
        assert_eq!(s.get_principals().len(), 2);
        assert_eq!(
            r(&s),
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/A","Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}"#
        );
    }

    #[test]
    fn getters() {
        let s = Statement::allow()
            .sid("S1")
            .not_action("iam:*")
            .not_resource("arn:aws:s3:::x")
            .not_principal(Principal::any());
        assert_eq!(s.get_sid(), Some("S1"));
        assert_eq!(s.get_not_actions().len(), 1);
        assert_eq!(s.not_resources(), [Value::from("arn:aws:s3:::x")]);
        assert_eq!(s.not_principals(), [Principal::any()]);
        assert!(s.get_actions().is_empty());
        assert!(s.get_resources().is_empty());
        assert!(s.get_principals().is_empty());
    }

    #[test]
    fn invalid_action_is_recorded_not_rendered() {
        let s = Statement::allow()
            .action("GetObject")
            .action("s3:GetObject")
            .not_action("s3:")
            .resource("*");
        assert_eq!(s.get_actions().len(), 1);
        assert!(s.get_not_actions().is_empty());
        let invalid: Vec<&str> = s.invalid_actions().map(|e| e.action.as_str()).collect();
        assert_eq!(invalid, ["GetObject", "s3:"]);
        let problems = s.problems();
        let actions: Vec<_> = problems.iter().filter(|p| p.rule == Rule::Action).collect();
        assert_eq!(actions.len(), 2);
        assert_eq!(actions[0].value, "GetObject");
        assert_eq!(
            actions[0].hint,
            "write actions as `service:Action`, e.g. `s3:GetObject`"
        );
        assert!(actions[0].message.starts_with("invalid action `GetObject`"));
        // `s3:` was meant as a NotAction, so the statement has both.
        assert!(problems
            .iter()
            .any(|p| p.message.contains("both `Action` and `NotAction`")));
    }

    #[test]
    fn only_invalid_actions_is_not_also_missing_actions() {
        let problems = Statement::allow().action("bad").resource("*").problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, Rule::Action);
    }

    #[test]
    fn a_valid_statement_has_no_problems() {
        let s = Statement::allow()
            .sid("Read0")
            .action("s3:GetObject")
            .resource("*")
            .condition(Condition::string_equals(keys::PRINCIPAL_ORG_ID, ["o-abc"]));
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        // A trust statement has no Resource, and that is fine.
        let trust = Statement::allow()
            .principal(Principal::service("ec2.amazonaws.com"))
            .action("sts:AssumeRole");
        assert!(trust.problems().is_empty());
    }
}
