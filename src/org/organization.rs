//! The organization: created by the stack, or an existing one referenced by its ids.

use crate::app::{App, Construct, StackHandle};
use crate::cfn::{Expr, NodeId, Parameter, Pseudo, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};

use super::checks::{is_organization_id, is_root_id};

/// Context key: whether AWS's `FullAWSAccess` SCP is still attached everywhere (`true` by
/// default; it then counts against the SCPs-per-target quota).
pub const FULL_AWS_ACCESS_CONTEXT: &str = "orgstack:full-aws-access-attached";

/// Longest organization id (`o-` and 32 characters).
pub(crate) const ORG_ID_MAX: usize = 34;
/// Longest root id (`r-` and 32 characters).
pub(crate) const ROOT_ID_MAX: usize = 34;

#[derive(Debug, Clone)]
enum Source {
    Create,
    Existing {
        root_id: String,
        organization_id: String,
    },
}

/// An AWS Organization, created by the management stack or referenced as it exists.
///
/// Most organizations already exist: `AWS::Organizations::Organization` fails where one
/// does, so [`Organization::existing`] references it by its root and organization ids,
/// passed as template parameters. The management account itself is never created.
///
/// ```
/// use orgstack::{App, org::Organization};
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let org = Organization::existing("r-ab12", "o-abcdef1234").build(&mut app, &stack)?;
/// let tpl = app.synth()?.template_json("Management").unwrap().to_owned();
/// assert!(tpl.contains("\"AllowedPattern\": \"^r-[0-9a-z]{4,32}$\""));
/// # let _ = org;
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Organization {
    source: Source,
    full_aws_access: bool,
}

impl Organization {
    /// A new organization with all features enabled, created by the stack.
    pub fn create() -> Self {
        Organization {
            source: Source::Create,
            full_aws_access: true,
        }
    }

    /// The organization that already exists, by its root id (`r-…`) and organization id
    /// (`o-…`). Both become template parameters with these values as defaults.
    pub fn existing(root_id: impl Into<String>, organization_id: impl Into<String>) -> Self {
        Organization {
            source: Source::Existing {
                root_id: root_id.into(),
                organization_id: organization_id.into(),
            },
            full_aws_access: true,
        }
    }

    /// Declares whether AWS's `FullAWSAccess` SCP stays attached to every target (the
    /// default). While attached it counts against the SCPs-per-target quota.
    pub fn full_aws_access_attached(mut self, attached: bool) -> Self {
        self.full_aws_access = attached;
        self
    }

    /// Adds the organization to `stack` (the management account's stack).
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the stack already has an
    /// `Organization`. Invalid ids are reported at synthesis.
    pub fn build(self, app: &mut App, stack: &StackHandle) -> Result<OrganizationHandle> {
        app.set_context(
            FULL_AWS_ACCESS_CONTEXT,
            if self.full_aws_access {
                "true"
            } else {
                "false"
            },
        );
        match self.source {
            Source::Create => {
                let res = Resource::new("AWS::Organizations::Organization")
                    .property("FeatureSet", "ALL")
                    .retain();
                let node = app.add_resource(stack, "Organization", res)?.node();
                Ok(OrganizationHandle {
                    node,
                    stack: *stack,
                    kind: OrgKind::Created,
                })
            }
            Source::Existing {
                root_id,
                organization_id,
            } => {
                let node = app.add_scope(stack, "Organization")?;
                let path = app.path(&node);
                if !is_root_id(&root_id) {
                    app.report(Diagnostic::new(
                        &path,
                        Rule::RootId,
                        &root_id,
                        "a root id must match ^r-[0-9a-z]{4,32}$",
                        "copy the root id from `aws organizations list-roots`",
                    ));
                }
                if !is_organization_id(&organization_id) {
                    app.report(Diagnostic::new(
                        &path,
                        Rule::OrganizationId,
                        &organization_id,
                        "an organization id must match ^o-[a-z0-9]{10,32}$",
                        "copy the id from `aws organizations describe-organization`",
                    ));
                }
                let root = app.add_parameter(
                    &node,
                    "RootId",
                    Parameter::string()
                        .description("Root id of the existing organization")
                        .default_value(root_id)
                        .allowed_pattern("^r-[0-9a-z]{4,32}$")
                        .constraint_description("a root id, e.g. r-ab12"),
                )?;
                let org = app.add_parameter(
                    &node,
                    "OrganizationId",
                    Parameter::string()
                        .description("Id of the existing organization")
                        .default_value(organization_id)
                        .allowed_pattern("^o-[a-z0-9]{10,32}$")
                        .constraint_description("an organization id, e.g. o-abcdef1234"),
                )?;
                Ok(OrganizationHandle {
                    node,
                    stack: *stack,
                    kind: OrgKind::Existing {
                        root: root.node(),
                        org: org.node(),
                    },
                })
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OrgKind {
    Created,
    Existing { root: NodeId, org: NodeId },
}

/// The organization in an app: its ids, and where OUs, accounts and policies are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganizationHandle {
    node: NodeId,
    stack: StackHandle,
    kind: OrgKind,
}

impl Construct for OrganizationHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl OrganizationHandle {
    /// The stack that holds the organization.
    pub fn stack(&self) -> StackHandle {
        self.stack
    }

    /// The organization id (`o-…`).
    pub fn id(&self) -> Expr {
        match self.kind {
            OrgKind::Created => Expr::node_get_att(self.node, "Id", ORG_ID_MAX),
            OrgKind::Existing { org, .. } => Expr::node_ref(org, ORG_ID_MAX),
        }
    }

    /// The root id (`r-…`).
    pub fn root_id(&self) -> Expr {
        match self.kind {
            OrgKind::Created => Expr::node_get_att(self.node, "RootId", ROOT_ID_MAX),
            OrgKind::Existing { root, .. } => Expr::node_ref(root, ROOT_ID_MAX),
        }
    }

    /// The management account's id: the account the management stack deploys to.
    pub fn management_account_id(&self) -> Value {
        Value::from(Pseudo::AccountId)
    }

    /// Whether the stack creates the organization.
    pub fn is_created(&self) -> bool {
        self.kind == OrgKind::Created
    }
}
