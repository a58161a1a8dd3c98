//! Policy documents in AWS's JSON policy grammar, read into the typed policy language.
//!
//! Whatever the typed language cannot express is a problem at the JSON path of the value:
//! a `Version` other than `2012-10-17`, an `Id`, an unknown key or operator, a value of the
//! wrong kind. Actions are checked here too, so a bad one names its exact place.

use crate::cfn::Value;
use crate::iam::{
    Action, BaseOperator, Condition, ConditionKey, Operator, PolicyDocument, Principal, Statement,
    POLICY_VERSION,
};

/// One thing a document says that the policy language cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocProblem {
    /// The JSON path of the value.
    pub(crate) path: String,
    /// The value, shortened by the diagnostic.
    pub(crate) value: String,
    /// What is wrong.
    pub(crate) message: String,
}

fn problem(out: &mut Vec<DocProblem>, path: String, value: &Value, message: impl Into<String>) {
    out.push(DocProblem {
        path,
        value: short(value),
        message: message.into(),
    });
}

/// A value as text for a diagnostic: a string as is, anything else as minified JSON.
fn short(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_owned(),
        None => crate::cfn::render::minified(v).unwrap_or_default(),
    }
}

/// `key` appended to a JSON path: `.key`, or `["key"]` when it is not a plain name.
pub(crate) fn child(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        format!("{path}.{key}")
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        format!("{path}[{quoted}]")
    }
}

/// The document at `path`, or `None` with the problems pushed to `out`.
pub(crate) fn document(v: &Value, path: &str, out: &mut Vec<DocProblem>) -> Option<PolicyDocument> {
    let before = out.len();
    let Value::Map(map) = v.get() else {
        problem(
            out,
            path.to_owned(),
            v,
            "a policy document is a JSON object",
        );
        return None;
    };
    let mut doc = PolicyDocument::new();
    let mut version_seen = false;
    for (key, value) in map {
        let at = child(path, key);
        match key.as_ref() {
            "Version" => {
                version_seen = true;
                if value.as_str() != Some(POLICY_VERSION) {
                    problem(
                        out,
                        at,
                        value,
                        format!("the policy language is version `{POLICY_VERSION}`, the only one orgstack writes"),
                    );
                }
            }
            "Statement" => match value.get() {
                Value::List(items) => {
                    for (i, s) in items.iter().enumerate() {
                        if let Some(s) = statement(s, &format!("{at}[{i}]"), out) {
                            doc.push(s);
                        }
                    }
                }
                Value::Map(_) => {
                    if let Some(s) = statement(value, &at, out) {
                        doc.push(s);
                    }
                }
                _ => problem(
                    out,
                    at,
                    value,
                    "`Statement` is a statement or a list of them",
                ),
            },
            "Id" => problem(
                out,
                at,
                value,
                "`Id` is not part of the policy language orgstack writes; leave it out",
            ),
            _ => problem(
                out,
                at,
                value,
                format!("`{key}` is not a key of a policy document (`Version`, `Statement`)"),
            ),
        }
    }
    if !version_seen {
        problem(
            out,
            child(path, "Version"),
            &Value::Null,
            format!("a policy document needs `\"Version\": \"{POLICY_VERSION}\"`: without it AWS reads the 2008 language, without policy variables"),
        );
    }
    (out.len() == before).then_some(doc)
}

fn statement(v: &Value, path: &str, out: &mut Vec<DocProblem>) -> Option<Statement> {
    let before = out.len();
    let Value::Map(map) = v.get() else {
        problem(out, path.to_owned(), v, "a statement is a JSON object");
        return None;
    };
    let effect = match map.get("Effect").map(Value::get) {
        Some(Value::String(e)) if e == "Allow" => crate::iam::Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => crate::iam::Effect::Deny,
        Some(other) => {
            problem(
                out,
                child(path, "Effect"),
                other,
                "`Effect` is `Allow` or `Deny`",
            );
            return None;
        }
        None => {
            problem(
                out,
                child(path, "Effect"),
                &Value::Null,
                "a statement needs an `Effect`",
            );
            return None;
        }
    };
    let mut s = Statement::new(effect);
    for (key, value) in map {
        let at = child(path, key);
        match key.as_ref() {
            "Effect" => {}
            "Sid" => match value.as_str() {
                Some(sid) => s = s.sid(sid),
                None => problem(out, at, value, "`Sid` is a string"),
            },
            "Action" | "NotAction" => {
                for item in strings(value, &at, out, action_problem) {
                    s = if key == "Action" {
                        s.action(&item)
                    } else {
                        s.not_action(&item)
                    };
                }
            }
            "Resource" | "NotResource" => {
                for item in strings(value, &at, out, |_| None) {
                    s = if key == "Resource" {
                        s.resource(item)
                    } else {
                        s.not_resource(item)
                    };
                }
            }
            "Principal" | "NotPrincipal" => {
                for p in principals(value, &at, out) {
                    s = if key == "Principal" {
                        s.principal(p)
                    } else {
                        s.not_principal(p)
                    };
                }
            }
            "Condition" => {
                for c in conditions(value, &at, out) {
                    s = s.condition(c);
                }
            }
            _ => problem(
                out,
                at,
                value,
                format!("`{key}` is not a key of a statement (`Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource`, `Condition`)"),
            ),
        }
    }
    (out.len() == before).then_some(s)
}

/// Why `s` is not an action, if it is not.
fn action_problem(s: &str) -> Option<String> {
    Action::new(s).err().map(|e| e.to_string())
}

/// A string, or a list of strings, in order; those that are no strings or that `check`
/// rejects are reported at their paths and left out.
fn strings(
    v: &Value,
    path: &str,
    out: &mut Vec<DocProblem>,
    check: fn(&str) -> Option<String>,
) -> Vec<String> {
    let one = |s: &str, at: String, out: &mut Vec<DocProblem>| match check(s) {
        Some(why) => {
            problem(out, at, &Value::from(s), why);
            None
        }
        None => Some(s.to_owned()),
    };
    match v.get() {
        Value::String(s) => one(s, path.to_owned(), out).into_iter().collect(),
        Value::List(items) => {
            let mut found = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match item.as_str() {
                    Some(s) => found.extend(one(s, at, out)),
                    None => problem(out, at, item, "expected a string"),
                }
            }
            if items.is_empty() {
                problem(
                    out,
                    path.to_owned(),
                    v,
                    "an empty list: give at least one value",
                );
            }
            found
        }
        _ => {
            problem(
                out,
                path.to_owned(),
                v,
                "expected a string or a list of strings",
            );
            Vec::new()
        }
    }
}

fn principals(v: &Value, path: &str, out: &mut Vec<DocProblem>) -> Vec<Principal> {
    match v.get() {
        Value::String(s) if s == "*" => vec![Principal::any()],
        Value::Map(map) => {
            let mut found = Vec::new();
            for (kind, value) in map {
                let at = child(path, kind);
                let make: fn(String) -> Principal = match kind.as_ref() {
                    "AWS" => |s| Principal::aws(s),
                    "Service" => Principal::service,
                    "Federated" => |s| Principal::federated(s),
                    "CanonicalUser" => Principal::canonical_user,
                    _ => {
                        problem(
                            out,
                            at,
                            value,
                            format!("`{kind}` is not a kind of principal (`AWS`, `Service`, `Federated`, `CanonicalUser`)"),
                        );
                        continue;
                    }
                };
                found.extend(strings(value, &at, out, |_| None).into_iter().map(make));
            }
            if map.is_empty() {
                problem(
                    out,
                    path.to_owned(),
                    v,
                    "a principal block names at least one principal",
                );
            }
            found
        }
        _ => {
            problem(
                out,
                path.to_owned(),
                v,
                "a principal is `\"*\"` or an object such as `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`",
            );
            Vec::new()
        }
    }
}

/// The operator written `name`, e.g. `ForAnyValue:StringLikeIfExists`.
fn operator(name: &str) -> Option<Operator> {
    let (qualifier, rest) = match name.split_once(':') {
        Some(("ForAnyValue", rest)) => (Some(true), rest),
        Some(("ForAllValues", rest)) => (Some(false), rest),
        Some(_) => return None,
        None => (None, name),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let base = BaseOperator::ALL.iter().find(|b| b.as_str() == base)?;
    let mut op = Operator::new(*base);
    if if_exists {
        op = op.if_exists();
    }
    op = match qualifier {
        Some(true) => op.for_any_value(),
        Some(false) => op.for_all_values(),
        None => op,
    };
    Some(op)
}

fn conditions(v: &Value, path: &str, out: &mut Vec<DocProblem>) -> Vec<Condition> {
    let Value::Map(block) = v.get() else {
        problem(
            out,
            path.to_owned(),
            v,
            "`Condition` is an object of operators",
        );
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, keys) in block {
        let at = child(path, name);
        let Some(op) = operator(name) else {
            problem(
                out,
                at,
                &Value::from(name.as_ref()),
                "not a condition operator (e.g. `StringEquals`, `ArnLike`, `Bool`, with `IfExists` or `ForAnyValue:`/`ForAllValues:`)",
            );
            continue;
        };
        let Value::Map(keys) = keys.get() else {
            problem(
                out,
                at,
                keys,
                "an operator takes an object of condition keys",
            );
            continue;
        };
        for (key, values) in keys {
            let at = child(&at, key);
            let values = match values.get() {
                Value::List(items) => items.clone(),
                other => vec![other.clone()],
            };
            let mut ok = !values.is_empty();
            for (i, value) in values.iter().enumerate() {
                if !matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                    problem(
                        out,
                        format!("{at}[{i}]"),
                        value,
                        "a condition value is a string, a number or a boolean",
                    );
                    ok = false;
                }
            }
            if values.is_empty() {
                problem(
                    out,
                    at.clone(),
                    &Value::List(Vec::new()),
                    "a condition key needs at least one value",
                );
            }
            if ok {
                found.push(Condition::new(
                    op,
                    ConditionKey::new(key.to_string()),
                    values,
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::render::minified;

    fn parse(text: &str) -> (Option<PolicyDocument>, Vec<DocProblem>) {
        let json: super::super::json::Json = serde_json::from_str(text).unwrap();
        let mut out = Vec::new();
        (document(json.value(), "$.doc", &mut out), out)
    }

    #[test]
    fn a_document_round_trips_through_the_typed_language() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoLeave","Effect":"Deny","Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"cloudtrail.amazonaws.com"},"NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:PrincipalArn":["arn:*","x"]},"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
        let (doc, problems) = parse(text);
        assert_eq!(problems, []);
        let doc = doc.unwrap();
        let rendered = minified(&doc.to_value()).unwrap();
        let want = text.replace(
            r#""AWS":["arn:aws:iam::111122223333:root"]"#,
            r#""AWS":"arn:aws:iam::111122223333:root""#,
        );
        assert_eq!(rendered, want);
    }

    #[test]
    fn a_single_statement_object_is_a_list_of_one() {
        let (doc, problems) = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
        );
        assert_eq!(problems, []);
        assert_eq!(doc.unwrap().get_statements().len(), 1);
    }

    #[test]
    fn what_the_language_cannot_express_names_its_path() {
        let (doc, problems) = parse(
            r#"{"Version":"2008-10-17","Id":"x","Statement":[{"Effect":"Allow","Action":["s3Get", 3],"Resource":"*","Condition":{"StringEqualz":{"k":"v"}},"Extra":1},{"Effect":"Maybe"}]}"#,
        );
        assert!(doc.is_none());
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.doc.Version",
                "$.doc.Id",
                "$.doc.Statement[0].Action[0]",
                "$.doc.Statement[0].Action[1]",
                "$.doc.Statement[0].Condition.StringEqualz",
                "$.doc.Statement[0].Extra",
                "$.doc.Statement[1].Effect",
            ]
        );
    }

    #[test]
    fn operators_parse_with_qualifiers_and_if_exists() {
        assert_eq!(operator("StringEquals").unwrap().name(), "StringEquals");
        assert_eq!(
            operator("ForAllValues:ArnLikeIfExists").unwrap().name(),
            "ForAllValues:ArnLikeIfExists"
        );
        assert!(operator("ForSome:StringEquals").is_none());
        assert!(operator("StringEqualz").is_none());
    }

    #[test]
    fn keys_that_are_not_names_are_quoted() {
        assert_eq!(child("$", "accounts"), "$.accounts");
        assert_eq!(child("$.a", "aws:SourceArn"), r#"$.a["aws:SourceArn"]"#);
        assert_eq!(child("$", "a\"b"), r#"$["a\"b"]"#);
    }
}
