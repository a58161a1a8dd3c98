//! The few AWS managed policies the library attaches, as AWS publishes them; any other
//! is unknown to the simulator.

use super::policy::{Policy, ResolvedCondition, ResolvedStatement};
use crate::iam::{BaseOperator, Effect, Operator, PolicyDocument, Statement};

/// The AWS managed policies the simulator knows by name.
pub const KNOWN_AWS_MANAGED: [&str; 3] = [
    "AdministratorAccess",
    "PowerUserAccess",
    "IAMUserChangePassword",
];

/// AWS managed policies the simulator does not know statement by statement, but which
/// hold only `Allow` statements: what they allow is unknown, and they deny nothing.
pub const ALLOW_ONLY_AWS_MANAGED: [&str; 3] = ["ReadOnlyAccess", "SecurityAudit", "ViewOnlyAccess"];

fn document(name: &str) -> Option<PolicyDocument> {
    Some(match name {
        "AdministratorAccess" => {
            PolicyDocument::new().statement(Statement::allow().action("*").resource("*"))
        }
        "PowerUserAccess" => PolicyDocument::new()
            .statement(
                Statement::allow()
                    .not_actions(["iam:*", "organizations:*", "account:*"])
                    .resource("*"),
            )
            .statement(
                Statement::allow()
                    .actions([
                        "account:GetAccountInformation",
                        "account:GetPrimaryEmail",
                        "account:ListRegions",
                        "iam:CreateServiceLinkedRole",
                        "iam:DeleteServiceLinkedRole",
                        "iam:ListRoles",
                        "organizations:DescribeOrganization",
                    ])
                    .resource("*"),
            ),
        "IAMUserChangePassword" => PolicyDocument::new()
            .statement(
                Statement::allow()
                    .action("iam:ChangePassword")
                    .resource("arn:aws:iam::*:user/${aws:username}"),
            )
            .statement(
                Statement::allow()
                    .action("iam:GetAccountPasswordPolicy")
                    .resource("*"),
            ),
        _ => return None,
    })
}

/// The AWS managed policy `name` (its path included, e.g. `service-role/AWSConfigRole`):
/// its document when the simulator knows it, otherwise a policy whose every statement may
/// or may not apply, so that what it decides is unknown.
pub fn aws_managed(name: &str) -> Policy {
    let label = format!("AWS managed policy {name}");
    match document(name) {
        Some(doc) => Policy::literal(label, &doc),
        None if ALLOW_ONLY_AWS_MANAGED.contains(&name) => {
            let mut p = unknown(format!(
                "{label} (not known to the simulator; it only allows)"
            ));
            p.statements.retain(|s| s.effect == Effect::Allow);
            p
        }
        None => unknown(format!("{label} (not known to the simulator)")),
    }
}

/// A policy that may allow or deny anything: what a policy the simulator cannot read
/// stands for.
pub fn unknown(name: impl Into<String>) -> Policy {
    let maybe = |effect: Effect, index: usize| ResolvedStatement {
        index,
        sid: Some("Unknown".to_owned()),
        effect,
        actions: vec!["*".to_owned()],
        not_actions: Vec::new(),
        resources: Some(vec![Some("*".to_owned())]),
        not_resources: None,
        principals: None,
        not_principals: None,
        // `Null` with an unknown value: unknown whatever the request holds.
        conditions: vec![ResolvedCondition {
            operator: Operator::new(BaseOperator::Null),
            key: "aws:RequestedRegion".to_owned(),
            values: vec![None],
        }],
    };
    Policy {
        name: name.into(),
        statements: vec![maybe(Effect::Allow, 0), maybe(Effect::Deny, 1)],
    }
}
