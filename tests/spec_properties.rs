//! Whatever the text, reading and synthesizing a spec never panics, and every error says
//! where it is: a line and column for text that is not JSON, a JSON path (and, for a shape
//! problem, its line and column) for the rest.
//!
//! Three sources of input: random JSON built from the spec's own field names (so it gets
//! past the first level), the shipped specs with random changes to their tree, and the
//! shipped specs with random changes to their text.

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

use orgstack::spec::{OrgSpec, SpecError};

/// Field names and values of the spec's vocabulary, and some that are not.
const KEYS: &[&str] = &[
    "layout",
    "name",
    "email_domain",
    "accounts",
    "email",
    "ou",
    "organizational_units",
    "parent",
    "policies",
    "document",
    "type",
    "targets",
    "root",
    "account",
    "grants",
    "group",
    "role",
    "stack_sets",
    "id",
    "roles",
    "trust",
    "account_with_mfa",
    "managed_policies",
    "aws_managed",
    "policy",
    "environments",
    "production",
    "existing_accounts",
    "key",
    "quotas",
    "organization",
    "existing",
    "root_id",
    "organization_id",
    "Version",
    "Statement",
    "Effect",
    "Action",
    "Resource",
    "Condition",
    "object_lock",
    "compliance",
    "days",
    "monthly_budget",
    "tags",
    "regions",
    "x",
    "",
];

const STRINGS: &[&str] = &[
    "acme",
    "Security",
    "Workloads",
    "Workloads/NonProd",
    "Identity",
    "identity",
    "dev",
    "prod",
    "root",
    "a@b.example",
    "not-an-email",
    "123456789012",
    "1234",
    "us-east-1",
    "mars-1",
    "2012-10-17",
    "Allow",
    "Deny",
    "s3:*",
    "*",
    "bad action",
    "StringEquals",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "r-ab12",
    "o-abcdef1234",
    "developers",
    "developer",
    "auditor",
    "",
    "/",
    "ü",
    "\u{0}",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (0u64..100_000).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(STRINGS).prop_map(Value::from),
        "[a-zA-Z0-9@./: -]{0,12}".prop_map(Value::from),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// The shipped specs, the inputs the mutations start from.
fn bases() -> Vec<Value> {
    [
        "examples/custom_org.json",
        "examples/five_account_layout.json",
    ]
    .iter()
    .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
    .collect()
}

/// One change to a tree: at the node `walk` leads to, replace it, remove a child, add a
/// child, or copy a list element.
#[derive(Debug, Clone)]
enum Change {
    Replace(Value),
    Remove,
    Insert(&'static str, Value),
    Duplicate,
}

fn change() -> impl Strategy<Value = (Vec<usize>, Change)> {
    let change = prop_oneof![
        json().prop_map(Change::Replace),
        Just(Change::Remove),
        (prop::sample::select(KEYS), json()).prop_map(|(k, v)| Change::Insert(k, v)),
        Just(Change::Duplicate),
    ];
    (prop::collection::vec(any::<usize>(), 0..7), change)
}

fn apply(tree: &mut Value, walk: &[usize], change: &Change) {
    let mut node = tree;
    for (depth, step) in walk.iter().enumerate() {
        let last = depth + 1 == walk.len();
        let len = match &*node {
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        };
        if len == 0 {
            break;
        }
        let i = step % len;
        if last {
            match (change, &mut *node) {
                (Change::Remove, Value::Array(a)) => {
                    a.remove(i);
                    return;
                }
                (Change::Remove, Value::Object(o)) => {
                    let k = o.keys().nth(i).cloned().unwrap_or_default();
                    o.remove(&k);
                    return;
                }
                (Change::Duplicate, Value::Array(a)) => {
                    let copy = a[i].clone();
                    a.insert(i, copy);
                    return;
                }
                _ => {}
            }
        }
        node = match node {
            Value::Array(a) => &mut a[i],
            Value::Object(o) => match o.values_mut().nth(i) {
                Some(v) => v,
                None => return,
            },
            _ => return,
        };
    }
    match change {
        Change::Replace(v) => *node = v.clone(),
        Change::Insert(k, v) => {
            if let Value::Object(o) = node {
                o.insert((*k).to_owned(), v.clone());
            } else if let Value::Array(a) = node {
                a.push(v.clone());
            }
        }
        Change::Remove | Change::Duplicate => {}
    }
}

/// One change to a text: delete a character, insert one, or cut the text short.
fn edit_text(text: &str, at: usize, op: u8, c: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let i = at % (chars.len() + 1);
    match op % 3 {
        0 if i < chars.len() => {
            chars.remove(i);
        }
        1 => chars.insert(i, c),
        _ => chars.truncate(i),
    }
    chars.into_iter().collect()
}

/// Reads and synthesizes `text`; any error must say where it is.
fn check(text: &str) -> Result<(), TestCaseError> {
    let result = OrgSpec::from_json(text).and_then(|spec| spec.to_app()?.synth().map(|_| ()));
    let Err(err) = result else {
        return Ok(());
    };
    let shown = err.to_string();
    let report = err.report("f.json", text);
    prop_assert!(
        !report.is_empty() && report.lines().all(|l| l.starts_with("f.json:")),
        "{report}"
    );
    match &err {
        SpecError::Syntax { line, .. } => {
            prop_assert!(*line >= 1, "{shown}");
            prop_assert!(
                shown.starts_with(&format!("line {line}, column ")),
                "{shown}"
            );
        }
        SpecError::Shape(problems) => {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(p.path.starts_with('$'), "{p}");
                prop_assert!(
                    p.position.is_some_and(|(l, c)| l >= 1 && c >= 1),
                    "{p} has no line"
                );
                prop_assert!(shown.contains(&p.path), "{shown}");
            }
        }
        SpecError::Validation(d) => {
            prop_assert!(!d.is_empty());
            for d in d.iter() {
                let source = d.source.as_deref();
                prop_assert!(
                    source.is_some_and(|s| s.starts_with('$')),
                    "{d} has no JSON path"
                );
                let named = format!("{}: ", source.unwrap_or_default());
                prop_assert!(shown.contains(&named), "{shown}");
            }
        }
        other => prop_assert!(false, "an error without a place: {other:?}"),
    }
    Ok(())
}

fn config() -> Config {
    Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_json_never_panics_and_every_error_has_a_place(v in json()) {
        check(&v.to_string())?;
    }

    #[test]
    fn changed_trees_never_panic_and_every_error_has_a_place(
        base in 0usize..2,
        changes in prop::collection::vec(change(), 1..4),
    ) {
        let mut tree = bases()[base].clone();
        for (walk, c) in &changes {
            apply(&mut tree, walk, c);
        }
        check(&serde_json::to_string_pretty(&tree).unwrap())?;
    }

    #[test]
    fn changed_texts_never_panic_and_every_error_has_a_place(
        base in 0usize..2,
        at in any::<usize>(),
        op in any::<u8>(),
        c in prop::sample::select(vec!['{', '}', '[', ']', '"', ',', ':', '\\', '1', 'x', ' ', 'é']),
    ) {
        let text = serde_json::to_string_pretty(&bases()[base]).unwrap();
        check(&edit_text(&text, at, op, c))?;
    }
}
