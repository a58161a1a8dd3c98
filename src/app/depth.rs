//! The first check of synthesis, before anything walks a value recursively (lowering
//! clones, rendering serializes): no template value the app holds nests deeper than
//! [`MAX_DEPTH`]. Counted without recursion, so a value nested a hundred thousand levels
//! deep is reported, not followed.

use super::tree::{Body, NodeKind};
use super::App;
use crate::cfn::{Resource, Value, MAX_DEPTH};
use crate::error::{Diagnostic, Rule};

/// Reports every value nested deeper than [`MAX_DEPTH`], at the construct that holds it.
pub(crate) fn check(app: &App, out: &mut Vec<Diagnostic>) {
    for (i, e) in app.nodes.iter().enumerate() {
        let mut path: Option<String> = None;
        let mut report = |what: &str, v: &Value| {
            let depth = v.depth(MAX_DEPTH);
            if depth > MAX_DEPTH {
                let at = path
                    .get_or_insert_with(|| app.path(&app.node_at(i)))
                    .clone();
                out.push(too_deep(at, what));
            }
        };
        match &e.kind {
            NodeKind::Resource(r) => match &r.body {
                Body::Raw(res) => resource(res, &mut report),
                Body::Typed {
                    construct,
                    overrides,
                } => {
                    construct.values(&mut report);
                    if let Some(o) = overrides {
                        resource(o, &mut report);
                    }
                }
            },
            NodeKind::Scope(Some(t)) => t.values(&mut report),
            NodeKind::Stack(data) => {
                for (name, output) in &data.outputs {
                    // An output is reported at its own path, `<stack>/<output>`.
                    if output.value.depth(MAX_DEPTH) > MAX_DEPTH
                        || output
                            .export_name
                            .as_ref()
                            .is_some_and(|x| x.depth(MAX_DEPTH) > MAX_DEPTH)
                    {
                        out.push(too_deep(
                            format!("{}/{name}", app.path(&app.node_at(i))),
                            "Value",
                        ));
                    }
                }
            }
            NodeKind::Scope(None) | NodeKind::Parameter(_) => {}
        }
    }
}

/// Every property and metadata value of `res`, by name.
fn resource(res: &Resource, report: &mut dyn FnMut(&str, &Value)) {
    for (k, v) in res.properties.iter().chain(&res.metadata) {
        report(k, v);
    }
}

fn too_deep(path: String, what: &str) -> Diagnostic {
    Diagnostic::new(
        path,
        Rule::NestingDepth,
        what,
        format!("`{what}` holds a value nested more than {MAX_DEPTH} levels deep (lists, objects and intrinsic functions); no template needs that, and JSON parsers refuse it"),
        "flatten the value: build it from a list of items rather than wrapping one value in another",
    )
}
