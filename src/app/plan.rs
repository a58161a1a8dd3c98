//! The deploy plan, derived from the model: what CloudFormation cannot do (trusted access,
//! policy types, confirming subscriptions — from what each resource needs, for any app),
//! the steps constructs declare, and every stack in an order that works, in the home
//! region, uploaded through S3 when its template is too large to pass inline.

use std::fmt::Write as _;

use serde::Serialize;

use super::assembly::StackEntry;
use super::lower::Model;
use super::place::{Placement, SlotKind};
use super::DeployStep;
use crate::cfn::needs::{self, Need};
use crate::cfn::NodeId;

/// The largest template `aws cloudformation deploy` sends inline; a larger one must be
/// uploaded to S3 (`--s3-bucket`).
pub const INLINE_TEMPLATE_BYTES: usize = 51_200;

/// What the plan names the template bucket when the app names none.
pub const TEMPLATE_BUCKET_PLACEHOLDER: &str = "REPLACE-WITH-YOUR-TEMPLATE-BUCKET";

/// When a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Phase {
    /// Before anything: what the first stack deployed needs (a bucket for large templates).
    Setup,
    /// Deploying a stack that must exist before the prerequisites (the organization).
    Bootstrap,
    /// After the bootstrap stacks, before the others.
    BeforeStacks,
    /// Importing what exists into a stack, before the stacks deploy.
    Import,
    /// Between two stacks: what a stack needs of what an earlier one created (an account
    /// made administrator of a service).
    BetweenStacks,
    /// Deploying a stack.
    Stack,
    /// After every stack.
    AfterStacks,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Step {
    pub(crate) phase: Phase,
    pub(crate) title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) why: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) commands: Vec<String>,
}

/// Where and how the stacks deploy.
#[derive(Debug, Clone)]
pub(crate) struct Target<'a> {
    pub(crate) region: &'a str,
    pub(crate) bucket: Option<&'a str>,
}

/// The steps of the plan, in order.
pub(crate) fn steps(
    model: &Model<'_>,
    placement: &Placement,
    stacks: &[StackEntry],
    declared: &[DeployStep],
    imports: Vec<Step>,
    target: &Target<'_>,
) -> Vec<Step> {
    let region = target.region;
    let mut found: Vec<Need> = Vec::new();
    for slot in &placement.slots {
        for &m in &slot.members {
            if let Some(res) = model.resource(m) {
                needs::of(res, &mut found);
            }
        }
    }
    // What typed constructs declare: needs of the whole organization join the rest; a
    // step before a stack stays with the top-level stack of the construct declaring it.
    let mut before: Vec<(usize, Need)> = Vec::new();
    let mut buf = Vec::new();
    for e in &model.app.nodes {
        let (Some(t), Some(stack)) = (e.kind.typed(), e.stack) else {
            continue;
        };
        t.needs(model.app, &mut buf);
        for need in buf.drain(..) {
            match (&need, top_slot(placement, stack)) {
                (Need::BeforeStack { .. }, Some(slot)) => before.push((slot, need)),
                (Need::BeforeStack { .. }, None) => {}
                _ => found.push(need),
            }
        }
    }
    found.sort();
    found.dedup();

    let mut out = Vec::new();
    let bucket = target.bucket.unwrap_or(TEMPLATE_BUCKET_PLACEHOLDER);
    if stacks.iter().any(|s| s.upload) {
        out.push(Step {
            phase: Phase::Setup,
            title: "Have a bucket for large templates".into(),
            why: format!(
                "Templates over 51,200 bytes deploy through S3 (`--s3-bucket`).{}",
                if target.bucket.is_none() {
                    format!(" No bucket was named at synthesis (`App::set_template_bucket`): create one, and use its name instead of `{TEMPLATE_BUCKET_PLACEHOLDER}` below.")
                } else {
                    String::new()
                }
            ),
            commands: vec![format!(
                "aws s3api head-bucket --bucket {bucket} --region {region} 2>/dev/null || aws s3 mb s3://{bucket} --region {region}"
            )],
        });
    }
    let deploy = |s: &StackEntry| {
        let mut why = Vec::new();
        if s.bootstrap {
            why.push("It creates the organization, which the steps after it need.".to_owned());
        }
        if !s.depends_on.is_empty() {
            why.push(format!("After: {}.", s.depends_on.join(", ")));
        }
        if s.stack_sets > 0 {
            why.push(format!("It deploys {} StackSet(s) to member accounts; the command returns when their instances are created.", s.stack_sets));
        }
        let upload = if s.upload {
            format!(" --s3-bucket {bucket}")
        } else {
            String::new()
        };
        let overrides = parameter_overrides(model, placement, &s.name);
        if !overrides.is_empty() {
            why.push(format!(
                "Its parameters come from the shell variables of the same names ({}), which an earlier step sets.",
                overrides.join(", ")
            ));
        }
        let overrides = if overrides.is_empty() {
            String::new()
        } else {
            let pairs: Vec<String> = overrides.iter().map(|p| format!("{p}=\"${p}\"")).collect();
            format!(" --parameter-overrides {}", pairs.join(" "))
        };
        Step {
            phase: if s.bootstrap { Phase::Bootstrap } else { Phase::Stack },
            title: format!("Deploy stack {}", s.name),
            why: why.join(" "),
            commands: vec![format!(
                "aws cloudformation deploy --region {region} --stack-name {} --template-file {} --capabilities CAPABILITY_NAMED_IAM{upload}{overrides}",
                s.name, s.template
            )],
        }
    };
    out.extend(stacks.iter().filter(|s| s.bootstrap).map(deploy));
    let bootstrapped = stacks.iter().any(|s| s.bootstrap);
    let after_bootstrap = if bootstrapped {
        " It runs once the organization exists (the stack above creates it)."
    } else {
        ""
    };
    for need in &found {
        match need {
            Need::StackSetsTrustedAccess => out.push(Step {
                phase: Phase::BeforeStacks,
                title: "Enable trusted access for StackSets".into(),
                why: format!("Service-managed StackSets deploy to member accounts only with it; CloudFormation cannot enable it.{after_bootstrap}"),
                commands: vec![
                    "aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com".into(),
                    format!("aws cloudformation activate-organizations-access --region {region}"),
                ],
            }),
            Need::TrustedAccess(principal) => out.push(Step {
                phase: Phase::BeforeStacks,
                title: format!("Enable trusted access for {principal}"),
                why: format!("A resource of the stacks works across the organization only with it; CloudFormation cannot enable it.{after_bootstrap}"),
                commands: vec![format!(
                    "aws organizations enable-aws-service-access --service-principal {principal}"
                )],
            }),
            Need::PolicyType(ty) => out.push(Step {
                phase: Phase::BeforeStacks,
                title: format!("Enable the {ty} policy type on the root"),
                why: format!("Policies of this type attach only once it is enabled; CloudFormation cannot enable it. The command does nothing where it is enabled already.{after_bootstrap}"),
                commands: vec![
                    "ROOT_ID=\"$(aws organizations list-roots --query 'Roots[0].Id' --output text)\"".into(),
                    format!(
                        "aws organizations list-roots --query \"Roots[0].PolicyTypes[?Type=='{ty}'].Status\" --output text | grep -q ENABLED || aws organizations enable-policy-type --root-id \"$ROOT_ID\" --policy-type {ty}"
                    ),
                ],
            }),
            Need::ConfirmEmail(_) | Need::BeforeStack { .. } => {}
        }
    }
    out.extend(declared.iter().filter(|s| s.before_stacks).map(|s| Step {
        phase: Phase::BeforeStacks,
        title: s.title.clone(),
        why: s.why.clone(),
        commands: s.commands.clone(),
    }));
    // What exists is imported (`imports`, the import steps) before any stack deploys over
    // it, and before the steps between stacks, which may need it. An import template
    // refers to nothing that does not exist yet, so no stack deploys before the imports.
    out.extend(imports);
    let between = |slot: &str| -> Vec<Step> {
        before
            .iter()
            .filter(|(i, _)| placement.slots[*i].name == slot)
            .filter_map(|(_, need)| match need {
                Need::BeforeStack {
                    title,
                    why,
                    commands,
                } => Some(Step {
                    phase: Phase::BetweenStacks,
                    title: title.clone(),
                    why: why.clone(),
                    commands: commands.clone(),
                }),
                _ => None,
            })
            .collect()
    };
    // A step before a stack that deploys first, or not at all, runs before every stack.
    for s in stacks.iter().filter(|s| s.bootstrap) {
        out.extend(between(&s.name));
    }
    for s in stacks.iter().filter(|s| !s.bootstrap) {
        out.extend(between(&s.name));
        out.push(deploy(s));
    }
    for need in &found {
        if let Need::ConfirmEmail(email) = need {
            out.push(Step {
                phase: Phase::AfterStacks,
                title: format!("Confirm the subscription of {email}"),
                why: format!("SNS sends a confirmation to {email}; messages arrive only once it is confirmed."),
                commands: Vec::new(),
            });
        }
    }
    out.extend(declared.iter().filter(|s| !s.before_stacks).map(|s| Step {
        phase: Phase::AfterStacks,
        title: s.title.clone(),
        why: s.why.clone(),
        commands: s.commands.clone(),
    }));
    // A title says what a step achieves: the same title twice is one step.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|s| seen.insert(s.title.clone()));
    out
}

/// The parameters without a default of the stack `name`: what its deploy command must
/// pass, by logical ID, in declaration order.
fn parameter_overrides(model: &Model<'_>, placement: &Placement, name: &str) -> Vec<String> {
    let Some(slot) = placement.slots.iter().find(|s| s.name == name) else {
        return Vec::new();
    };
    slot.members
        .iter()
        .filter(|&&n| model.parameter(n).is_some_and(|p| p.default.is_none()))
        .map(|&n| {
            model
                .app
                .entry(n)
                .and_then(|e| e.logical_id.clone())
                .unwrap_or_else(|| model.id(n).to_owned())
        })
        .collect()
}

/// The slot whose deployment deploys `stack`: its own for a top-level stack, the slot of
/// the stack holding its StackSet for a member stack.
fn top_slot(placement: &Placement, stack: NodeId) -> Option<usize> {
    let mut i = placement.slots.iter().position(|s| {
        s.stack == stack && matches!(s.kind, SlotKind::TopLevel | SlotKind::Member { .. })
    })?;
    // A member template deploys with the stack holding its StackSet, itself perhaps in a
    // member template: bounded by the number of slots.
    for _ in 0..placement.slots.len() {
        match placement.slots[i].kind {
            SlotKind::Member { carrier } => i = placement.slot_of(carrier)?,
            _ => return Some(i),
        }
    }
    None
}

/// The plan as `deploy-plan.md`.
pub(crate) fn markdown(steps: &[Step], region: &str) -> String {
    let mut out = format!(
        "# Deploy plan\n\nRun from the management account, in this directory, in this order. Every stack deploys to {region}.\n"
    );
    for (n, s) in steps.iter().enumerate() {
        let _ = writeln!(out, "\n## {}. {}", n + 1, s.title);
        if !s.why.is_empty() {
            let _ = write!(out, "\n{}\n", s.why);
        }
        if !s.commands.is_empty() {
            out.push_str("\n```sh\n");
            for c in &s.commands {
                out.push_str(c);
                out.push('\n');
            }
            out.push_str("```\n");
        }
    }
    // Exactly one newline at the end, whatever the last step held.
    out.truncate(out.trim_end_matches('\n').len());
    out.push('\n');
    out
}
