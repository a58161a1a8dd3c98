//! The organization as the simulator reads it from the app's typed model: accounts and
//! where they sit, the SCPs and RCPs of each level, and the IAM principals and resource
//! policies deployed in each account.

use std::collections::HashMap;

use super::builtin;
use super::policy::{literal_text, parse_document, Policy, Resolve, Text};
use crate::app::App;
use crate::cfn::{Expr, NodeId, Pseudo, SubPiece, Target, Value};
use crate::iam::{GroupData, ManagedPolicyData, ManagedPolicyRef, PolicyDocument, RoleData};
use crate::org::{
    AccountData, OrganizationData, OrganizationHandle, OuHandle, Parent, PolicyTargetRef,
    PolicyType,
};
use crate::stackset::{AccountFilter, DeploymentTargetRef};

/// The stand-in id of the management account; member accounts the app creates get
/// `100000000001`, `100000000002`… in declaration order.
pub(crate) const MANAGEMENT_ID: &str = "100000000000";

/// An account of the organization (or one named by id outside it).
#[derive(Debug, Clone)]
pub(crate) struct Acct {
    pub(crate) name: String,
    pub(crate) id: String,
    /// The OUs above it, from the top down (indices into `ous`).
    pub(crate) chain: Vec<usize>,
    pub(crate) management: bool,
    /// Whether it is in the organization.
    pub(crate) member: bool,
    /// The role Organizations creates in it for the management account.
    pub(crate) access_role: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Ou {
    pub(crate) name: String,
    pub(crate) id: String,
}

/// Where an Organizations policy is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Root,
    Ou(usize),
    Account(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct OrgPolicy {
    /// Resolved in the management account, whose stack holds it.
    pub(crate) policy: Policy,
    pub(crate) targets: Vec<Level>,
}

/// A role in one account.
#[derive(Debug, Clone)]
pub(crate) struct RoleInst {
    pub(crate) account: usize,
    pub(crate) name: String,
    pub(crate) trust: Policy,
    pub(crate) permissions: Vec<Policy>,
    pub(crate) boundary: bool,
}

/// A group in one account.
#[derive(Debug, Clone)]
pub(crate) struct GroupInst {
    pub(crate) node: NodeId,
    pub(crate) account: usize,
    pub(crate) name: String,
    pub(crate) policies: Vec<Policy>,
}

/// A resource policy in one account, and the resources it governs.
#[derive(Debug, Clone)]
pub(crate) struct ResourcePolicy {
    pub(crate) account: usize,
    /// Each governed resource: the ARN, and whether what is below it (`arn/…`) is governed
    /// too (a bucket's objects).
    pub(crate) resources: Vec<(Text, bool)>,
    pub(crate) policy: Policy,
}

/// A permission set of IAM Identity Center: the role it becomes in every account it is
/// assigned to.
#[derive(Debug, Clone)]
pub(crate) struct PermissionSetInst {
    pub(crate) name: String,
    /// Its inline policy and managed policies (unknown beyond the built-in table).
    pub(crate) policies: Vec<Policy>,
    /// Whether it has a permissions boundary (not evaluated).
    pub(crate) boundary: bool,
}

/// One assignment of the expanded matrix: a group may use a permission set in an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoGrant {
    /// The group's key.
    pub(crate) group: String,
    /// Index into `permission_sets`.
    pub(crate) set: usize,
    pub(crate) account: usize,
}

/// What the simulator knows of the app.
#[derive(Debug)]
pub(crate) struct Model {
    pub(crate) accounts: Vec<Acct>,
    pub(crate) ous: Vec<Ou>,
    pub(crate) org_id: Text,
    pub(crate) root_id: Text,
    pub(crate) region: String,
    pub(crate) full_aws_access: bool,
    pub(crate) scps: Vec<OrgPolicy>,
    pub(crate) rcps: Vec<OrgPolicy>,
    pub(crate) roles: Vec<RoleInst>,
    pub(crate) groups: Vec<GroupInst>,
    pub(crate) resource_policies: Vec<ResourcePolicy>,
    /// The ARN given to each resource of the app that holds its own policy (a KMS key).
    pub(crate) arns: HashMap<NodeId, String>,
    /// Identity Center's groups (key, display name), permission sets and assignments.
    pub(crate) sso_groups: Vec<(String, String)>,
    pub(crate) permission_sets: Vec<PermissionSetInst>,
    pub(crate) sso_grants: Vec<SsoGrant>,
    pub(crate) account_by_node: HashMap<NodeId, usize>,
    pub(crate) account_by_id: HashMap<String, usize>,
    ou_by_node: HashMap<NodeId, usize>,
    /// The accounts each stack deploys to.
    stack_accounts: HashMap<NodeId, Vec<usize>>,
}

/// Resolves the values of one template as deployed in one account.
pub(crate) struct Resolver<'a> {
    pub(crate) app: &'a App,
    pub(crate) model: &'a Model,
    pub(crate) account: usize,
}

impl Resolve for Resolver<'_> {
    fn text(&self, v: &Value) -> Text {
        match v.get() {
            Value::Expr(e) => self.expr(e),
            other => literal_text(other),
        }
    }
}

impl Resolver<'_> {
    fn pseudo(&self, p: Pseudo) -> Text {
        match p {
            Pseudo::AccountId => Some(self.model.accounts[self.account].id.clone()),
            Pseudo::Region => Some(self.model.region.clone()),
            Pseudo::Partition => Some("aws".to_owned()),
            Pseudo::UrlSuffix => Some("amazonaws.com".to_owned()),
            _ => None,
        }
    }

    fn list(&self, v: &Value) -> Option<Vec<String>> {
        match v.get() {
            Value::List(items) => items.iter().map(|i| self.text(i)).collect(),
            Value::Expr(e) => match &**e {
                Expr::Split(sep, source) => {
                    let s = self.text(source)?;
                    Some(s.split(sep.as_str()).map(str::to_owned).collect())
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn expr(&self, e: &Expr) -> Text {
        match e {
            Expr::Pseudo(p) => self.pseudo(*p),
            Expr::Ref(r) => match &r.target {
                Target::Node(n) => self.node(*n, r.attribute.as_deref()),
                _ => None,
            },
            Expr::Sub(template, vars) => {
                let mut out = String::new();
                for piece in crate::cfn::sub_pieces(template) {
                    match piece {
                        SubPiece::Text(t) => out.push_str(t),
                        SubPiece::Escaped(literal) => {
                            out.push_str("${");
                            out.push_str(literal);
                            out.push('}');
                        }
                        SubPiece::Var(name) => match vars.get(name) {
                            Some(v) => out.push_str(&self.text(v)?),
                            None => {
                                let p = match name {
                                    "AWS::AccountId" => Pseudo::AccountId,
                                    "AWS::Region" => Pseudo::Region,
                                    "AWS::Partition" => Pseudo::Partition,
                                    "AWS::URLSuffix" => Pseudo::UrlSuffix,
                                    // A logical id written as is: not interpreted.
                                    _ => return None,
                                };
                                out.push_str(&self.pseudo(p)?);
                            }
                        },
                        SubPiece::Unclosed(_) => return None,
                    }
                }
                Some(out)
            }
            Expr::Join(sep, parts) => {
                let mut texts = Vec::new();
                for p in parts {
                    match p.get() {
                        Value::List(_) => texts.extend(self.list(p)?),
                        _ => texts.push(self.text(p)?),
                    }
                }
                Some(texts.join(sep))
            }
            Expr::Select(i, list) => self.list(list)?.get(*i as usize).cloned(),
            _ => None,
        }
    }

    /// What a `Ref` (`attr` `None`) or `Fn::GetAtt` of a construct of the app stands for.
    fn node(&self, n: NodeId, attr: Option<&str>) -> Text {
        let app = self.app;
        let model = self.model;
        if let Some(&a) = model.account_by_node.get(&n) {
            return matches!(attr, None | Some("AccountId")).then(|| model.accounts[a].id.clone());
        }
        if app.typed::<OrganizationData>(n).is_some() {
            return match attr {
                Some("Id") => model.org_id.clone(),
                Some("RootId") => model.root_id.clone(),
                _ => None,
            };
        }
        if let Some(&o) = model.ou_by_node.get(&n) {
            return matches!(attr, None | Some("Id")).then(|| model.ous[o].id.clone());
        }
        if let Some(p) = app.parameter(n) {
            return p.default.clone();
        }
        // A resource: in the same account when it is in a member template, else in the
        // management account.
        let account = if app.embedded_in(app.stack_of(&n)?.0).is_some() {
            self.account
        } else {
            0
        };
        let here = Resolver {
            app,
            model,
            account,
        };
        let acct = &model.accounts[account].id;
        let region = &model.region;
        if let Some(role) = app.typed::<RoleData>(n) {
            let name = role.name.as_deref()?;
            return match attr {
                None => Some(name.to_owned()),
                Some("Arn") => Some(format!("arn:aws:iam::{acct}:role/{name}")),
                _ => None,
            };
        }
        if let Some(mp) = app.typed::<ManagedPolicyData>(n) {
            let name = mp.name.as_deref()?;
            return attr
                .is_none()
                .then(|| format!("arn:aws:iam::{acct}:policy/{name}"));
        }
        let res = app.resource(&n)?;
        let prop = |k: &str| res.properties.get(k).and_then(|v| here.text(v));
        match (res.resource_type.as_ref(), attr) {
            ("AWS::S3::Bucket", None) => prop("BucketName"),
            ("AWS::S3::Bucket", Some("Arn")) => {
                Some(format!("arn:aws:s3:::{}", prop("BucketName")?))
            }
            ("AWS::SNS::Topic", None | Some("TopicArn")) => Some(format!(
                "arn:aws:sns:{region}:{acct}:{}",
                prop("TopicName")?
            )),
            ("AWS::CloudTrail::Trail", Some("Arn")) => Some(format!(
                "arn:aws:cloudtrail:{region}:{acct}:trail/{}",
                prop("TrailName")?
            )),
            ("AWS::CloudWatch::Alarm", Some("Arn")) => Some(format!(
                "arn:aws:cloudwatch:{region}:{acct}:alarm:{}",
                prop("AlarmName")?
            )),
            ("AWS::Logs::LogGroup", None) => prop("LogGroupName"),
            ("AWS::Logs::LogGroup", Some("Arn")) => Some(format!(
                "arn:aws:logs:{region}:{acct}:log-group:{}:*",
                prop("LogGroupName")?
            )),
            // A key's id is generated: the simulator names it after its construct.
            ("AWS::KMS::Key", None) => app.id_of(&n).map(str::to_owned),
            ("AWS::KMS::Key", Some("Arn")) => Some(format!(
                "arn:aws:kms:{region}:{acct}:key/{}",
                app.id_of(&n)?
            )),
            ("AWS::IAM::Role", None) => prop("RoleName"),
            ("AWS::IAM::Role", Some("Arn")) => {
                Some(format!("arn:aws:iam::{acct}:role/{}", prop("RoleName")?))
            }
            _ => None,
        }
    }
}

fn ou_chain(app: &App, parent: Parent, index: &HashMap<NodeId, usize>) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut at = parent;
    while let Parent::Ou(ou) = at {
        if let Some(&i) = index.get(&ou.node_id()) {
            chain.insert(0, i);
        }
        match ou.parent(app) {
            Some(p) => at = p,
            None => break,
        }
    }
    chain
}

trait NodeOf {
    fn node_id(&self) -> NodeId;
}

impl NodeOf for OuHandle {
    fn node_id(&self) -> NodeId {
        crate::app::Scope::node(self)
    }
}

impl Model {
    pub(crate) fn new(app: &App) -> Model {
        let mut ous = Vec::new();
        let mut ou_by_node = HashMap::new();
        let mut org: Option<OrganizationHandle> = None;
        for (i, v) in app.ous().enumerate() {
            let node = crate::app::Scope::node(&v.handle());
            ou_by_node.insert(node, i);
            org.get_or_insert(v.handle().organization());
            ous.push(Ou {
                name: v.name().to_owned(),
                id: format!("ou-sim1-{:08}", i + 1),
            });
        }
        let mut accounts = vec![Acct {
            name: "management".to_owned(),
            id: MANAGEMENT_ID.to_owned(),
            chain: Vec::new(),
            management: true,
            member: true,
            access_role: None,
        }];
        let mut account_by_node = HashMap::new();
        for (i, v) in app.accounts().enumerate() {
            let node = v.handle().node();
            if let Parent::Root(o) = v.parent() {
                org.get_or_insert(o);
            }
            let access_role = node.and_then(|n| app.typed::<AccountData>(n)).map(|d| {
                d.role_name
                    .clone()
                    .unwrap_or_else(|| "OrganizationAccountAccessRole".to_owned())
            });
            if let Some(n) = node {
                account_by_node.insert(n, accounts.len());
            }
            accounts.push(Acct {
                name: v.name().to_owned(),
                id: format!("{}", 100_000_000_001u64 + i as u64),
                chain: ou_chain(app, v.parent(), &ou_by_node),
                management: false,
                member: true,
                access_role,
            });
        }
        let account_by_id = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let mut model = Model {
            accounts,
            ous,
            org_id: None,
            root_id: None,
            region: app.home_region().to_owned(),
            full_aws_access: true,
            scps: Vec::new(),
            rcps: Vec::new(),
            roles: Vec::new(),
            groups: Vec::new(),
            resource_policies: Vec::new(),
            arns: HashMap::new(),
            sso_groups: Vec::new(),
            permission_sets: Vec::new(),
            sso_grants: Vec::new(),
            account_by_node,
            account_by_id,
            ou_by_node,
            stack_accounts: HashMap::new(),
        };
        if let Some(o) = org {
            model.full_aws_access = o.full_aws_access_attached(app);
            if o.is_created() {
                model.org_id = Some("o-sim1000000".to_owned());
                model.root_id = Some("r-sim1".to_owned());
            } else {
                let r = Resolver {
                    app,
                    model: &model,
                    account: 0,
                };
                let (org_id, root_id) = (
                    r.text(&Value::from(o.id())),
                    r.text(&Value::from(o.root_id())),
                );
                model.org_id = org_id;
                model.root_id = root_id;
            }
        }
        model.read_org_policies(app);
        let mut stack_accounts = HashMap::new();
        for s in app.stacks() {
            stack_accounts.insert(s.0, vec![0]);
        }
        for set in app.stack_sets() {
            let stack = set.template().0;
            stack_accounts.insert(stack, model.accounts_of_stack(app, stack));
        }
        model.stack_accounts = stack_accounts;
        model.read_principals(app);
        model.read_identity_center(app);
        model
    }

    /// Identity Center's permission sets and its matrix, expanded per account as
    /// synthesis expands it: an organization row assigns every account the app creates,
    /// an OU row every account the app creates below the OU, an account row that account.
    fn read_identity_center(&mut self, app: &App) {
        use crate::services::{AssignmentTarget, CenterData};
        for (_, center) in app.each::<CenterData>() {
            for g in &center.groups {
                if !self.sso_groups.iter().any(|(k, _)| *k == g.0) {
                    self.sso_groups.push(g.clone());
                }
            }
            let r = Resolver {
                app,
                model: self,
                account: 0,
            };
            let mut sets = Vec::new();
            for set in &center.sets {
                let mut policies = Vec::new();
                if let Some(doc) = set.inline() {
                    policies.push(Policy::resolve(
                        format!("inline policy of permission set {}", set.name()),
                        doc,
                        &r,
                    ));
                }
                for m in set.aws_managed_policies() {
                    policies.push(builtin::aws_managed(m));
                }
                for (name, path) in set.customer_managed_policies() {
                    policies.push(builtin::unknown(format!(
                        "customer managed policy {path}{name} (not known to the simulator)"
                    )));
                }
                sets.push(PermissionSetInst {
                    name: set.name().to_owned(),
                    policies,
                    boundary: set.boundary().is_some(),
                });
            }
            let base = self.permission_sets.len();
            self.permission_sets.extend(sets);
            let set_index = |name: &str, sets: &[PermissionSetInst]| {
                sets[base..]
                    .iter()
                    .position(|s| s.name == name)
                    .map(|i| base + i)
            };
            let mut nodes: Vec<Option<NodeId>> = vec![None; self.accounts.len()];
            for (n, &i) in &self.account_by_node {
                if let Some(slot) = nodes.get_mut(i) {
                    *slot = Some(*n);
                }
            }
            let mut grants = Vec::new();
            for (a, acct) in self.accounts.iter().enumerate() {
                let node = nodes[a];
                for row in &center.rows {
                    let applies = match &row.target {
                        AssignmentTarget::Organization(_) => node.is_some(),
                        AssignmentTarget::Ou(ou) => self
                            .ou_by_node
                            .get(&ou.node_id())
                            .is_some_and(|o| acct.chain.contains(o)),
                        AssignmentTarget::Account(h) => match h.node() {
                            Some(n) => node == Some(n),
                            None => literal_text(&h.id()).is_some_and(|id| id == acct.id),
                        },
                        #[allow(unreachable_patterns)]
                        _ => false,
                    };
                    let Some(set) = set_index(&row.set, &self.permission_sets) else {
                        continue;
                    };
                    let grant = SsoGrant {
                        group: row.group.clone(),
                        set,
                        account: a,
                    };
                    if applies && !grants.contains(&grant) {
                        grants.push(grant);
                    }
                }
            }
            // An account row naming an account outside the app's accounts.
            for row in &center.rows {
                if let AssignmentTarget::Account(h) = &row.target {
                    if h.node().is_none() {
                        if let (Some(id), Some(set)) = (
                            literal_text(&h.id()),
                            set_index(&row.set, &self.permission_sets),
                        ) {
                            if !self.account_by_id.contains_key(&id) {
                                let account = self.account_for_id(&id);
                                grants.push(SsoGrant {
                                    group: row.group.clone(),
                                    set,
                                    account,
                                });
                            }
                        }
                    }
                }
            }
            for g in grants {
                if !self.sso_grants.contains(&g) {
                    self.sso_grants.push(g);
                }
            }
        }
    }

    /// The account a literal id names, adding it (outside the organization) if new.
    pub(crate) fn account_for_id(&mut self, id: &str) -> usize {
        if let Some(&i) = self.account_by_id.get(id) {
            return i;
        }
        self.accounts.push(Acct {
            name: id.to_owned(),
            id: id.to_owned(),
            chain: Vec::new(),
            management: false,
            member: false,
            access_role: None,
        });
        let i = self.accounts.len() - 1;
        self.account_by_id.insert(id.to_owned(), i);
        i
    }

    fn read_org_policies(&mut self, app: &App) {
        let mut read = Vec::new();
        for p in app.policies() {
            let Some(doc) = p.document() else { continue };
            let mut targets = Vec::new();
            for t in p.targets() {
                targets.push(match t {
                    PolicyTargetRef::Root(_) => Level::Root,
                    PolicyTargetRef::Ou(ou) => match self.ou_by_node.get(&ou.node_id()) {
                        Some(&i) => Level::Ou(i),
                        None => continue,
                    },
                    PolicyTargetRef::Account(a) => match a.node() {
                        Some(n) => match self.account_by_node.get(&n) {
                            Some(&i) => Level::Account(i),
                            None => continue,
                        },
                        None => match literal_text(&a.id()) {
                            Some(id) => Level::Account(self.account_for_id(&id)),
                            None => continue,
                        },
                    },
                });
            }
            let kind = match p.policy_type() {
                PolicyType::ServiceControlPolicy => "SCP",
                PolicyType::ResourceControlPolicy => "RCP",
                _ => continue,
            };
            read.push((kind, p.name(), doc, targets));
        }
        let mut scps = Vec::new();
        let mut rcps = Vec::new();
        for (kind, name, doc, targets) in read {
            let r = Resolver {
                app,
                model: self,
                account: 0,
            };
            let policy = OrgPolicy {
                policy: Policy::resolve(format!("{kind} {name}"), doc, &r),
                targets,
            };
            if kind == "SCP" {
                scps.push(policy);
            } else {
                rcps.push(policy);
            }
        }
        self.scps = scps;
        self.rcps = rcps;
    }

    /// The accounts a stack deploys to: the management account for the app's own
    /// stacks, the StackSet's target accounts for a member stack.
    fn accounts_of_stack(&self, app: &App, stack: NodeId) -> Vec<usize> {
        if app.embedded_in(stack).is_none() {
            return vec![0];
        }
        let Some(set) = app.stack_sets().find(|s| s.template().0 == stack) else {
            return Vec::new();
        };
        let mut under: Vec<usize> = Vec::new();
        for t in set.targets() {
            for (i, a) in self.accounts.iter().enumerate() {
                let inside = match t {
                    DeploymentTargetRef::Root(_) => a.member && !a.management,
                    DeploymentTargetRef::Ou(ou) => self
                        .ou_by_node
                        .get(&ou.node_id())
                        .is_some_and(|o| a.chain.contains(o)),
                };
                if inside && !under.contains(&i) {
                    under.push(i);
                }
            }
        }
        let (filter, listed) = set.accounts();
        let listed: Vec<usize> = listed
            .iter()
            .filter_map(|a| match a.node() {
                Some(n) => self.account_by_node.get(&n).copied(),
                None => literal_text(&a.id()).and_then(|id| self.account_by_id.get(&id).copied()),
            })
            .collect();
        let mut out: Vec<usize> = match filter {
            Some(AccountFilter::Intersection) => {
                under.into_iter().filter(|a| listed.contains(a)).collect()
            }
            Some(AccountFilter::Difference) => {
                under.into_iter().filter(|a| !listed.contains(a)).collect()
            }
            Some(AccountFilter::Union) => {
                let mut u = under;
                u.extend(listed);
                u
            }
            _ => under,
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    fn deploy_accounts(&self, app: &App, node: NodeId) -> Vec<usize> {
        app.stack_of(&node)
            .and_then(|s| self.stack_accounts.get(&s.0))
            .cloned()
            .unwrap_or_default()
    }

    /// The identity policies of managed policy references and inline documents.
    fn identity_policies(
        &self,
        app: &App,
        account: usize,
        managed: &[ManagedPolicyRef],
        inline: &[(String, PolicyDocument)],
    ) -> Vec<Policy> {
        let r = Resolver {
            app,
            model: self,
            account,
        };
        let mut out = Vec::new();
        for m in managed {
            let named = match m {
                ManagedPolicyRef::Created(h) => {
                    let node = crate::app::Scope::node(h);
                    match app.typed::<ManagedPolicyData>(node) {
                        Some(d) => {
                            let name = d.name.clone().unwrap_or_else(|| app.path(&node));
                            out.push(Policy::resolve(
                                format!("managed policy {name}"),
                                &d.document,
                                &r,
                            ));
                            continue;
                        }
                        None => "a managed policy of another app".to_owned(),
                    }
                }
                ManagedPolicyRef::AwsManaged(name) => name.clone(),
                ManagedPolicyRef::Arn(v) => match r.text(v) {
                    Some(arn) => match arn.split_once(":iam::aws:policy/") {
                        Some((_, name)) => name.to_owned(),
                        None => arn,
                    },
                    None => "a managed policy of unknown ARN".to_owned(),
                },
                #[allow(unreachable_patterns)]
                _ => "a managed policy".to_owned(),
            };
            out.push(builtin::aws_managed(&named));
        }
        for (name, doc) in inline {
            out.push(Policy::resolve(format!("inline policy {name}"), doc, &r));
        }
        out
    }

    fn read_principals(&mut self, app: &App) {
        let mut roles = Vec::new();
        for (node, data) in app.each::<RoleData>() {
            for account in self.deploy_accounts(app, node) {
                let r = Resolver {
                    app,
                    model: self,
                    account,
                };
                let name = data
                    .name
                    .clone()
                    .unwrap_or_else(|| app.id_of(&node).unwrap_or("role").to_owned());
                roles.push(RoleInst {
                    account,
                    trust: Policy::resolve(format!("trust policy of role {name}"), &data.trust, &r),
                    permissions: self.identity_policies(
                        app,
                        account,
                        &data.attachments.managed,
                        &data.attachments.inline,
                    ),
                    boundary: data.permissions_boundary.is_some(),
                    name,
                });
            }
        }
        let mut resource_policies = Vec::new();
        let mut arns = HashMap::new();
        for (node, res) in app.raw_resources() {
            for account in self.deploy_accounts(app, node) {
                let r = Resolver {
                    app,
                    model: self,
                    account,
                };
                let doc = |key: &str| res.properties.get(key).and_then(|v| parse_document(v).ok());
                match res.resource_type.as_ref() {
                    "AWS::IAM::Role" => {
                        let Some(trust) = doc("AssumeRolePolicyDocument") else {
                            continue;
                        };
                        let name = res
                            .properties
                            .get("RoleName")
                            .and_then(|v| r.text(v))
                            .unwrap_or_else(|| app.id_of(&node).unwrap_or("role").to_owned());
                        let inline: Vec<(String, PolicyDocument)> =
                            match res.properties.get("Policies").map(Value::get) {
                                Some(Value::List(ps)) => ps
                                    .iter()
                                    .filter_map(|p| match p.get() {
                                        Value::Map(m) => Some((
                                            m.get("PolicyName")
                                                .and_then(Value::as_str)
                                                .unwrap_or("inline")
                                                .to_owned(),
                                            parse_document(m.get("PolicyDocument")?).ok()?,
                                        )),
                                        _ => None,
                                    })
                                    .collect(),
                                _ => Vec::new(),
                            };
                        roles.push(RoleInst {
                            account,
                            trust: Policy::resolve(
                                format!("trust policy of role {name}"),
                                &trust,
                                &r,
                            ),
                            permissions: self.identity_policies(app, account, &[], &inline),
                            boundary: res.properties.contains_key("PermissionsBoundary"),
                            name,
                        });
                    }
                    "AWS::S3::BucketPolicy" => {
                        let (Some(d), Some(bucket)) = (
                            doc("PolicyDocument"),
                            res.properties.get("Bucket").map(|b| r.text(b)),
                        ) else {
                            continue;
                        };
                        let name = bucket.clone().unwrap_or_else(|| "an unknown bucket".into());
                        resource_policies.push(ResourcePolicy {
                            account,
                            resources: vec![(bucket.map(|b| format!("arn:aws:s3:::{b}")), true)],
                            policy: Policy::resolve(format!("bucket policy of {name}"), &d, &r),
                        });
                    }
                    "AWS::KMS::Key" => {
                        let Some(d) = doc("KeyPolicy") else {
                            continue;
                        };
                        let arn =
                            r.text(&Value::from(crate::cfn::Expr::Ref(crate::cfn::Reference {
                                target: crate::cfn::Target::Node(node),
                                attribute: Some("Arn".into()),
                                max_len: crate::cfn::UNKNOWN_MAX_LEN,
                            })));
                        if let Some(a) = &arn {
                            arns.insert(node, a.clone());
                        }
                        let name = arn.clone().unwrap_or_else(|| "an unknown key".into());
                        resource_policies.push(ResourcePolicy {
                            account,
                            resources: vec![(arn, false)],
                            policy: Policy::resolve(format!("key policy of {name}"), &d, &r),
                        });
                    }
                    "AWS::SNS::TopicPolicy" => {
                        let Some(d) = doc("PolicyDocument") else {
                            continue;
                        };
                        let topics: Vec<(Text, bool)> =
                            match res.properties.get("Topics").map(Value::get) {
                                Some(Value::List(ts)) => {
                                    ts.iter().map(|t| (r.text(t), false)).collect()
                                }
                                _ => Vec::new(),
                            };
                        let name = topics
                            .first()
                            .and_then(|t| t.0.clone())
                            .unwrap_or_else(|| "an unknown topic".into());
                        resource_policies.push(ResourcePolicy {
                            account,
                            resources: topics,
                            policy: Policy::resolve(format!("topic policy of {name}"), &d, &r),
                        });
                    }
                    _ => {}
                }
            }
        }
        // The role Organizations creates in every member account it creates, trusted by
        // the management account, with AdministratorAccess.
        for (account, a) in self.accounts.iter().enumerate() {
            let Some(name) = &a.access_role else { continue };
            let trust = PolicyDocument::new().statement(
                crate::iam::Statement::allow()
                    .principal(crate::iam::Principal::aws(format!(
                        "arn:aws:iam::{MANAGEMENT_ID}:root"
                    )))
                    .action("sts:AssumeRole"),
            );
            roles.push(RoleInst {
                account,
                trust: Policy::literal(format!("trust policy of role {name}"), &trust),
                permissions: vec![builtin::aws_managed("AdministratorAccess")],
                boundary: false,
                name: name.clone(),
            });
        }
        let mut groups = Vec::new();
        for (node, data) in app.each::<GroupData>() {
            for account in self.deploy_accounts(app, node) {
                let name = data
                    .name
                    .clone()
                    .unwrap_or_else(|| app.id_of(&node).unwrap_or("group").to_owned());
                groups.push(GroupInst {
                    node,
                    account,
                    policies: self.identity_policies(
                        app,
                        account,
                        &data.attachments.managed,
                        &data.attachments.inline,
                    ),
                    name,
                });
            }
        }
        self.roles = roles;
        self.groups = groups;
        self.resource_policies = resource_policies;
        self.arns = arns;
    }

    /// The `aws:PrincipalOrgPaths`/`aws:ResourceOrgPaths` value of an account:
    /// `o-…/r-…/ou-…/…/`.
    pub(crate) fn org_path(&self, account: usize) -> Text {
        let a = &self.accounts[account];
        if !a.member {
            return None;
        }
        let mut p = format!("{}/{}/", self.org_id.as_ref()?, self.root_id.as_ref()?);
        for &o in &a.chain {
            p.push_str(&self.ous[o].id);
            p.push('/');
        }
        Some(p)
    }

    /// The resource policy that governs `resource`, if any.
    pub(crate) fn resource_policy(&self, resource: &str) -> Option<&ResourcePolicy> {
        self.resource_policies.iter().find(|rp| {
            rp.resources.iter().any(|(arn, below)| match arn {
                Some(arn) => {
                    resource == arn
                        || (*below
                            && resource
                                .strip_prefix(arn.as_str())
                                .is_some_and(|rest| rest.starts_with('/')))
                }
                None => false,
            })
        })
    }
}
