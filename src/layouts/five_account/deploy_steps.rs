//! The steps of the deploy plan that CloudFormation cannot do for the layout.

use crate::app::{App, DeployStep};

use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// The deploy plan's manual steps: trusted access and the SCP policy type before the
    /// stacks, confirming the alert subscription (sent to `email`) after.
    pub(super) fn add_deploy_steps(&self, app: &mut App, email: &str) {
        let created = self.existing.is_none();
        let note = if created {
            " The stack creates the organization: create it first with `aws organizations create-organization --feature-set ALL` and build with `.existing_organization(root id, organization id)`, or run this right after the organization exists."
        } else {
            ""
        };
        app.add_deploy_step(DeployStep {
            title: "Enable trusted access for StackSets and CloudTrail".into(),
            why: format!("Service-managed StackSets and the organization trail need it; CloudFormation cannot enable it.{note}"),
            commands: vec![
                "aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com".into(),
                "aws cloudformation activate-organizations-access".into(),
                "aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com".into(),
            ],
            before_stacks: true,
        });
        app.add_deploy_step(DeployStep {
            title: "Enable service control policies on the root".into(),
            why: "SCPs attach only once the policy type is enabled; CloudFormation cannot enable it.".into(),
            commands: vec![
                "aws organizations enable-policy-type --policy-type SERVICE_CONTROL_POLICY --root-id \"$(aws organizations list-roots --query 'Roots[0].Id' --output text)\"".into(),
            ],
            before_stacks: true,
        });
        app.add_deploy_step(DeployStep {
            title: "Confirm the alert subscription".into(),
            why: format!("SNS sends a confirmation to {email}; alerts arrive only once it is confirmed. Console sign-ins are delivered in us-east-1: deploy the stack there to see them."),
            commands: Vec::new(),
            before_stacks: false,
        });
    }
}
