//! The simulator: the app read once, the principals built from it, and the questions it
//! answers, one request or the whole organization at once.

use super::caller::{Auth, Caller, Kind};
use super::decision::{decide_layers, Decision, Inputs, Layers, Path};
use super::eval::Verdict;
use super::model::{Level, Model, OrgPolicy, MANAGEMENT_ID};
use super::policy::Policy;
use super::request::{Context, Request, Who};
use super::AccessError;
use crate::app::App;
use crate::iam::{keys, GroupHandle, PolicyDocument};
use crate::org::AccountHandle;

/// The services whose resources resource control policies protect.
pub const RCP_SERVICES: [&str; 5] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

/// A role in one account of the simulated organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleId(usize);

/// The access simulator over one app: its organization, SCPs and RCPs, IAM principals
/// and resource policies, evaluated as AWS does.
#[derive(Debug)]
pub struct Simulator {
    pub(super) model: Model,
    full_aws_access: Policy,
    root_access: Policy,
}

impl Simulator {
    /// Reads the app's typed model (no synthesis needed).
    pub fn new(app: &App) -> Simulator {
        Simulator {
            model: Model::new(app),
            full_aws_access: full_access("SCP FullAWSAccess"),
            root_access: full_access("the root user's own permissions"),
        }
    }

    pub(super) fn account_index(&self, account: &AccountHandle) -> Result<usize, AccessError> {
        match account.node() {
            Some(n) => self.model.account_by_node.get(&n).copied(),
            None => super::policy::literal_text(&account.id())
                .and_then(|id| self.model.account_by_id.get(&id).copied()),
        }
        .ok_or_else(|| AccessError::UnknownAccount(format!("{:?}", account.id())))
    }

    /// The id the simulator uses for `account`: its own id for an existing account, a
    /// stand-in (`100000000001`…) for one the app creates, consistent across every policy.
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`] for an account not in the app.
    pub fn account_id(&self, account: &AccountHandle) -> Result<&str, AccessError> {
        Ok(&self.model.accounts[self.account_index(account)?].id)
    }

    /// The ARN the simulator gives `resource` of the app, when it holds a policy of its
    /// own the simulator evaluates: a KMS key is
    /// `arn:aws:kms:<home region>:<account id>:key/<construct id>` (AWS generates the
    /// real key id). `None` for anything else.
    pub fn resource_arn(&self, resource: &impl crate::Scope) -> Option<&str> {
        self.model.arns.get(&resource.node()).map(String::as_str)
    }

    /// The stand-in id of the management account.
    pub fn management_account_id(&self) -> &str {
        MANAGEMENT_ID
    }

    /// The organization id the simulator uses (`None` when unknown).
    pub fn organization_id(&self) -> Option<&str> {
        self.model.org_id.as_deref()
    }

    pub(super) fn principal_context(&self, account: usize, arn: &str, ptype: &str) -> Context {
        let m = &self.model;
        let mut ctx = Context::new()
            .with(keys::PRINCIPAL_ARN.as_str(), arn)
            .with(
                keys::PRINCIPAL_ACCOUNT.as_str(),
                m.accounts[account].id.clone(),
            )
            .with(keys::PRINCIPAL_TYPE.as_str(), ptype)
            .with(keys::SECURE_TRANSPORT.as_str(), "true");
        if m.accounts[account].member {
            if let Some(org) = &m.org_id {
                ctx.set(keys::PRINCIPAL_ORG_ID.as_str(), vec![org.clone()]);
            }
            if let Some(p) = m.org_path(account) {
                ctx.set(keys::PRINCIPAL_ORG_PATHS.as_str(), vec![p]);
            }
        }
        ctx
    }

    fn user_in(&self, account: usize, name: &str, groups: Vec<usize>, auth: Auth) -> Caller {
        let m = &self.model;
        let acct = &m.accounts[account];
        let arn = format!("arn:aws:iam::{}:user/{name}", acct.id);
        let mut ctx = self.principal_context(account, &arn, "User");
        ctx.set(keys::USERNAME.as_str(), vec![name.to_owned()]);
        ctx.set(
            keys::USER_ID.as_str(),
            vec![format!("AIDA{}{}", acct.id, name.to_uppercase())],
        );
        auth.apply(&mut ctx);
        let mut policies = Vec::new();
        let mut names = Vec::new();
        for g in groups {
            policies.extend(m.groups[g].policies.iter().cloned());
            names.push(m.groups[g].name.clone());
        }
        let groups = if names.is_empty() {
            String::new()
        } else {
            format!("groups {}; ", names.join(", "))
        };
        Caller {
            label: format!("user {name} of {} ({groups}{})", acct.name, auth.label()),
            account,
            who: Who::Aws {
                account: acct.id.clone(),
                arn,
                session: None,
            },
            kind: Kind::User,
            auth,
            policies,
            context: ctx,
            boundary: false,
        }
    }

    /// An IAM user `name` of `account`, member of `groups` (the groups' managed and inline
    /// policies are its policies), signing as `auth` says.
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`] for an account not in the app;
    /// [`AccessError::UnknownGroup`] for a group not deployed in that account.
    pub fn user(
        &self,
        account: &AccountHandle,
        name: &str,
        groups: &[&GroupHandle],
        auth: Auth,
    ) -> Result<Caller, AccessError> {
        let account = self.account_index(account)?;
        let mut ids = Vec::new();
        for g in groups {
            let node = crate::app::Scope::node(*g);
            let i = self
                .model
                .groups
                .iter()
                .position(|gi| gi.node == node && gi.account == account)
                .ok_or_else(|| AccessError::UnknownGroup(format!("{node:?}")))?;
            ids.push(i);
        }
        Ok(self.user_in(account, name, ids, auth))
    }

    /// An IAM user `name` of the management account, with the identity policies given.
    pub fn management_user(
        &self,
        name: &str,
        policies: &[(&str, &PolicyDocument)],
        auth: Auth,
    ) -> Caller {
        let mut c = self.user_in(0, name, Vec::new(), auth);
        for (n, d) in policies {
            c = c.with_policy(*n, d);
        }
        c
    }

    /// The root user of `account`; `assumed_root` for a privileged root session opened by
    /// `sts:AssumeRoot` from the management account (`aws:AssumedRoot` is `true`).
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`] for an account not in the app.
    pub fn root(&self, account: &AccountHandle, assumed_root: bool) -> Result<Caller, AccessError> {
        let account = self.account_index(account)?;
        let acct = &self.model.accounts[account];
        let arn = format!("arn:aws:iam::{}:root", acct.id);
        let mut ctx = self.principal_context(account, &arn, "Account");
        if assumed_root {
            ctx.set(keys::ASSUMED_ROOT.as_str(), vec!["true".into()]);
        }
        Ok(Caller {
            label: format!(
                "root user of {}{}",
                acct.name,
                if assumed_root {
                    " (sts:AssumeRoot session)"
                } else {
                    ""
                }
            ),
            account,
            who: Who::Aws {
                account: acct.id.clone(),
                arn,
                session: None,
            },
            kind: Kind::Root,
            auth: Auth::WithMfa { age_seconds: 0 },
            policies: Vec::new(),
            context: ctx,
            boundary: false,
        })
    }

    /// An AWS service (`cloudtrail.amazonaws.com`) acting for the resource `source_arn`
    /// of `source_account` (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`).
    pub fn service(
        &self,
        name: &str,
        source_arn: Option<&str>,
        source_account: Option<&str>,
    ) -> Caller {
        let mut ctx = Context::new()
            .with("aws:PrincipalServiceName", name)
            .with(keys::SECURE_TRANSPORT.as_str(), "true");
        if let Some(a) = source_arn {
            ctx.set(keys::SOURCE_ARN.as_str(), vec![a.to_owned()]);
        }
        if let Some(acct) = source_account {
            ctx.set(keys::SOURCE_ACCOUNT.as_str(), vec![acct.to_owned()]);
            if let (Some(&i), Some(org)) = (self.model.account_by_id.get(acct), &self.model.org_id)
            {
                if self.model.accounts[i].member {
                    ctx.set(keys::SOURCE_ORG_ID.as_str(), vec![org.clone()]);
                }
            }
        }
        Caller {
            label: format!("service {name}"),
            account: 0,
            who: Who::Service(name.to_owned()),
            kind: Kind::Service,
            auth: Auth::LongTermKey,
            policies: Vec::new(),
            context: ctx,
            boundary: false,
        }
    }

    /// The role `name` in `account`.
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`], or [`AccessError::UnknownRole`] when no role of
    /// that name is deployed there.
    pub fn role(&self, account: &AccountHandle, name: &str) -> Result<RoleId, AccessError> {
        let account = self.account_index(account)?;
        self.model
            .roles
            .iter()
            .position(|r| r.account == account && r.name == name)
            .map(RoleId)
            .ok_or_else(|| AccessError::UnknownRole(name.to_owned()))
    }

    /// Every role of every account.
    pub fn roles(&self) -> impl Iterator<Item = RoleId> + '_ {
        (0..self.model.roles.len()).map(RoleId)
    }

    /// The role's ARN.
    ///
    /// A [`RoleId`] of another simulator names no role here: its ARN is `None`.
    pub fn role_arn(&self, role: RoleId) -> Option<String> {
        let r = self.model.roles.get(role.0)?;
        Some(format!(
            "arn:aws:iam::{}:role/{}",
            self.model.accounts[r.account].id, r.name
        ))
    }

    /// The role's name and its account's name (`None` for a role of another simulator).
    pub fn role_name(&self, role: RoleId) -> Option<(&str, &str)> {
        let r = self.model.roles.get(role.0)?;
        Some((&r.name, &self.model.accounts[r.account].name))
    }

    /// The groups of every account: the group's node, its name, its account's name.
    pub fn groups(&self) -> impl Iterator<Item = (GroupId, &str, &str)> + '_ {
        self.model.groups.iter().enumerate().map(|(i, g)| {
            (
                GroupId(i),
                g.name.as_str(),
                self.model.accounts[g.account].name.as_str(),
            )
        })
    }

    /// A user `name` in group `group` (in the group's account).
    ///
    /// # Errors
    /// [`AccessError::UnknownGroup`] for a group of another simulator.
    pub fn user_in_group(
        &self,
        group: GroupId,
        name: &str,
        auth: Auth,
    ) -> Result<Caller, AccessError> {
        let g = self
            .model
            .groups
            .get(group.0)
            .ok_or_else(|| AccessError::UnknownGroup(format!("#{}", group.0)))?;
        Ok(self.user_in(g.account, name, vec![group.0], auth))
    }

    /// May `caller` assume `role` from `region`? An allowed decision carries the session
    /// ([`Decision::session`]), which keeps the caller's MFA context (present, and its age)
    /// and source identity, as AWS carries them through role chaining.
    pub fn assume(&self, caller: &Caller, role: RoleId, region: &str) -> Decision {
        self.assume_as(caller, role, region, None)
    }

    /// As [`assume`](Self::assume), setting the session's source identity
    /// (`sts:SourceIdentity`, kept by every session chained from it).
    pub fn assume_as(
        &self,
        caller: &Caller,
        role: RoleId,
        region: &str,
        source_identity: Option<&str>,
    ) -> Decision {
        let (Some(r), Some(arn)) = (self.model.roles.get(role.0), self.role_arn(role)) else {
            return Decision {
                question: format!("may {} assume role #{}?", caller.label, role.0),
                verdict: Verdict::Unknown,
                decided_by: "nothing: the role is not one of this simulator's".to_owned(),
                steps: Vec::new(),
                session: None,
            };
        };
        let mut req = Request::new("sts:AssumeRole", arn.clone());
        if let Some(si) = source_identity {
            req = req.with("sts:SourceIdentity", si);
        }
        let question = format!(
            "may {} assume role {} in {} ({arn}) from {region}?",
            caller.label, r.name, self.model.accounts[r.account].name
        );
        let inputs = self.inputs_for(caller, req, region, Some((r.account, &r.trust)));
        let mut d = self.decide(&inputs, question);
        if d.verdict == Verdict::Allow {
            d.session = self.session(caller, role, source_identity);
        }
        d
    }

    fn session(
        &self,
        caller: &Caller,
        role: RoleId,
        source_identity: Option<&str>,
    ) -> Option<Caller> {
        let m = &self.model;
        let r = m.roles.get(role.0)?;
        let acct = &m.accounts[r.account];
        let arn = self.role_arn(role)?;
        let session_name = match &caller.who {
            Who::Aws { arn, .. } => arn.rsplit('/').next().unwrap_or("session").to_owned(),
            _ => "session".to_owned(),
        };
        let session = format!(
            "arn:aws:sts::{}:assumed-role/{}/{session_name}",
            acct.id, r.name
        );
        let mut ctx = self.principal_context(r.account, &arn, "AssumedRole");
        ctx.set(
            keys::USER_ID.as_str(),
            vec![format!("AROA{}:{session_name}", acct.id)],
        );
        // Temporary credentials always carry the MFA key: MFA's presence and age pass on.
        let auth = match caller.auth {
            Auth::WithMfa { age_seconds } => Auth::WithMfa { age_seconds },
            _ => Auth::WithoutMfa,
        };
        auth.apply(&mut ctx);
        let si = source_identity.map(str::to_owned).or_else(|| {
            caller
                .context
                .values("aws:SourceIdentity")
                .and_then(|v| v.first().cloned())
        });
        if let Some(si) = si {
            ctx.set("aws:SourceIdentity", vec![si]);
        }
        Some(Caller {
            label: format!(
                "session of role {} in {} (from {})",
                r.name, acct.name, caller.label
            ),
            account: r.account,
            who: Who::Aws {
                account: acct.id.clone(),
                arn,
                session: Some(session),
            },
            kind: Kind::Session,
            auth,
            policies: r.permissions.clone(),
            context: ctx,
            boundary: r.boundary,
        })
    }

    /// May `caller` call `action` on `resource` in `region`?
    pub fn request(&self, caller: &Caller, action: &str, resource: &str, region: &str) -> Decision {
        self.request_with(caller, Request::new(action, resource), region)
    }

    /// As [`request`](Self::request), with the request's own context keys
    /// (`s3:x-amz-acl`, `aws:SecureTransport`…) set on `request`.
    pub fn request_with(&self, caller: &Caller, request: Request, region: &str) -> Decision {
        let question = format!(
            "may {} call {} on {} in {region}?",
            caller.label, request.action, request.resource
        );
        let inputs = self.prepare_request(caller, request, region);
        self.decide(&inputs, question)
    }

    /// The account that owns `resource`: the one its ARN names, else the caller's.
    fn resource_account(&self, resource: &str, caller: &Caller) -> usize {
        let id = resource.split(':').nth(4).unwrap_or_default();
        self.model
            .account_by_id
            .get(id)
            .copied()
            .unwrap_or(caller.account)
    }

    fn level_name(&self, l: Level) -> String {
        match l {
            Level::Root => "the root".to_owned(),
            Level::Ou(o) => format!("OU {}", self.model.ous[o].name),
            Level::Account(a) => format!("account {}", self.model.accounts[a].name),
        }
    }

    fn levels(&self, account: usize) -> Vec<Level> {
        let mut levels = vec![Level::Root];
        levels.extend(
            self.model.accounts[account]
                .chain
                .iter()
                .map(|&o| Level::Ou(o)),
        );
        levels.push(Level::Account(account));
        levels
    }

    fn attached(policies: &[OrgPolicy], level: Level) -> impl Iterator<Item = &Policy> {
        policies
            .iter()
            .filter(move |p| p.targets.contains(&level))
            .map(|p| &p.policy)
    }

    fn inputs_for<'a>(
        &'a self,
        caller: &'a Caller,
        mut req: Request,
        region: &str,
        resource_policy: Option<(usize, &'a Policy)>,
    ) -> Prepared<'a> {
        let m = &self.model;
        let mut ctx = caller.context.clone();
        ctx.set(keys::REQUESTED_REGION.as_str(), vec![region.to_owned()]);
        let resource_account = resource_policy
            .map(|(a, _)| a)
            .unwrap_or_else(|| self.resource_account(&req.resource, caller));
        let racct = &m.accounts[resource_account];
        ctx.set("aws:ResourceAccount", vec![racct.id.clone()]);
        if racct.member {
            if let Some(org) = &m.org_id {
                ctx.set(keys::RESOURCE_ORG_ID.as_str(), vec![org.clone()]);
            }
            if let Some(p) = m.org_path(resource_account) {
                ctx.set(keys::RESOURCE_ORG_PATHS.as_str(), vec![p]);
            }
        }
        ctx.extend(&req.context);
        req.context = ctx;
        req.who = Some(caller.who.clone());

        // SCPs: every level from the root down to the account must allow, none deny.
        let iam_principal = matches!(caller.kind, Kind::User | Kind::Session | Kind::Root);
        let caller_acct = &m.accounts[caller.account];
        let mut scps = Vec::new();
        if iam_principal && caller_acct.member && !caller_acct.management && !m.scps.is_empty() {
            for level in self.levels(caller.account) {
                let mut ps: Vec<&Policy> = Self::attached(&m.scps, level).collect();
                if m.full_aws_access {
                    ps.push(&self.full_aws_access);
                }
                scps.push((level, ps));
            }
        }
        // RCPs: for the resources of member accounts, of the services they cover.
        let service = req
            .action
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut rcps = Vec::new();
        if caller.kind != Kind::Service
            && racct.member
            && !racct.management
            && RCP_SERVICES.contains(&service.as_str())
            && !m.rcps.is_empty()
        {
            for level in self.levels(resource_account) {
                let ps: Vec<&Policy> = Self::attached(&m.rcps, level).collect();
                rcps.push((level, ps));
            }
        }
        // The identity policies; a root user may do anything in its own account.
        let mut identity: Vec<&Policy> = caller.policies.iter().collect();
        if caller.kind == Kind::Root && caller.account == resource_account {
            identity.push(&self.root_access);
        }
        Prepared {
            request: req,
            resource_account,
            same_account: caller.account == resource_account && caller.kind != Kind::Service,
            service: caller.kind == Kind::Service,
            boundary: caller.boundary,
            identity,
            scps,
            rcps,
            resource_policy: resource_policy.map(|(_, p)| p),
        }
    }

    fn public_inputs(&self, p: Prepared<'_>) -> Inputs {
        let levels = |ls: &[(Level, Vec<&Policy>)]| {
            ls.iter()
                .map(|(l, ps)| {
                    (
                        self.level_id(*l),
                        self.level_name(*l),
                        ps.iter().map(|&p| p.clone()).collect(),
                    )
                })
                .collect()
        };
        Inputs {
            resource_account: self.model.accounts[p.resource_account].id.clone(),
            same_account: p.same_account,
            service: p.service,
            boundary: p.boundary,
            identity: p.identity.iter().map(|&p| p.clone()).collect(),
            scps: levels(&p.scps),
            rcps: levels(&p.rcps),
            resource_policy: p.resource_policy.cloned(),
            request: p.request,
        }
    }

    fn level_id(&self, l: Level) -> String {
        match l {
            Level::Root => self.model.root_id.clone().unwrap_or_else(|| "root".into()),
            Level::Ou(o) => self.model.ous[o].id.clone(),
            Level::Account(a) => self.model.accounts[a].id.clone(),
        }
    }

    /// What AWS would evaluate for `request` of `caller` in `region`: the request with
    /// its whole context, and the policies of every layer.
    pub fn request_inputs(&self, caller: &Caller, request: Request, region: &str) -> Inputs {
        self.public_inputs(self.prepare_request(caller, request, region))
    }

    fn prepare_request<'a>(
        &'a self,
        caller: &'a Caller,
        request: Request,
        region: &str,
    ) -> Prepared<'a> {
        let rp = self
            .model
            .resource_policy(&request.resource)
            .map(|rp| (rp.account, &rp.policy));
        self.inputs_for(caller, request, region, rp)
    }

    /// What AWS would evaluate for `caller` assuming `role` from `region`.
    /// `None` for a role of another simulator.
    pub fn assume_inputs(&self, caller: &Caller, role: RoleId, region: &str) -> Option<Inputs> {
        let r = self.model.roles.get(role.0)?;
        let req = Request::new("sts:AssumeRole", self.role_arn(role)?);
        let p = self.inputs_for(caller, req, region, Some((r.account, &r.trust)));
        Some(self.public_inputs(p))
    }

    fn decide(&self, p: &Prepared<'_>, question: String) -> Decision {
        let layers = Layers {
            request: &p.request,
            same_account: p.same_account,
            service: p.service,
            boundary: p.boundary,
            identity: p.identity.clone(),
            scps: p
                .scps
                .iter()
                .map(|(l, ps)| (self.level_name(*l), ps.clone()))
                .collect(),
            rcps: p
                .rcps
                .iter()
                .flat_map(|(_, ps)| ps.iter().copied())
                .collect(),
            resource_policy: p.resource_policy,
        };
        decide_layers(&layers, question)
    }

    /// Every path from a principal of `from` into any role of any account, from `region`:
    /// a user of each of its groups signing as `auth`, and a session of each of its roles
    /// opened as `auth` says. The paths allowed, and those the simulator cannot decide.
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`] for an account not in the app.
    pub fn paths_into_roles(
        &self,
        from: &AccountHandle,
        auth: Auth,
        region: &str,
    ) -> Result<Vec<Path>, AccessError> {
        let from = self.account_index(from)?;
        let mut callers: Vec<(String, Caller)> = Vec::new();
        for (g, group) in self.model.groups.iter().enumerate() {
            if group.account == from {
                let user = self.user_in(from, "someone", vec![g], auth);
                callers.push((format!("group {}", group.name), user));
            }
        }
        // The account's own roles, as sessions opened with `auth`.
        let seed = self.user_in(from, "someone", Vec::new(), auth);
        for (i, r) in self.model.roles.iter().enumerate() {
            if r.account == from {
                if let Some(session) = self.session(&seed, RoleId(i), None) {
                    callers.push((format!("role {}", r.name), session));
                }
            }
        }
        let mut out = Vec::new();
        for (label, caller) in &callers {
            for (i, r) in self.model.roles.iter().enumerate() {
                let d = self.assume(caller, RoleId(i), region);
                if !d.is_denied() {
                    out.push(Path {
                        from: label.clone(),
                        role: r.name.clone(),
                        account: self.model.accounts[r.account].name.clone(),
                        verdict: d.verdict,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The services a resource policy names, each acting for every source its statements
    /// name (`aws:SourceArn`, `aws:SourceOrgID`), and for none.
    fn services_named(&self, policy: &Policy) -> Vec<Caller> {
        let mut out: Vec<Caller> = Vec::new();
        let mut seen: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for st in &policy.statements {
            let names = st
                .principals
                .iter()
                .flatten()
                .filter(|(k, _)| *k == crate::iam::PrincipalKind::Service)
                .filter_map(|(_, v)| v.clone());
            for name in names {
                let mut sources: Vec<(Option<String>, Option<String>)> = vec![(None, None)];
                for c in &st.conditions {
                    for v in c.values.iter().flatten() {
                        if c.key.eq_ignore_ascii_case(keys::SOURCE_ARN.as_str()) {
                            sources.push((Some(v.clone()), None));
                        } else if c.key.eq_ignore_ascii_case(keys::SOURCE_ORG_ID.as_str()) {
                            sources.push((None, Some(v.clone())));
                        }
                    }
                }
                for (arn, org) in sources {
                    let key = (name.clone(), arn.clone(), org.clone());
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    let account = arn
                        .as_deref()
                        .and_then(|a| a.split(':').nth(4))
                        .filter(|a| !a.is_empty());
                    let mut caller = self.service(&name, arn.as_deref(), account);
                    if let Some(org) = org {
                        caller = caller.with_context(keys::SOURCE_ORG_ID.as_str(), org.clone());
                        caller.label = format!("service {name} of organization {org}");
                    } else if let Some(arn) = &arn {
                        caller.label = format!("service {name} for {arn}");
                    }
                    out.push(caller);
                }
            }
        }
        out
    }

    /// Every principal of the organization that may call `action` on `resource` from
    /// `region` (or may: the simulator cannot decide): each role's session, a user of each
    /// group, each account's root user (and its privileged root session), and the services
    /// the resource's policy names, for each source it names them with. Sessions and users
    /// sign in as `auth` says.
    pub fn who_can(&self, request: &Request, region: &str, auth: Auth) -> Vec<(String, Decision)> {
        let mut callers: Vec<Caller> = Vec::new();
        for (i, r) in self.model.roles.iter().enumerate() {
            let seed = self.user_in(r.account, "caller", Vec::new(), auth);
            callers.extend(self.session(&seed, RoleId(i), None));
        }
        for g in 0..self.model.groups.len() {
            callers.push(self.user_in(self.model.groups[g].account, "someone", vec![g], auth));
        }
        for (i, a) in self.model.accounts.iter().enumerate() {
            if !a.member {
                continue;
            }
            for assumed in [false, true] {
                let arn = format!("arn:aws:iam::{}:root", a.id);
                let mut ctx = self.principal_context(i, &arn, "Account");
                if assumed {
                    ctx.set(keys::ASSUMED_ROOT.as_str(), vec!["true".into()]);
                }
                callers.push(Caller {
                    label: format!(
                        "root user of {}{}",
                        a.name,
                        if assumed {
                            " (sts:AssumeRoot session)"
                        } else {
                            ""
                        }
                    ),
                    account: i,
                    who: Who::Aws {
                        account: a.id.clone(),
                        arn,
                        session: None,
                    },
                    kind: Kind::Root,
                    auth,
                    policies: Vec::new(),
                    context: ctx,
                    boundary: false,
                });
            }
        }
        if let Some(rp) = self.model.resource_policy(&request.resource) {
            callers.extend(self.services_named(&rp.policy));
        }
        callers
            .into_iter()
            .filter_map(|c| {
                let d = self.request_with(&c, request.clone(), region);
                (!d.is_denied()).then(|| (c.label.clone(), d))
            })
            .collect()
    }
}

/// A group in one account of the simulated organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(usize);

/// What one decision evaluates, borrowed from the model.
struct Prepared<'a> {
    request: Request,
    resource_account: usize,
    same_account: bool,
    service: bool,
    boundary: bool,
    identity: Vec<&'a Policy>,
    scps: Vec<(Level, Vec<&'a Policy>)>,
    rcps: Vec<(Level, Vec<&'a Policy>)>,
    resource_policy: Option<&'a Policy>,
}

/// AWS's `FullAWSAccess`, and what a root user may do in its own account.
fn full_access(name: &str) -> Policy {
    Policy::literal(
        name,
        &PolicyDocument::new().statement(crate::iam::Statement::allow().action("*").resource("*")),
    )
}
