//! Policies ready to evaluate: a typed [`PolicyDocument`] with every value resolved to
//! text (or marked unknown), and documents read back from JSON.

use indexmap::IndexMap;

use super::AccessError;
use crate::cfn::{Map, Value};
use crate::iam::{
    Condition, Effect, Operator, PolicyDocument, Principal, PrincipalKind, Statement,
};

/// A value of a policy after resolution: its text, or `None` when it depends on
/// something the simulator cannot interpret.
pub type Text = Option<String>;

/// One condition with its values merged as IAM reads them (one operator and key, the
/// values OR-ed).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedCondition {
    /// The operator.
    pub operator: Operator,
    /// The key, as written.
    pub key: String,
    /// The values.
    pub values: Vec<Text>,
}

/// One statement, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedStatement {
    /// Its position in the document.
    pub index: usize,
    /// Its Sid.
    pub sid: Option<String>,
    /// Its effect.
    pub effect: Effect,
    /// `Action` patterns.
    pub actions: Vec<String>,
    /// `NotAction` patterns.
    pub not_actions: Vec<String>,
    /// `Resource` patterns (`None` when the element is absent).
    pub resources: Option<Vec<Text>>,
    /// `NotResource` patterns.
    pub not_resources: Option<Vec<Text>>,
    /// `Principal` entries.
    pub principals: Option<Vec<(PrincipalKind, Text)>>,
    /// `NotPrincipal` entries.
    pub not_principals: Option<Vec<(PrincipalKind, Text)>>,
    /// The conditions, one per operator and key.
    pub conditions: Vec<ResolvedCondition>,
}

impl ResolvedStatement {
    /// `Sid X` or `#3`, for trails.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) => s.clone(),
            None => format!("#{}", self.index),
        }
    }
}

/// A named policy, resolved and ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// How trails name it, e.g. `SCP acme-deny-root-user`.
    pub name: String,
    /// Its statements.
    pub statements: Vec<ResolvedStatement>,
}

/// Resolves one template value to text.
pub trait Resolve {
    /// The text `v` stands for, or `None` when it cannot be interpreted.
    fn text(&self, v: &Value) -> Text;
}

/// Resolves literals only: every intrinsic is unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Literal;

impl Resolve for Literal {
    fn text(&self, v: &Value) -> Text {
        literal_text(v)
    }
}

/// The text of a literal scalar.
pub(crate) fn literal_text(v: &Value) -> Text {
    match v.get() {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Policy {
    /// Resolves `doc` with `resolver`.
    pub fn resolve(
        name: impl Into<String>,
        doc: &PolicyDocument,
        resolver: &dyn Resolve,
    ) -> Policy {
        let principals = |ps: &[Principal]| -> Option<Vec<(PrincipalKind, Text)>> {
            (!ps.is_empty()).then(|| {
                ps.iter()
                    .map(|p| match p.kind() {
                        PrincipalKind::Any => (PrincipalKind::Any, Some("*".to_owned())),
                        k => (k, resolver.text(p.value())),
                    })
                    .collect()
            })
        };
        let texts = |vs: &[Value]| -> Option<Vec<Text>> {
            (!vs.is_empty()).then(|| vs.iter().map(|v| resolver.text(v)).collect())
        };
        let statements = doc
            .get_statements()
            .iter()
            .enumerate()
            .map(|(index, s)| ResolvedStatement {
                index,
                sid: s.get_sid().map(str::to_owned),
                effect: s.effect(),
                actions: s
                    .get_actions()
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
                not_actions: s
                    .get_not_actions()
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
                resources: texts(s.get_resources()),
                not_resources: texts(s.not_resources()),
                principals: principals(s.get_principals()),
                not_principals: principals(s.not_principals()),
                conditions: merge_conditions(s.get_conditions(), resolver),
            })
            .collect();
        Policy {
            name: name.into(),
            statements,
        }
    }

    /// Resolves a document with literals only (every intrinsic unknown).
    pub fn literal(name: impl Into<String>, doc: &PolicyDocument) -> Policy {
        Policy::resolve(name, doc, &Literal)
    }

    /// Reads a policy written as JSON, its values literal.
    ///
    /// # Errors
    /// [`AccessError::Policy`] when the JSON is not a policy document.
    pub fn from_json(
        name: impl Into<String>,
        json: &serde_json::Value,
    ) -> Result<Policy, AccessError> {
        Ok(Policy::literal(
            name,
            &parse_document(&value_from_json(json))?,
        ))
    }

    /// The policy as resolved JSON, with unknown values written as `null` (for reports
    /// and other evaluators).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{json, Value as J};
        let text = |t: &Text| t.as_ref().map_or(J::Null, |s| J::String(s.clone()));
        let list = |v: &[Text]| -> J {
            if v.len() == 1 {
                text(&v[0])
            } else {
                J::Array(v.iter().map(text).collect())
            }
        };
        let strings = |v: &[String]| -> J {
            if v.len() == 1 {
                J::String(v[0].clone())
            } else {
                J::Array(v.iter().cloned().map(J::String).collect())
            }
        };
        let principal = |ps: &[(PrincipalKind, Text)]| -> J {
            if ps.iter().any(|(k, _)| *k == PrincipalKind::Any) {
                return J::String("*".into());
            }
            let mut m = serde_json::Map::new();
            for kind in [
                PrincipalKind::Aws,
                PrincipalKind::Service,
                PrincipalKind::Federated,
                PrincipalKind::CanonicalUser,
            ] {
                let vals: Vec<Text> = ps
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, v)| v.clone())
                    .collect();
                if !vals.is_empty() {
                    m.insert(kind.as_str().into(), list(&vals));
                }
            }
            J::Object(m)
        };
        let statements: Vec<J> = self
            .statements
            .iter()
            .map(|s| {
                let mut m = serde_json::Map::new();
                if let Some(sid) = &s.sid {
                    m.insert("Sid".into(), J::String(sid.clone()));
                }
                m.insert("Effect".into(), J::String(s.effect.as_str().into()));
                if let Some(p) = &s.principals {
                    m.insert("Principal".into(), principal(p));
                }
                if let Some(p) = &s.not_principals {
                    m.insert("NotPrincipal".into(), principal(p));
                }
                if !s.actions.is_empty() {
                    m.insert("Action".into(), strings(&s.actions));
                }
                if !s.not_actions.is_empty() {
                    m.insert("NotAction".into(), strings(&s.not_actions));
                }
                if let Some(r) = &s.resources {
                    m.insert("Resource".into(), list(r));
                }
                if let Some(r) = &s.not_resources {
                    m.insert("NotResource".into(), list(r));
                }
                if !s.conditions.is_empty() {
                    let mut ops = serde_json::Map::new();
                    for c in &s.conditions {
                        let entry = ops
                            .entry(c.operator.name())
                            .or_insert_with(|| J::Object(serde_json::Map::new()));
                        if let J::Object(keys) = entry {
                            keys.insert(c.key.clone(), list(&c.values));
                        }
                    }
                    m.insert("Condition".into(), J::Object(ops));
                }
                J::Object(m)
            })
            .collect();
        json!({ "Version": crate::iam::POLICY_VERSION, "Statement": statements })
    }

    /// Whether every value of the policy is known.
    pub fn is_known(&self) -> bool {
        let known = |v: &Option<Vec<Text>>| v.iter().flatten().all(Option::is_some);
        let known_p =
            |v: &Option<Vec<(PrincipalKind, Text)>>| v.iter().flatten().all(|(_, t)| t.is_some());
        self.statements.iter().all(|s| {
            known(&s.resources)
                && known(&s.not_resources)
                && known_p(&s.principals)
                && known_p(&s.not_principals)
                && s.conditions
                    .iter()
                    .all(|c| c.values.iter().all(Option::is_some))
        })
    }
}

/// Conditions with the same operator and key merged, values without duplicates, in
/// first-use order: the way the statement renders, and IAM reads, them.
fn merge_conditions(conditions: &[Condition], resolver: &dyn Resolve) -> Vec<ResolvedCondition> {
    let mut merged: IndexMap<(String, String), ResolvedCondition> = IndexMap::new();
    for c in conditions {
        let entry = merged
            .entry((c.operator.name(), c.key.as_str().to_owned()))
            .or_insert_with(|| ResolvedCondition {
                operator: c.operator,
                key: c.key.as_str().to_owned(),
                values: Vec::new(),
            });
        for v in &c.values {
            let t = resolver.text(v);
            if !entry.values.contains(&t) || t.is_none() {
                entry.values.push(t);
            }
        }
    }
    merged.into_values().collect()
}

/// A JSON value as a template value (objects stay objects: an intrinsic written in JSON
/// is not interpreted, and resolves to unknown).
pub fn value_from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.clone()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => Value::List(a.iter().map(value_from_json).collect()),
        serde_json::Value::Object(o) => {
            let mut m = Map::default();
            for (k, v) in o {
                m.insert(k.clone().into(), value_from_json(v));
            }
            Value::Map(m)
        }
    }
}

fn bad(what: impl Into<String>) -> AccessError {
    AccessError::Policy(what.into())
}

/// One value or a list of them.
fn one_or_many(v: &Value) -> Vec<&Value> {
    match v.get() {
        Value::List(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Reads a policy document from a template value (a raw resource's `PolicyDocument`, a
/// key policy, a bucket policy); intrinsics stay as they are.
///
/// # Errors
/// [`AccessError::Policy`] when the value is not a policy document: no `Statement`, an
/// effect other than `Allow` or `Deny`, an action that is not `service:Action`, an
/// operator IAM does not know.
pub fn parse_document(v: &Value) -> Result<PolicyDocument, AccessError> {
    let Value::Map(m) = v.get() else {
        return Err(bad("a policy document is an object"));
    };
    let statements = m
        .get("Statement")
        .ok_or_else(|| bad("the policy document has no `Statement`"))?;
    let mut doc = PolicyDocument::new();
    for (i, s) in one_or_many(statements).into_iter().enumerate() {
        doc.push(parse_statement(s).map_err(|e| match e {
            AccessError::Policy(m) => bad(format!("Statement[{i}]: {m}")),
            other => other,
        })?);
    }
    Ok(doc)
}

fn parse_statement(v: &Value) -> Result<Statement, AccessError> {
    let Value::Map(m) = v.get() else {
        return Err(bad("a statement is an object"));
    };
    let effect = match m.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        other => return Err(bad(format!("unknown effect {other:?}"))),
    };
    let mut s = Statement::new(effect);
    if let Some(sid) = m.get("Sid").and_then(Value::as_str) {
        s = s.sid(sid);
    }
    for (key, not) in [("Action", false), ("NotAction", true)] {
        for a in m.get(key).map(one_or_many).unwrap_or_default() {
            let a = a
                .as_str()
                .ok_or_else(|| bad(format!("`{key}` holds a non-string")))?;
            crate::iam::Action::new(a).map_err(|e| bad(e.to_string()))?;
            s = if not { s.not_action(a) } else { s.action(a) };
        }
    }
    for (key, not) in [("Resource", false), ("NotResource", true)] {
        for r in m.get(key).map(one_or_many).unwrap_or_default() {
            s = if not {
                s.not_resource(r.clone())
            } else {
                s.resource(r.clone())
            };
        }
    }
    for (key, not) in [("Principal", false), ("NotPrincipal", true)] {
        for p in m
            .get(key)
            .map(parse_principals)
            .transpose()?
            .unwrap_or_default()
        {
            s = if not {
                s.not_principal(p)
            } else {
                s.principal(p)
            };
        }
    }
    if let Some(c) = m.get("Condition") {
        let Value::Map(ops) = c.get() else {
            return Err(bad("`Condition` is an object"));
        };
        for (op, keys) in ops {
            let operator =
                Operator::parse(op).ok_or_else(|| bad(format!("unknown operator `{op}`")))?;
            let Value::Map(keys) = keys.get() else {
                return Err(bad(format!("`{op}` holds keys and values")));
            };
            for (key, values) in keys {
                s = s.condition(Condition::new(
                    operator,
                    key.to_string(),
                    one_or_many(values).into_iter().cloned(),
                ));
            }
        }
    }
    Ok(s)
}

fn parse_principals(v: &Value) -> Result<Vec<Principal>, AccessError> {
    if v.as_str() == Some("*") {
        return Ok(vec![Principal::any()]);
    }
    let Value::Map(m) = v.get() else {
        return Err(bad("a principal is `*` or an object"));
    };
    let mut out = Vec::new();
    for (kind, values) in m {
        for value in one_or_many(values) {
            out.push(match kind.as_ref() {
                "AWS" => Principal::aws(value.clone()),
                // A regional service principal is written with `${AWS::Region}`.
                "Service" => match value.as_str() {
                    Some(s) => Principal::service(s),
                    None => Principal::new(PrincipalKind::Service, value.clone()),
                },
                "Federated" => Principal::federated(value.clone()),
                "CanonicalUser" => Principal::canonical_user(
                    value
                        .as_str()
                        .ok_or_else(|| bad("a canonical user is a string"))?,
                ),
                other => return Err(bad(format!("unknown principal kind `{other}`"))),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips_through_the_typed_document() {
        let doc = json!({
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Read",
                    "Effect": "Allow",
                    "Principal": { "AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:role/r"], "Service": "s3.amazonaws.com" },
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": "arn:aws:s3:::b/*",
                    "Condition": { "ForAnyValue:StringLikeIfExists": { "aws:PrincipalOrgPaths": ["o-a/r-a/*", "o-a/r-b/*"] } }
                },
                { "Effect": "Deny", "NotPrincipal": "*", "NotAction": "iam:*", "NotResource": "*" }
            ]
        });
        let p = Policy::from_json("p", &doc).unwrap();
        assert_eq!(p.to_json(), doc);
        assert!(p.is_known());
        // One statement given as an object is read as a list of one.
        let one = json!({ "Statement": { "Effect": "Allow", "Action": "*", "Resource": "*" } });
        assert_eq!(Policy::from_json("one", &one).unwrap().statements.len(), 1);
    }

    #[test]
    fn what_is_not_a_policy_is_an_error_not_a_panic() {
        let cases = [
            (json!([]), "a policy document is an object"),
            (json!({}), "the policy document has no `Statement`"),
            (
                json!({ "Statement": [{ "Effect": "Maybe", "Action": "*" }] }),
                "unknown effect",
            ),
            (
                json!({ "Statement": [{ "Effect": "Allow", "Action": "GetObject" }] }),
                "invalid action",
            ),
            (
                json!({ "Statement": [{ "Effect": "Allow", "Action": 3 }] }),
                "non-string",
            ),
            (
                json!({ "Statement": [{ "Effect": "Allow", "Action": "*", "Condition": { "StringMatches": { "k": "v" } } }] }),
                "unknown operator `StringMatches`",
            ),
            (
                json!({ "Statement": [{ "Effect": "Allow", "Action": "*", "Principal": { "Robot": "x" } }] }),
                "unknown principal kind",
            ),
        ];
        for (doc, message) in cases {
            match Policy::from_json("p", &doc) {
                Err(AccessError::Policy(m)) => assert!(m.contains(message), "{m}"),
                other => panic!("{doc}: {other:?}"),
            }
        }
    }

    #[test]
    fn intrinsics_resolve_to_unknown_with_the_literal_resolver() {
        use crate::cfn::Expr;
        use crate::iam::{Principal, Statement};
        let doc = PolicyDocument::from(
            Statement::allow()
                .principal(Principal::aws(Expr::import_value("X")))
                .action("sts:AssumeRole"),
        );
        let p = Policy::literal("trust", &doc);
        assert!(!p.is_known());
        assert_eq!(
            p.to_json()["Statement"][0]["Principal"]["AWS"],
            serde_json::Value::Null
        );
    }
}
