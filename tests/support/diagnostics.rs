//! What every diagnostic must be, whatever the input: a path that names a construct, the
//! value as written, and a hint.

use orgstack::Diagnostic;

/// Debug formatting that must never reach a diagnostic: what `{:?}` prints for the
/// library's values, ids and settings (none of which the generated inputs can spell).
const DEBUG_ARTEFACTS: &[&str] = &[
    "NodeId",
    "Node(",
    "String(\"",
    "Number(",
    "List([",
    "Some(",
    "Value::",
    "Expr::",
    "Target::",
    "Reference {",
    "OperationPreferences",
    "Environment {",
];

/// Panics with the diagnostic unless it has a non-blank path without a `NodeId` or a
/// placeholder, a value without Debug artefacts, and a non-empty message and hint.
pub fn assert_diagnostic_is_clean(d: &Diagnostic) {
    assert!(!d.path.trim().is_empty(), "blank path: {d}");
    assert!(!d.path.contains("NodeId"), "NodeId in the path: {d}");
    assert!(
        !(d.path.starts_with('(') && d.path.ends_with(')')),
        "a placeholder as the path: {d}"
    );
    for artefact in DEBUG_ARTEFACTS {
        assert!(
            !d.value.contains(artefact),
            "`{artefact}` in the value: {d}"
        );
        assert!(!d.message.contains("NodeId"), "NodeId in the message: {d}");
    }
    assert!(!d.message.trim().is_empty(), "no message: {d}");
    assert!(!d.hint.trim().is_empty(), "no hint: {d}");
}
