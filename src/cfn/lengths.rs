//! The longest value each resource type's `Ref` and `Fn::GetAtt` attributes can resolve
//! to, for size accounting: a reference counts at its worst case wherever a size is checked
//! (a policy document against its quota, a template against 1 MB).
//!
//! ARNs are counted with the longest partition (`aws-iso-b`, `aws-us-gov`: 10), region (20,
//! as [`Pseudo::Region`](super::Pseudo::Region)) and a 12-digit account; names at the longest
//! each resource schema allows. A type or attribute not listed counts as
//! [`UNKNOWN_MAX_LEN`] (2,048, the longest IAM ARN).

use super::UNKNOWN_MAX_LEN;

/// `arn:` + partition + `:` + service + `:` + region + `:` + account + `:`, before the
/// resource part.
const fn arn(service: &str, region: bool, account: bool) -> usize {
    4 + 10
        + 1
        + service.len()
        + 1
        + if region { 20 } else { 0 }
        + 1
        + if account { 12 } else { 0 }
        + 1
}

/// The worst cases of one resource type.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TypeLengths {
    /// The resource type, e.g. `AWS::SNS::Topic`.
    pub resource_type: &'static str,
    /// What `Ref` returns, at its longest.
    pub reference: usize,
    /// Each `Fn::GetAtt` attribute, at its longest.
    pub attributes: &'static [(&'static str, usize)],
}

impl TypeLengths {
    /// The longest value of `Fn::GetAtt` of `attribute`; [`UNKNOWN_MAX_LEN`] for one not
    /// listed.
    pub fn attribute(&self, attribute: &str) -> usize {
        self.attributes
            .iter()
            .find(|(a, _)| *a == attribute)
            .map_or(UNKNOWN_MAX_LEN, |(_, len)| *len)
    }
}

const IAM_PATH: usize = 512;

/// Every type whose worst cases are known, by type name.
pub static TYPES: &[TypeLengths] = &[
    TypeLengths {
        resource_type: "AWS::CloudFormation::StackSet",
        // StackSetId: name (128) + `:` + UUID.
        reference: 128 + 1 + 36,
        attributes: &[("StackSetId", 128 + 1 + 36)],
    },
    TypeLengths {
        resource_type: "AWS::CloudTrail::Trail",
        reference: 128,
        attributes: &[
            ("Arn", arn("cloudtrail", true, true) + "trail/".len() + 128),
            ("SnsTopicArn", arn("sns", true, true) + 256),
        ],
    },
    TypeLengths {
        resource_type: "AWS::CloudWatch::Alarm",
        reference: 255,
        attributes: &[("Arn", arn("cloudwatch", true, true) + "alarm:".len() + 255)],
    },
    TypeLengths {
        resource_type: "AWS::IAM::Group",
        reference: 128,
        attributes: &[(
            "Arn",
            arn("iam", false, true) + "group".len() + IAM_PATH + 128,
        )],
    },
    TypeLengths {
        resource_type: "AWS::IAM::ManagedPolicy",
        // The policy's ARN.
        reference: arn("iam", false, true) + "policy".len() + IAM_PATH + 128,
        attributes: &[
            (
                "PolicyArn",
                arn("iam", false, true) + "policy".len() + IAM_PATH + 128,
            ),
            ("PolicyId", 128),
        ],
    },
    TypeLengths {
        resource_type: "AWS::IAM::Role",
        reference: 64,
        attributes: &[
            (
                "Arn",
                arn("iam", false, true) + "role".len() + IAM_PATH + 64,
            ),
            ("RoleId", 128),
        ],
    },
    TypeLengths {
        resource_type: "AWS::KMS::Alias",
        reference: 256,
        attributes: &[],
    },
    TypeLengths {
        resource_type: "AWS::KMS::Key",
        // A key id: a UUID, or `mrk-` and 32 hex digits.
        reference: 36,
        attributes: &[
            ("Arn", arn("kms", true, true) + "key/".len() + 36),
            ("KeyId", 36),
        ],
    },
    TypeLengths {
        resource_type: "AWS::Logs::LogGroup",
        reference: 512,
        attributes: &[(
            "Arn",
            arn("logs", true, true) + "log-group:".len() + 512 + ":*".len(),
        )],
    },
    TypeLengths {
        resource_type: "AWS::S3::Bucket",
        reference: 63,
        attributes: &[
            ("Arn", arn("s3", false, false) + 63),
            // `<bucket>.s3.amazonaws.com.cn`
            ("DomainName", 63 + ".s3.amazonaws.com.cn".len()),
            (
                "RegionalDomainName",
                63 + ".s3.".len() + 20 + ".amazonaws.com.cn".len(),
            ),
        ],
    },
    TypeLengths {
        resource_type: "AWS::SNS::Topic",
        // The topic's ARN.
        reference: arn("sns", true, true) + 256,
        attributes: &[
            ("TopicArn", arn("sns", true, true) + 256),
            ("TopicName", 256),
        ],
    },
    TypeLengths {
        resource_type: "AWS::SQS::Queue",
        // The queue's URL: `https://sqs.<region>.amazonaws.com.cn/<account>/<name>`.
        reference: "https://sqs.".len() + 20 + ".amazonaws.com.cn/".len() + 12 + 1 + 80,
        attributes: &[
            ("Arn", arn("sqs", true, true) + 80),
            ("QueueName", 80),
            (
                "QueueUrl",
                "https://sqs.".len() + 20 + ".amazonaws.com.cn/".len() + 12 + 1 + 80,
            ),
        ],
    },
];

/// What a type not listed counts as.
pub static UNKNOWN: TypeLengths = TypeLengths {
    resource_type: "",
    reference: UNKNOWN_MAX_LEN,
    attributes: &[],
};

/// The worst cases of `resource_type`; [`UNKNOWN`] for a type not listed.
///
/// ```
/// use orgstack::cfn::lengths;
/// let topic = lengths::of("AWS::SNS::Topic");
/// assert_eq!(topic.reference, "arn:aws-us-gov:sns:".len() + 20 + 1 + 12 + 1 + 256);
/// assert_eq!(topic.attribute("TopicName"), 256);
/// assert_eq!(lengths::of("Custom::Thing").reference, orgstack::cfn::UNKNOWN_MAX_LEN);
/// ```
pub fn of(resource_type: &str) -> &'static TypeLengths {
    TYPES
        .iter()
        .find(|t| t.resource_type == resource_type)
        .unwrap_or(&UNKNOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_count_the_longest_partition_region_and_account() {
        // arn:aws-us-gov:iam::123456789012:role + path + name
        let role = of("AWS::IAM::Role").attribute("Arn");
        assert_eq!(
            role,
            "arn:aws-us-gov:iam::123456789012:role".len() + 512 + 64
        );
        assert_eq!(
            of("AWS::S3::Bucket").attribute("Arn"),
            "arn:aws-us-gov:s3:::".len() + 63
        );
        assert_eq!(of("AWS::IAM::Role").attribute("Nothing"), UNKNOWN_MAX_LEN);
    }

    #[test]
    fn every_type_is_listed_once_in_order() {
        let names: Vec<&str> = TYPES.iter().map(|t| t.resource_type).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }
}
