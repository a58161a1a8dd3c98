//! What a resource needs that CloudFormation cannot do: the facts, by resource type, that
//! the deploy plan is derived from. Only literal property values are read.

use super::expr::Value;
use super::template::Resource;

/// Something to do outside CloudFormation for a resource to deploy or to work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Need {
    /// Trusted access for service-managed StackSets
    /// (`aws cloudformation activate-organizations-access`).
    StackSetsTrustedAccess,
    /// Trusted access for a service principal in the organization
    /// (`aws organizations enable-aws-service-access`).
    TrustedAccess(&'static str),
    /// The policy type enabled on the root before a policy of it can attach.
    PolicyType(String),
    /// An e-mail subscription to confirm before its messages arrive.
    ConfirmEmail(String),
    /// A step that needs what an earlier stack created (an account the organization must
    /// hold before it administers a service), run right before the stack of the construct
    /// that declares it.
    BeforeStack {
        /// What the step achieves.
        title: String,
        /// Why it is needed.
        why: String,
        /// The AWS CLI commands, in order.
        commands: Vec<String>,
    },
}

/// The needs of `res`, in a stable order.
pub(crate) fn of(res: &Resource, out: &mut Vec<Need>) {
    let props = &res.properties;
    let literal = |k: &str| props.get(k).and_then(Value::as_str);
    match &*res.resource_type {
        "AWS::CloudFormation::StackSet"
            if literal("PermissionModel") == Some("SERVICE_MANAGED") =>
        {
            out.push(Need::StackSetsTrustedAccess);
        }
        "AWS::Organizations::Policy" => {
            let attached = matches!(props.get("TargetIds").map(Value::get), Some(Value::List(t)) if !t.is_empty());
            if let (true, Some(ty)) = (attached, literal("Type")) {
                out.push(Need::PolicyType(ty.to_owned()));
            }
        }
        "AWS::CloudTrail::Trail" => {
            if matches!(
                props.get("IsOrganizationTrail").map(Value::get),
                Some(Value::Bool(true))
            ) {
                out.push(Need::TrustedAccess("cloudtrail.amazonaws.com"));
            }
        }
        "AWS::Config::OrganizationConfigRule" | "AWS::Config::OrganizationConformancePack" => {
            out.push(Need::TrustedAccess(
                "config-multiaccountsetup.amazonaws.com",
            ));
        }
        "AWS::Config::ConfigurationAggregator"
            if props.contains_key("OrganizationAggregationSource") =>
        {
            out.push(Need::TrustedAccess("config.amazonaws.com"));
        }
        "AWS::SSO::PermissionSet" | "AWS::SSO::Assignment" => {
            out.push(Need::TrustedAccess("sso.amazonaws.com"));
        }
        "AWS::FMS::Policy" => out.push(Need::TrustedAccess("fms.amazonaws.com")),
        "AWS::AccessAnalyzer::Analyzer"
            if literal("Type").is_some_and(|t| t.starts_with("ORGANIZATION")) =>
        {
            out.push(Need::TrustedAccess("access-analyzer.amazonaws.com"));
        }
        "AWS::SNS::Topic" => {
            if let Some(Value::List(subs)) = props.get("Subscription").map(Value::get) {
                for s in subs {
                    let Value::Map(m) = s.get() else { continue };
                    let protocol = m.get("Protocol").and_then(Value::as_str);
                    if let (Some("email" | "email-json"), Some(e)) =
                        (protocol, m.get("Endpoint").and_then(Value::as_str))
                    {
                        out.push(Need::ConfirmEmail(e.to_owned()));
                    }
                }
            }
        }
        "AWS::SNS::Subscription" => {
            if let (Some("email" | "email-json"), Some(e)) =
                (literal("Protocol"), literal("Endpoint"))
            {
                out.push(Need::ConfirmEmail(e.to_owned()));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::Resource;

    fn needs(r: Resource) -> Vec<Need> {
        let mut out = Vec::new();
        of(&r, &mut out);
        out
    }

    #[test]
    fn what_resources_need() {
        let set = Resource::new("AWS::CloudFormation::StackSet")
            .property("PermissionModel", "SERVICE_MANAGED");
        assert_eq!(needs(set), [Need::StackSetsTrustedAccess]);
        let self_managed = Resource::new("AWS::CloudFormation::StackSet")
            .property("PermissionModel", "SELF_MANAGED");
        assert!(needs(self_managed).is_empty());
        let unattached = Resource::new("AWS::Organizations::Policy").property("Type", "TAG_POLICY");
        assert!(needs(unattached).is_empty());
        let attached = Resource::new("AWS::Organizations::Policy")
            .property("Type", "TAG_POLICY")
            .property("TargetIds", vec!["r-ab12"]);
        assert_eq!(needs(attached), [Need::PolicyType("TAG_POLICY".into())]);
        let trail = Resource::new("AWS::CloudTrail::Trail").property("IsOrganizationTrail", true);
        assert_eq!(
            needs(trail),
            [Need::TrustedAccess("cloudtrail.amazonaws.com")]
        );
        let topic = Resource::new("AWS::SNS::Topic").property(
            "Subscription",
            vec![crate::obj! { "Endpoint" => "a@b.example", "Protocol" => "email" }],
        );
        assert_eq!(needs(topic), [Need::ConfirmEmail("a@b.example".into())]);
    }
}
