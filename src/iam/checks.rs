//! Checks shared by IAM constructs: identity-policy grammar and inline policy names.
//! (Names, paths and sizes of the resources themselves are the resource schema's rules,
//! checked on the rendered resource.)

use crate::app::Check;
use crate::error::Rule;

use super::policy::PolicyDocument;

/// Reports the problems of an identity-based policy: the language's own, plus a Principal
/// (identity policies take none) and a statement without Resource.
pub(crate) fn report_identity_policy(cx: &mut Check<'_>, doc: &PolicyDocument) {
    for p in doc.problems() {
        cx.report(p.rule, p.value, p.message, p.hint);
    }
    for (i, st) in doc.get_statements().iter().enumerate() {
        let at = st.label(Some(i));
        if st.has_principal() {
            cx.report(
                Rule::PolicyDocument,
                &at,
                format!("{at} names a Principal; an identity-based policy applies to the identity it is attached to"),
                "remove the Principal",
            );
        }
        if st.get_resources().is_empty() && st.not_resources().is_empty() {
            cx.report(
                Rule::PolicyDocument,
                &at,
                format!("{at} has no Resource; IAM refuses identity-based statements without one"),
                "add `.resource(\"*\")` or the ARNs the statement is about",
            );
        }
    }
}

/// Reports an IAM name that breaks `[\w+=,.@-]{1,max}`.
pub(crate) fn report_name(cx: &mut Check<'_>, what: &str, name: &str, max: usize) {
    if !crate::cfn::schema::is_iam_name(name, max) {
        cx.report(
            Rule::IamName,
            name,
            format!("a {what} name is 1 to {max} of letters, digits and _+=,.@-"),
            crate::cfn::schema::iam_name_hint(name, max),
        );
    }
}
