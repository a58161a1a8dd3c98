//! The properties every bucket the library creates has: private, encrypted, versioned.

use super::{Resource, Value};
use crate::obj;

/// `bucket` versioned, encrypted by default with `by_default` (an
/// `ServerSideEncryptionByDefault` object) and a bucket key, never public (every public
/// access block on), its objects owned by the bucket owner (no ACLs).
pub(crate) fn private_bucket(bucket: Resource, by_default: Value) -> Resource {
    bucket
        .property("VersioningConfiguration", obj! { "Status" => "Enabled" })
        .property(
            "BucketEncryption",
            obj! {
                "ServerSideEncryptionConfiguration" => vec![obj! {
                    "ServerSideEncryptionByDefault" => by_default,
                    "BucketKeyEnabled" => true,
                }],
            },
        )
        .property(
            "PublicAccessBlockConfiguration",
            obj! {
                "BlockPublicAcls" => true,
                "BlockPublicPolicy" => true,
                "IgnorePublicAcls" => true,
                "RestrictPublicBuckets" => true,
            },
        )
        .property(
            "OwnershipControls",
            obj! { "Rules" => vec![obj! { "ObjectOwnership" => "BucketOwnerEnforced" }] },
        )
}
