//! Checks shared by IAM constructs: names, paths, identity-policy grammar.

use crate::app::App;
use crate::error::{Diagnostic, Rule};

use super::policy::PolicyDocument;

/// Reports the problems of an identity-based policy: the language's own, plus a Principal
/// (identity policies take none) and a statement without Resource.
pub(crate) fn report_identity_policy(app: &mut App, path: &str, doc: &PolicyDocument) {
    for p in doc.problems() {
        app.report(p.to_diagnostic(path));
    }
    for (i, st) in doc.get_statements().iter().enumerate() {
        let at = st.label(Some(i));
        if st.has_principal() {
            app.report(Diagnostic::new(
                path,
                Rule::PolicyDocument,
                &at,
                format!("{at} names a Principal; an identity-based policy applies to the identity it is attached to"),
                "remove the Principal",
            ));
        }
        if st.get_resources().is_empty() && st.not_resources().is_empty() {
            app.report(Diagnostic::new(
                path,
                Rule::PolicyDocument,
                &at,
                format!("{at} has no Resource; IAM refuses identity-based statements without one"),
                "add `.resource(\"*\")` or the ARNs the statement is about",
            ));
        }
    }
}

/// `[\w+=,.@-]{1,max}`, the IAM name pattern.
pub(crate) fn is_iam_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// Reports an IAM name that breaks `[\w+=,.@-]{1,max}`.
pub(crate) fn report_name(app: &mut App, path: &str, what: &str, name: &str, max: usize) {
    if !is_iam_name(name, max) {
        app.report(Diagnostic::new(
            path,
            Rule::IamName,
            name,
            format!("a {what} name is 1 to {max} of letters, digits and _+=,.@-"),
            "rename it",
        ));
    }
}

/// Reports an IAM path that is not `/` or `/…/` of printable ASCII, at most 512 characters.
pub(crate) fn report_path(app: &mut App, path: &str, iam_path: &str) {
    let ok = iam_path.len() <= 512
        && (iam_path == "/"
            || (iam_path.len() > 2
                && iam_path.starts_with('/')
                && iam_path.ends_with('/')
                && iam_path.bytes().all(|b| (0x21..=0x7e).contains(&b))));
    if !ok {
        app.report(Diagnostic::new(
            path,
            Rule::IamPath,
            iam_path,
            "an IAM path starts and ends with `/` and holds printable ASCII, at most 512 characters",
            "use e.g. `/platform/`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::is_iam_name;

    #[test]
    fn iam_names() {
        assert!(is_iam_name("OrganizationAccountAccessRole", 64));
        assert!(is_iam_name("a+b=c,d.e@f-g_h", 64));
        assert!(!is_iam_name("bad name!", 64));
        assert!(!is_iam_name("", 64));
        assert!(!is_iam_name(&"x".repeat(65), 64));
    }
}
