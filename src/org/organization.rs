//! The organization: created by the stack, or an existing one referenced by its ids.

use crate::app::{
    any_impls, App, CfnParameter, Check, Construct, Lower, Scope, StackHandle, Typed, View,
};
use crate::cfn::{Expr, NodeId, Parameter, Pseudo, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};

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
/// let org = app.add(&stack, Organization::existing("r-ab12", "o-abcdef1234"))?;
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
    /// (`o-…`). Both become template parameters with these values as defaults; invalid
    /// ids are reported at synthesis.
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
    /// default). While attached it counts against the SCPs-per-target quota. RCPs are not
    /// affected: AWS's `RCPFullAWSAccess` cannot be detached and always counts.
    pub fn full_aws_access_attached(mut self, attached: bool) -> Self {
        self.full_aws_access = attached;
        self
    }
}

/// What the app knows of its organization.
#[derive(Debug, Clone)]
pub(crate) struct OrganizationData {
    source: Source,
    pub(crate) full_aws_access: bool,
}

impl Typed for OrganizationData {
    fn check_all(&self) -> Option<fn(&dyn View, &mut Vec<Diagnostic>)> {
        Some(one_organization)
    }

    fn validate(&self, cx: &mut Check<'_>) {
        if let Source::Existing {
            root_id,
            organization_id,
        } = &self.source
        {
            if let Err(e) = root_id.parse::<crate::aws::RootId>() {
                cx.push(e.to_diagnostic(""));
            }
            if let Err(e) = organization_id.parse::<crate::aws::OrganizationId>() {
                cx.push(e.to_diagnostic(""));
            }
        }
    }
    any_impls!();
}

impl Lower for OrganizationData {
    fn resource_type(&self) -> &'static str {
        "AWS::Organizations::Organization"
    }

    fn lower(&self) -> Resource {
        Resource::new(self.resource_type())
            .property("FeatureSet", "ALL")
            .retain()
    }
}

impl<P: Scope + ?Sized> Construct<P> for Organization {
    type Handle = OrganizationHandle;

    /// Adds the organization under `parent`, in the management account's stack.
    fn build(self, app: &mut App, parent: &P) -> Result<OrganizationHandle> {
        let parent = parent.node();
        let stack = &app.stack_of(&parent).unwrap_or(StackHandle(parent));
        let data = OrganizationData {
            source: self.source.clone(),
            full_aws_access: self.full_aws_access,
        };
        match self.source {
            Source::Create => {
                let node = app.add_typed(parent, "Organization", data);
                // The deploy prerequisites (trusted access, policy types) need the
                // organization: it deploys first, in a bootstrap stack.
                app.set_bootstrap(&node);
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
                let node = app.add_typed_scope(parent, "Organization", data);
                let root = app.add(
                    &node,
                    CfnParameter::new(
                        "RootId",
                        Parameter::string()
                            .description("Root id of the existing organization")
                            .default_value(root_id)
                            .allowed_pattern("^r-[0-9a-z]{4,32}$")
                            .constraint_description("a root id, e.g. r-ab12"),
                    ),
                )?;
                let org = app.add(
                    &node,
                    CfnParameter::new(
                        "OrganizationId",
                        Parameter::string()
                            .description("Id of the existing organization")
                            .default_value(organization_id)
                            .allowed_pattern("^o-[a-z0-9]{10,32}$")
                            .constraint_description("an organization id, e.g. o-abcdef1234"),
                    ),
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

/// An account belongs to one organization: an app describes one.
fn one_organization(model: &dyn View, out: &mut Vec<Diagnostic>) {
    let orgs: Vec<NodeId> = model
        .app()
        .each::<OrganizationData>()
        .map(|(n, _)| n)
        .collect();
    for extra in orgs.iter().skip(1) {
        out.push(Diagnostic::new(
            model.path(*extra),
            Rule::DuplicateId,
            model.path(*extra),
            format!(
                "the app already has an organization, `{}`; a management account has one",
                model.path(orgs[0])
            ),
            "build everything on the one organization handle",
        ));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OrgKind {
    Created,
    Existing { root: NodeId, org: NodeId },
}

/// The organization in an app: its ids, and the parent of its OUs, accounts and policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganizationHandle {
    node: NodeId,
    stack: StackHandle,
    kind: OrgKind,
}

impl Scope for OrganizationHandle {
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

    /// Whether AWS's `FullAWSAccess` SCP is declared attached to every target.
    pub fn full_aws_access_attached(&self, app: &App) -> bool {
        full_aws_access(app, self.node)
    }
}

/// Whether the organization at `node` keeps `FullAWSAccess` attached (true when unknown).
pub(crate) fn full_aws_access(app: &App, node: NodeId) -> bool {
    app.typed::<OrganizationData>(node)
        .is_none_or(|d| d.full_aws_access)
}
