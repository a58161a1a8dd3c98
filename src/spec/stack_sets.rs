//! A spec's StackSets and the managed policies, groups and roles of their member templates.

use indexmap::IndexMap;

use crate::app::{App, StackHandle};
use crate::iam::{Group, ManagedPolicy, ManagedPolicyHandle, ManagedPolicyRef, Role};
use crate::stackset::{AccountFilter, StackSet};

use super::lower::{document, known, unresolved, Names};
use super::policy::child;
use super::sources::{Kind, Sources};
use super::types::{
    AccountFilterSpec, DeploymentTargetSpec, ManagedPolicyRefSpec, OrgSpec, TrustSpec,
};

pub(crate) fn add_stack_sets(
    spec: &OrgSpec,
    app: &mut App,
    scope: &Names,
    sources: &mut Sources,
) -> crate::Result<()> {
    for (i, s) in spec.stack_sets.iter().enumerate() {
        let at = format!("$.stack_sets[{i}]");
        let mut construct = StackSet::new(&s.id, &s.name);
        if let Some(d) = &s.description {
            construct = construct.description(d);
        }
        if let Some(d) = &s.template_description {
            construct = construct.template_description(d);
        }
        for (j, t) in s.targets.iter().enumerate() {
            match t {
                DeploymentTargetSpec::Root => construct = construct.target(&scope.organization),
                DeploymentTargetSpec::Ou(p) => {
                    let source = format!("{}[{j}]", child(&at, "targets"));
                    if let Some(ou) = scope.ou(app, p, source) {
                        construct = construct.target(&ou);
                    }
                }
            }
        }
        let mut accounts = Vec::new();
        for (j, a) in s.accounts.iter().enumerate() {
            let source = format!("{}[{j}]", child(&at, "accounts"));
            accounts.extend(scope.account(app, a, source));
        }
        if !s.accounts.is_empty() {
            let filter = match s.account_filter {
                Some(AccountFilterSpec::Difference) => AccountFilter::Difference,
                Some(AccountFilterSpec::Union) => AccountFilter::Union,
                _ => AccountFilter::Intersection,
            };
            construct = construct.accounts(filter, &accounts);
        }
        if !s.regions.is_empty() {
            construct = construct.regions(s.regions.iter().map(String::as_str));
        }
        if let Some(r) = s.retain_stacks_on_account_removal {
            construct = construct.retain_stacks_on_account_removal(r);
        }
        if let Some(a) = s.auto_deployment {
            construct = construct.auto_deployment(a);
        }
        let handle = app.add(&scope.stack, construct)?;
        sources.add(app, &handle, at.clone(), Kind::StackSet);
        let template = handle.template();
        let mut policies: IndexMap<String, ManagedPolicyHandle> = IndexMap::new();
        for (j, m) in s.managed_policies.iter().enumerate() {
            let mat = format!("{}[{j}]", child(&at, "managed_policies"));
            let Some(doc) = document(app, &template, &m.document, &child(&mat, "document")) else {
                continue;
            };
            let mut construct = ManagedPolicy::new(&m.id, doc);
            if let Some(n) = &m.name {
                construct = construct.name(n);
            }
            if let Some(d) = &m.description {
                construct = construct.description(d);
            }
            if let Some(p) = &m.path {
                construct = construct.path(p);
            }
            let h = app.add(&template, construct)?;
            sources.add(app, &h, mat, Kind::ManagedPolicy);
            policies.insert(m.id.clone(), h);
        }
        for (j, g) in s.groups.iter().enumerate() {
            let gat = format!("{}[{j}]", child(&at, "groups"));
            let mut construct = Group::new(&g.id);
            if let Some(n) = &g.name {
                construct = construct.name(n);
            }
            let refs = managed_refs(app, &template, &policies, &g.managed_policies, &gat);
            construct = construct.managed_policies(refs);
            let h = app.add(&template, construct)?;
            sources.add(app, &h, gat, Kind::Group);
        }
        for (j, r) in s.roles.iter().enumerate() {
            let rat = format!("{}[{j}]", child(&at, "roles"));
            let mut construct = match &r.trust {
                TrustSpec::AccountWithMfa(a) => {
                    let source = child(&child(&rat, "trust"), "account_with_mfa");
                    let Some(account) = scope.account(app, a, source) else {
                        continue;
                    };
                    let role = Role::assumable_with_mfa(&r.id, &account);
                    match r.mfa_max_age {
                        Some(age) => role.mfa_max_age(age),
                        None => role,
                    }
                }
                TrustSpec::Document(json) => {
                    let source = child(&child(&rat, "trust"), "document");
                    match document(app, &template, json, &source) {
                        Some(doc) => Role::new(&r.id, doc),
                        None => continue,
                    }
                }
            };
            if let Some(n) = &r.name {
                construct = construct.name(n);
            }
            if let Some(d) = &r.description {
                construct = construct.description(d);
            }
            if let Some(m) = r.max_session_duration {
                construct = construct.max_session_duration(m);
            }
            let refs = managed_refs(app, &template, &policies, &r.managed_policies, &rat);
            construct = construct.managed_policies(refs);
            if let Some(boundary) = &r.permissions_boundary {
                let at = child(&rat, "permissions_boundary");
                if let Some(b) = managed_ref(app, &template, &policies, boundary, &at) {
                    construct = construct.permissions_boundary(b.arn());
                }
            }
            let mut inline_ok = true;
            for (k, p) in r.inline_policies.iter().enumerate() {
                let source = format!("{}[{k}].document", child(&rat, "inline_policies"));
                match document(app, &template, &p.document, &source) {
                    Some(doc) => construct = construct.inline_policy(&p.name, doc),
                    None => inline_ok = false,
                }
            }
            if !inline_ok {
                continue;
            }
            for (k, v) in &r.tags {
                construct = construct.tag(k, v);
            }
            if let Some(reason) = &r.without_mfa {
                construct = construct.without_mfa(reason);
            }
            let h = app.add(&template, construct)?;
            sources.add(app, &h, rat, Kind::Role);
        }
    }
    Ok(())
}

fn managed_refs(
    app: &mut App,
    template: &StackHandle,
    policies: &IndexMap<String, ManagedPolicyHandle>,
    refs: &[ManagedPolicyRefSpec],
    at: &str,
) -> Vec<ManagedPolicyRef> {
    let list = child(at, "managed_policies");
    refs.iter()
        .enumerate()
        .filter_map(|(k, m)| managed_ref(app, template, policies, m, &format!("{list}[{k}]")))
        .collect()
}

/// A managed policy given at JSON path `at`; one of the StackSet's that it does not define
/// is reported.
fn managed_ref(
    app: &mut App,
    template: &StackHandle,
    policies: &IndexMap<String, ManagedPolicyHandle>,
    m: &ManagedPolicyRefSpec,
    at: &str,
) -> Option<ManagedPolicyRef> {
    match m {
        ManagedPolicyRefSpec::AwsManaged(name) => Some(ManagedPolicyRef::aws_managed(name)),
        ManagedPolicyRefSpec::Arn(arn) => {
            Some(ManagedPolicyRef::Arn(crate::cfn::Value::from(arn.as_str())))
        }
        ManagedPolicyRefSpec::Policy(id) => {
            let found = policies.get(id).map(|h| ManagedPolicyRef::Created(*h));
            if found.is_none() {
                let list = known(policies.keys());
                let what = "managed policy of this StackSet";
                unresolved(app, template, child(at, "policy"), what, id, &list);
            }
            found
        }
    }
}
