//! IAM Identity Center: permission sets, and assignments described as a matrix — group ×
//! permission set × OU or account — expanded into `AWS::SSO::Assignment`s for every
//! account the target holds, at synthesis.

use std::collections::BTreeSet;

use crate::app::{
    any_impls, share, App, Aspect, CfnParameter, CfnResource, Check, Construct, Derived,
    ParameterHandle, ResourceHandle, Scope, Spill, Subtree, Typed,
};
use crate::cfn::hash::FastMap;
use crate::cfn::needs::Need;
use crate::cfn::{escape_sub, Expr, NodeId, Parameter, Resource, Value};
use crate::error::{Result, Rule};
use crate::iam::PolicyDocument;
use crate::obj;
use crate::org::{AccountHandle, OrganizationHandle, OuHandle, Parent};

/// How many `AWS::SSO::Assignment`s each template creates at once: Identity Center
/// provisions a permission set into an account for each, and rejects concurrent
/// provisioning of one permission set (`ConflictException`).
pub const ASSIGNMENTS_AT_ONCE: u16 = 5;

/// The overflow group assignments spill into: `<stack>-Assignments-001`…
pub const ASSIGNMENTS_GROUP: &str = "Assignments";

/// The permissions boundary of a permission set's role in every account it is assigned
/// to: an AWS managed policy, or a customer managed policy each account holds under that
/// name and path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PermissionsBoundary {
    /// An AWS managed policy by name, e.g. `PowerUserAccess`.
    AwsManaged(String),
    /// A customer managed policy by name and path (`/` by default), present in every
    /// account assigned (a StackSet can put it there).
    CustomerManaged {
        /// The policy's name.
        name: String,
        /// The policy's path.
        path: String,
    },
}

impl PermissionsBoundary {
    fn to_value(&self) -> Value {
        match self {
            PermissionsBoundary::AwsManaged(name) => {
                obj! { "ManagedPolicyArn" => aws_managed_arn(name) }
            }
            PermissionsBoundary::CustomerManaged { name, path } => obj! {
                "CustomerManagedPolicyReference" => obj! { "Name" => name.as_str(), "Path" => path.as_str() },
            },
        }
    }
}

fn aws_managed_arn(name: &str) -> Value {
    Value::from(Expr::sub(format!(
        "arn:${{AWS::Partition}}:iam::aws:policy/{}",
        escape_sub(name)
    )))
}

/// A permission set: the role Identity Center creates in every account it is assigned to.
///
/// ```
/// use orgstack::iam::{PolicyDocument, Statement};
/// use orgstack::services::{PermissionSet, PermissionsBoundary};
/// let developer = PermissionSet::new("Developer")
///     .description("Builds and runs the workloads")
///     .session_hours(4)
///     .aws_managed_policy("PowerUserAccess")
///     .inline_policy(PolicyDocument::new().statement(
///         Statement::deny().action("iam:CreateUser").resource("*")))
///     .permissions_boundary(PermissionsBoundary::AwsManaged("PowerUserAccess".into()));
/// assert_eq!(developer.name(), "Developer");
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PermissionSet {
    name: String,
    description: Option<String>,
    session_hours: Option<u8>,
    managed: Vec<String>,
    customer_managed: Vec<(String, String)>,
    inline: Option<PolicyDocument>,
    boundary: Option<PermissionsBoundary>,
}

impl PermissionSet {
    /// A permission set named `name` (1 to 32 of `[A-Za-z0-9+=,.@_-]`; the role's name
    /// in every account).
    pub fn new(name: impl Into<String>) -> Self {
        PermissionSet {
            name: name.into(),
            description: None,
            session_hours: None,
            managed: Vec::new(),
            customer_managed: Vec::new(),
            inline: None,
            boundary: None,
        }
    }

    /// The permission set's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its description (at most 700 characters).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// How long a session lasts, 1 to 12 hours (Identity Center's default is 1).
    pub fn session_hours(mut self, hours: u8) -> Self {
        self.session_hours = Some(hours);
        self
    }

    /// Attaches the AWS managed policy `name` (e.g. `ReadOnlyAccess`).
    pub fn aws_managed_policy(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !self.managed.contains(&name) {
            self.managed.push(name);
        }
        self
    }

    /// Attaches the customer managed policy `name` at `path` that every assigned account
    /// holds.
    pub fn customer_managed_policy(
        mut self,
        name: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        self.customer_managed.push((name.into(), path.into()));
        self
    }

    /// The inline policy.
    pub fn inline_policy(mut self, policy: PolicyDocument) -> Self {
        self.inline = Some(policy);
        self
    }

    /// The permissions boundary.
    pub fn permissions_boundary(mut self, boundary: PermissionsBoundary) -> Self {
        self.boundary = Some(boundary);
        self
    }

    fn to_resource(&self, instance: &ParameterHandle) -> Resource {
        let mut r = Resource::new("AWS::SSO::PermissionSet")
            .property("Name", self.name.as_str())
            .property("InstanceArn", instance.value());
        if let Some(d) = &self.description {
            r = r.property("Description", d.as_str());
        }
        if let Some(h) = self.session_hours {
            r = r.property("SessionDuration", format!("PT{h}H"));
        }
        if !self.managed.is_empty() {
            r = r.property(
                "ManagedPolicies",
                self.managed
                    .iter()
                    .map(|m| aws_managed_arn(m))
                    .collect::<Vec<_>>(),
            );
        }
        if !self.customer_managed.is_empty() {
            r = r.property(
                "CustomerManagedPolicyReferences",
                self.customer_managed
                    .iter()
                    .map(|(n, p)| obj! { "Name" => n.as_str(), "Path" => p.as_str() })
                    .collect::<Vec<_>>(),
            );
        }
        if let Some(p) = &self.inline {
            r = r.property("InlinePolicy", p.to_value());
        }
        if let Some(b) = &self.boundary {
            r = r.property("PermissionsBoundary", b.to_value());
        }
        r
    }

    fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let name_ok = (1..=32).contains(&self.name.len())
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !name_ok {
            out.push((
                self.name.clone(),
                "a permission set's name is 1 to 32 letters, digits and +=,.@_-".to_owned(),
            ));
        }
        if let Some(h) = self.session_hours.filter(|h| !(1..=12).contains(h)) {
            out.push((h.to_string(), "a session lasts 1 to 12 hours".to_owned()));
        }
        if self.managed.len() + self.customer_managed.len() > 20 {
            out.push((
                self.name.clone(),
                "a permission set attaches at most 20 managed policies (AWS and customer managed together)".to_owned(),
            ));
        }
        if self
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 700)
        {
            out.push((
                self.name.clone(),
                "a permission set's description is at most 700 characters".to_owned(),
            ));
        }
        if let Some(p) = &self.inline {
            let len = p.minified_len();
            if len > 32_768 {
                out.push((
                    self.name.clone(),
                    format!("the inline policy is {len} characters; Identity Center takes at most 32,768"),
                ));
            }
        }
        out
    }
}

/// Where a row of the assignment matrix assigns: every account of the organization, of an
/// OU (and the OUs below it), or one account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssignmentTarget {
    /// Every account the app creates in the organization.
    Organization(OrganizationHandle),
    /// Every account the app creates below the OU.
    Ou(OuHandle),
    /// One account: created by the app, or existing.
    Account(AccountHandle),
}

impl From<OuHandle> for AssignmentTarget {
    fn from(o: OuHandle) -> Self {
        AssignmentTarget::Ou(o)
    }
}
impl From<&OuHandle> for AssignmentTarget {
    fn from(o: &OuHandle) -> Self {
        AssignmentTarget::Ou(*o)
    }
}
impl From<OrganizationHandle> for AssignmentTarget {
    fn from(o: OrganizationHandle) -> Self {
        AssignmentTarget::Organization(o)
    }
}
impl From<&AccountHandle> for AssignmentTarget {
    fn from(a: &AccountHandle) -> Self {
        AssignmentTarget::Account(a.clone())
    }
}
impl From<AccountHandle> for AssignmentTarget {
    fn from(a: AccountHandle) -> Self {
        AssignmentTarget::Account(a)
    }
}

/// IAM Identity Center's permission sets and assignments, in a top-level stack of the
/// management account.
///
/// The organization instance cannot be created by CloudFormation: the plan says how to
/// enable it, and how to require MFA (a setting of the instance, which no API sets), and
/// reads the instance's ARN and the groups' ids into the stack's parameters
/// (`InstanceArn`, `Group<Name>Id`) before it deploys. Groups are the identity store's
/// (or your identity provider's), named by display name.
///
/// Assignments are a matrix: each [`assign`](Self::assign) row gives a group a permission
/// set in an OU (every account the app creates below it, those added later included), the
/// organization, or one account. Synthesis expands the rows into one
/// `AWS::SSO::Assignment` per group, permission set and account (a pair assigned twice is
/// assigned once), in account order, then row order; each is a unit of its own that
/// spills into `<stack>-Assignments-001`… past the stack's quotas, and each template
/// creates at most [`ASSIGNMENTS_AT_ONCE`] at a time. An assignment's logical ID comes from
/// its group, permission set and account, never from its position: appending accounts
/// only adds assignments. A new row, though, adds assignments in the middle of the order
/// and may move later ones to another stack: add new rows in an `IdentityCenter` of their
/// own, in its own stack.
///
/// What it does not do: accounts not created by the app are assigned only by an
/// [`AssignmentTarget::Account`] row (the app cannot know what an existing OU holds);
/// users are not assigned, only groups; Identity Center's delegated administrator is not
/// used (the stacks deploy in the management account).
///
/// ```
/// use orgstack::{App, layouts::FiveAccountLayout};
/// use orgstack::services::{IdentityCenter, PermissionSet};
/// let mut app = App::new();
/// let management = app.stack("Management")?;
/// let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("aws.acme.example"))?;
/// let sso = app.stack("IdentityCenter")?;
/// app.add(&sso, IdentityCenter::new()
///     .group("developers", "Developers")
///     .permission_set(PermissionSet::new("Developer").aws_managed_policy("PowerUserAccess"))
///     .assign("developers", "Developer", layout.workloads_ou()))?;
/// let assembly = app.synth()?;
/// let t = assembly.template_json("IdentityCenter").unwrap();
/// assert_eq!(t.matches("\"AWS::SSO::Assignment\"").count(), 3); // dev, staging, prod
/// assert!(assembly.deploy_plan().contains("--parameter-overrides InstanceArn=\"$InstanceArn\" GroupDevelopersId=\"$GroupDevelopersId\""));
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct IdentityCenter {
    groups: Vec<(String, String)>,
    permission_sets: Vec<PermissionSet>,
    rows: Vec<(String, String, AssignmentTarget)>,
}

impl IdentityCenter {
    /// No groups, permission sets or assignments yet.
    pub fn new() -> Self {
        IdentityCenter::default()
    }

    /// A group of the identity store: `key` names it in [`assign`](Self::assign) (and
    /// its parameter, `Group<Key>Id`), `display_name` is its name in the identity store.
    pub fn group(mut self, key: impl Into<String>, display_name: impl Into<String>) -> Self {
        self.groups.push((key.into(), display_name.into()));
        self
    }

    /// A permission set.
    pub fn permission_set(mut self, set: PermissionSet) -> Self {
        self.permission_sets.push(set);
        self
    }

    /// A row of the matrix: group `group` gets permission set `permission_set` in every
    /// account of `target`. An unknown group or permission set is reported at synthesis.
    pub fn assign(
        mut self,
        group: impl Into<String>,
        permission_set: impl Into<String>,
        target: impl Into<AssignmentTarget>,
    ) -> Self {
        self.rows
            .push((group.into(), permission_set.into(), target.into()));
        self
    }
}

/// The [`IdentityCenter`] in the app.
#[derive(Debug, Clone)]
pub struct IdentityCenterHandle {
    node: NodeId,
    instance_arn: ParameterHandle,
    groups: Vec<(String, ParameterHandle)>,
    permission_sets: Vec<(String, ResourceHandle)>,
}

impl Scope for IdentityCenterHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl IdentityCenterHandle {
    /// The parameter holding the instance's ARN.
    pub fn instance_arn(&self) -> ParameterHandle {
        self.instance_arn
    }
    /// The parameter holding a group's id, by key.
    pub fn group(&self, key: &str) -> Option<ParameterHandle> {
        self.groups.iter().find(|(k, _)| k == key).map(|(_, p)| *p)
    }
    /// A permission set's resource, by name.
    pub fn permission_set(&self, name: &str) -> Option<ResourceHandle> {
        self.permission_sets
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, r)| *r)
    }
}

/// `developers` → `GroupDevelopersId`.
fn group_parameter(key: &str) -> String {
    let camel: String = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    format!("Group{camel}Id")
}

/// What the tree keeps of an Identity Center: what its plan step needs and checks, and
/// the typed permission sets and matrix the access simulator reads.
#[derive(Debug)]
pub(crate) struct CenterData {
    /// The groups: key and display name.
    pub(crate) groups: Vec<(String, String)>,
    parameters: Vec<String>,
    problems: Vec<(Rule, String, String, String)>,
    /// The permission sets, as declared.
    pub(crate) sets: Vec<PermissionSet>,
    /// The matrix, resolved to nodes; rows added after the construct too.
    pub(crate) rows: Vec<Row>,
}

impl PermissionSet {
    /// The AWS managed policies it attaches, by name.
    pub(crate) fn aws_managed_policies(&self) -> &[String] {
        &self.managed
    }

    /// The customer managed policies it attaches: name and path.
    pub(crate) fn customer_managed_policies(&self) -> &[(String, String)] {
        &self.customer_managed
    }

    /// The inline policy.
    pub(crate) fn inline(&self) -> Option<&PolicyDocument> {
        self.inline.as_ref()
    }

    /// The permissions boundary.
    pub(crate) fn boundary(&self) -> Option<&PermissionsBoundary> {
        self.boundary.as_ref()
    }
}

impl Typed for CenterData {
    fn validate(&self, cx: &mut Check<'_>) {
        for (rule, value, message, hint) in &self.problems {
            cx.report(*rule, value, message.clone(), hint.clone());
        }
    }

    fn needs(&self, app: &App, out: &mut Vec<Need>) {
        let home = app.home_region();
        let mut commands = vec![
            format!("InstanceArn=\"$(aws sso-admin list-instances --region {home} --query 'Instances[0].InstanceArn' --output text)\""),
            format!("IdentityStoreId=\"$(aws sso-admin list-instances --region {home} --query 'Instances[0].IdentityStoreId' --output text)\""),
        ];
        for ((_, display), param) in self.groups.iter().zip(&self.parameters) {
            let id = serde_json::json!({
                "UniqueAttribute": { "AttributePath": "displayName", "AttributeValue": display }
            })
            .to_string();
            commands.push(format!(
                "{param}=\"$(aws identitystore get-group-id --region {home} --identity-store-id \"$IdentityStoreId\" --alternate-identifier {} --query GroupId --output text)\"",
                crate::shell::quote(&id)
            ));
        }
        out.push(Need::BeforeStack {
            title: "Enable IAM Identity Center, require MFA, and read its instance and groups".into(),
            why: format!("CloudFormation cannot create Identity Center's organization instance: enable it once in the management account's console, in {home} (IAM Identity Center → Enable, with AWS Organizations). MFA is a setting of the instance that no API sets: in Settings → Authentication → Multi-factor authentication, prompt users for MFA every time they sign in, and, if they have no MFA device, require them to register one at sign in. Create the groups (or let your identity provider provision them), then read the instance's ARN and the groups' ids for the stack's parameters:"),
            commands,
        });
    }

    any_impls!();
}

/// One row of the matrix, resolved to nodes.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The group's key.
    pub(crate) group: String,
    group_id: NodeId,
    /// The permission set's name.
    pub(crate) set: String,
    set_node: NodeId,
    /// Where it assigns.
    pub(crate) target: AssignmentTarget,
}

/// Expands the matrix of the Identity Center at `center` for every account at synthesis.
#[derive(Debug)]
struct Matrix {
    center: NodeId,
    container: NodeId,
    instance: NodeId,
}

impl Matrix {
    fn assignment(&self, row: &Row, account: Value) -> Resource {
        Resource::new("AWS::SSO::Assignment")
            .property("InstanceArn", Expr::node_ref(self.instance, 1224))
            .property(
                "PermissionSetArn",
                Expr::node_get_att(row.set_node, "PermissionSetArn", 1224),
            )
            .property("PrincipalType", "GROUP")
            .property("PrincipalId", Expr::node_ref(row.group_id, 47))
            .property("TargetType", "AWS_ACCOUNT")
            .property("TargetId", account)
    }
}

impl Aspect for Matrix {
    fn derive(&self, app: &App, part: usize, parts: usize, out: &mut Derived) {
        let Some(data) = app.typed::<CenterData>(self.center) else {
            return;
        };
        let rows = &data.rows;
        let unit = |out: &mut Derived, id: String, r: Resource| {
            out.add_unit(
                self.container,
                id,
                r,
                Spill::Leaf {
                    group: ASSIGNMENTS_GROUP,
                },
                ("SsoAssignments", ASSIGNMENTS_AT_ONCE),
            );
        };
        let mut done: BTreeSet<(String, String, String)> = BTreeSet::new();
        // Existing accounts, named by id, first (in the first part only).
        if part == 0 {
            for row in rows {
                let AssignmentTarget::Account(a) = &row.target else {
                    continue;
                };
                if a.node().is_some() {
                    continue;
                }
                let Some(id) = a.id().as_str().map(str::to_owned) else {
                    continue;
                };
                if done.insert((row.group.clone(), row.set.clone(), id.clone())) {
                    let r = self.assignment(row, a.id());
                    unit(out, format!("{}.{}.{id}", row.group, row.set), r);
                }
            }
        }
        // The OUs' parents, to tell whether an account is below an OU.
        let parents: FastMap<NodeId, Parent> =
            app.ous().map(|o| (o.handle().node(), o.parent())).collect();
        let accounts: Vec<_> = app.accounts().collect();
        for account in share(&accounts, part, parts) {
            let node = account.handle().node();
            let Some(node) = node else { continue };
            let mut chain: Vec<NodeId> = Vec::new();
            let mut organization = None;
            let mut cur = Some(account.parent());
            let mut steps = 0;
            while let Some(p) = cur.take() {
                steps += 1;
                match p {
                    Parent::Root(o) => organization = Some(o),
                    Parent::Ou(ou) => {
                        chain.push(ou.node());
                        if steps <= parents.len() {
                            cur = parents.get(&ou.node()).copied();
                        }
                    }
                }
            }
            let stem = app.path(&node).replace('/', ".");
            let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
            for row in rows {
                let applies = match &row.target {
                    AssignmentTarget::Organization(o) => organization == Some(*o),
                    AssignmentTarget::Ou(ou) => chain.contains(&ou.node()),
                    AssignmentTarget::Account(a) => a.node() == Some(node),
                };
                if applies && seen.insert((&row.group, &row.set)) {
                    let r = self
                        .assignment(row, Value::from(Expr::node_get_att(node, "AccountId", 12)));
                    unit(out, format!("{}.{}.{stem}", row.group, row.set), r);
                }
            }
        }
    }
}

impl<P: Scope + ?Sized> Construct<P> for IdentityCenter {
    type Handle = IdentityCenterHandle;

    fn build(self, app: &mut App, parent: &P) -> Result<IdentityCenterHandle> {
        let mut problems = Vec::new();
        let mut params = Vec::new();
        for (key, _) in &self.groups {
            let name = group_parameter(key);
            if params.contains(&name) {
                problems.push((
                    Rule::DuplicateId,
                    key.clone(),
                    "another group has a key that reads the same".to_owned(),
                    "give every group its own key".to_owned(),
                ));
            }
            params.push(name);
        }
        let mut seen_sets = BTreeSet::new();
        for set in &self.permission_sets {
            if !seen_sets.insert(set.name.clone()) {
                problems.push((
                    Rule::DuplicateName,
                    set.name.clone(),
                    "two permission sets have this name".to_owned(),
                    "give every permission set its own name".to_owned(),
                ));
            }
            for (value, message) in set.problems() {
                problems.push((
                    Rule::PropertyValue,
                    value,
                    message,
                    "see AWS::SSO::PermissionSet".to_owned(),
                ));
            }
        }
        let me = app.add_typed_scope(
            parent.node(),
            "IdentityCenter",
            CenterData {
                groups: self.groups.clone(),
                parameters: params.clone(),
                problems: Vec::new(),
                sets: self.permission_sets.clone(),
                rows: Vec::new(),
            },
        );
        let instance = app.add(
            &me,
            CfnParameter::new(
                "InstanceArn",
                Parameter {
                    description: Some("The ARN of IAM Identity Center's organization instance (aws sso-admin list-instances)".into()),
                    allowed_pattern: Some(
                        "arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}".into(),
                    ),
                    ..Parameter::string()
                },
            ),
        )?;
        let mut groups = Vec::new();
        for ((key, display), name) in self.groups.iter().zip(&params) {
            let p = app.add(
                &me,
                CfnParameter::new(
                    name.clone(),
                    Parameter {
                        description: Some(format!(
                            "The identity store id of the group {display}"
                        )),
                        allowed_pattern: Some("^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$".into()),
                        ..Parameter::string()
                    },
                ),
            )?;
            groups.push((key.clone(), p));
        }
        let sets_scope = app.add(&me, Subtree::new("PermissionSets"))?;
        let mut permission_sets = Vec::new();
        for set in &self.permission_sets {
            let r = app.add(
                &sets_scope,
                CfnResource::new(set.name.clone(), set.to_resource(&instance)),
            )?;
            permission_sets.push((set.name.clone(), r));
        }
        let container = app.add(&me, Subtree::new("Assignments"))?;
        if let Some(data) = app.typed_mut::<CenterData>(me, "IdentityCenter") {
            data.problems = problems;
        }
        app.add_aspect(Matrix {
            center: me,
            container: container.node(),
            instance: instance.node(),
        });
        let handle = IdentityCenterHandle {
            node: me,
            instance_arn: instance,
            groups,
            permission_sets,
        };
        for (group, set, target) in self.rows {
            handle.assign(app, group, set, target);
        }
        Ok(handle)
    }
}

impl IdentityCenterHandle {
    /// Adds a row to the matrix after the construct was added: group `group` gets
    /// permission set `permission_set` in every account of `target`. An unknown group
    /// or permission set is reported at synthesis.
    pub fn assign(
        &self,
        app: &mut App,
        group: impl Into<String>,
        permission_set: impl Into<String>,
        target: impl Into<AssignmentTarget>,
    ) {
        let (group, set, target) = (group.into(), permission_set.into(), target.into());
        let g = self.group(&group);
        let s = self.permission_set(&set);
        let Some(data) = app.typed_mut::<CenterData>(self.node, "IdentityCenterHandle::assign")
        else {
            return;
        };
        match (g, s) {
            (Some(g), Some(s)) => data.rows.push(Row {
                group,
                group_id: g.node(),
                set,
                set_node: s.node(),
                target,
            }),
            (None, _) => data.problems.push((
                Rule::PropertyValue,
                group,
                "the matrix assigns a group the Identity Center does not declare".to_owned(),
                "declare it with `.group(key, display_name)`".to_owned(),
            )),
            (_, None) => data.problems.push((
                Rule::PropertyValue,
                set,
                "the matrix assigns a permission set the Identity Center does not declare"
                    .to_owned(),
                "declare it with `.permission_set(…)`".to_owned(),
            )),
        }
    }
}
