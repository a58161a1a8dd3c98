//! Adding what an inventory holds to an app, adopted.

use std::collections::HashMap;

use super::inventory::{AccountInfo, Inventory, ParentId, PolicyInfo, TargetId};
use crate::aws::{AccountId, OuId, PolicyId};
use crate::org::{
    Account, AccountHandle, Organization, OrganizationHandle, OrganizationalUnit, OuHandle, Parent,
    Policy, PolicyHandle, PolicyType,
};
use crate::{App, Result, StackHandle};

/// The handles of what [`adopt`] added, to build on.
#[derive(Debug, Clone)]
pub struct Adopted {
    organization: OrganizationHandle,
    ous: Vec<(OuId, String, OuHandle)>,
    accounts: Vec<(AccountId, String, AccountHandle)>,
    policies: Vec<(PolicyId, String, PolicyHandle)>,
}

impl Adopted {
    /// The organization (existing, by its ids).
    pub fn organization(&self) -> OrganizationHandle {
        self.organization
    }

    /// The adopted OU with this id.
    pub fn ou(&self, id: &OuId) -> Option<OuHandle> {
        self.ous
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, _, h)| *h)
    }

    /// The first adopted OU of this name, breadth first from the root.
    pub fn ou_named(&self, name: &str) -> Option<OuHandle> {
        self.ous
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(_, _, h)| *h)
    }

    /// The account with this id: adopted, or referenced (the management account, one that
    /// is suspended or closing).
    pub fn account(&self, id: &AccountId) -> Option<&AccountHandle> {
        self.accounts
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, _, h)| h)
    }

    /// The first account of this name.
    pub fn account_named(&self, name: &str) -> Option<&AccountHandle> {
        self.accounts
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(_, _, h)| h)
    }

    /// The adopted policy with this id.
    pub fn policy(&self, id: &PolicyId) -> Option<PolicyHandle> {
        self.policies
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, _, h)| *h)
    }

    /// The adopted policy of this name.
    pub fn policy_named(&self, name: &str) -> Option<PolicyHandle> {
        self.policies
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(_, _, h)| *h)
    }

    /// Every adopted OU, breadth first from the root.
    pub fn ous(&self) -> impl Iterator<Item = (&OuId, OuHandle)> + '_ {
        self.ous.iter().map(|(i, _, h)| (i, *h))
    }

    /// Every account, adopted or referenced, in the order listed.
    pub fn accounts(&self) -> impl Iterator<Item = (&AccountId, &AccountHandle)> + '_ {
        self.accounts.iter().map(|(i, _, h)| (i, h))
    }

    /// Every adopted policy.
    pub fn policies(&self) -> impl Iterator<Item = (&PolicyId, PolicyHandle)> + '_ {
        self.policies.iter().map(|(i, _, h)| (i, *h))
    }
}

/// How each account is taken: adopted (by `Account::adopt`), or only referenced.
pub(super) fn is_adopted(inventory: &Inventory, a: &AccountInfo) -> bool {
    a.is_active() && a.id != inventory.organization.management_account_id
}

/// The construct id an account gets when its name is not one: names are not unique in an
/// organization and may hold `/`, and accounts share one scope per stack.
pub(super) fn account_ids(inventory: &Inventory) -> Vec<Option<String>> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for a in inventory
        .accounts
        .iter()
        .filter(|a| is_adopted(inventory, a))
    {
        *count.entry(a.name.as_str()).or_default() += 1;
    }
    inventory
        .accounts
        .iter()
        .map(|a| {
            let unique = count.get(a.name.as_str()).copied().unwrap_or(0) <= 1;
            (is_adopted(inventory, a) && (!unique || a.name.contains('/')))
                .then(|| format!("{}-{}", a.name.replace('/', "-"), a.id.as_str()))
        })
        .collect()
}

/// The policies adopted: every one AWS does not manage.
pub(super) fn adopted_policies(inventory: &Inventory) -> impl Iterator<Item = &PolicyInfo> {
    inventory.policies.iter().filter(|p| !p.aws_managed)
}

/// The construct id a policy gets when its name is taken (names are unique per type).
pub(super) fn policy_ids(inventory: &Inventory) -> Vec<Option<String>> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for p in adopted_policies(inventory) {
        *count.entry(p.name.as_str()).or_default() += 1;
    }
    adopted_policies(inventory)
        .map(|p| {
            (count.get(p.name.as_str()).copied().unwrap_or(0) > 1)
                .then(|| format!("{}-{}", p.name, p.id.as_str()))
        })
        .collect()
}

/// Whether AWS's `FullAWSAccess` is attached anywhere (`None` when SCPs are not listed).
pub(super) fn full_aws_access(inventory: &Inventory) -> Option<bool> {
    inventory
        .policies
        .iter()
        .find(|p| {
            p.aws_managed
                && p.policy_type == PolicyType::ServiceControlPolicy
                && p.name == "FullAWSAccess"
        })
        .map(|p| !p.targets.is_empty())
}

/// Adds the organization of `inventory` to `app` under `stack`: the organization as it
/// exists (by its ids), every OU adopted ([`OrganizationalUnit::adopt`]) under its parent,
/// every active member account adopted ([`Account::adopt`]) — the management account and
/// accounts that are suspended or closing are only referenced ([`Account::existing`]) — and
/// every policy AWS does not manage adopted ([`Policy::adopt`], its content as it is) and
/// attached to its targets. Synthesis then imports them all and creates none.
///
/// # Errors
/// As [`App::add`]; a policy target or parent the inventory does not list is reported at
/// synthesis, as every unresolvable reference is.
pub fn adopt(app: &mut App, stack: &StackHandle, inventory: &Inventory) -> Result<Adopted> {
    let mut org = Organization::existing(
        inventory.root.id.as_str(),
        inventory.organization.id.as_str(),
    );
    if let Some(attached) = full_aws_access(inventory) {
        org = org.full_aws_access_attached(attached);
    }
    let organization = app.add(stack, org)?;
    let mut ous: Vec<(OuId, String, OuHandle)> = Vec::with_capacity(inventory.ous.len());
    let mut by_id: HashMap<&str, OuHandle> = HashMap::with_capacity(inventory.ous.len());
    for ou in &inventory.ous {
        let parent = parent_of(&ou.parent, organization, &by_id);
        let construct = OrganizationalUnit::new(&ou.name).adopt(ou.id.as_str());
        let handle = match parent {
            Parent::Root(o) => app.add(&o, construct)?,
            Parent::Ou(p) => app.add(&p, construct)?,
        };
        by_id.insert(ou.id.as_str(), handle);
        ous.push((ou.id.clone(), ou.name.clone(), handle));
    }
    // Targets the listing does not hold (it always does, read by `Inventory::read_dir`):
    // referenced by id.
    for ou in missing_targets(inventory) {
        let handle = app.add(
            &organization,
            OrganizationalUnit::existing(ou.as_str(), ou.as_str()),
        )?;
        by_id.insert(ou.as_str(), handle);
    }
    let mut accounts = Vec::with_capacity(inventory.accounts.len());
    for (a, id) in inventory.accounts.iter().zip(account_ids(inventory)) {
        let handle = if is_adopted(inventory, a) {
            let mut construct = Account::new(&a.name, a.email.as_str()).adopt(a.id.as_str());
            if let Some(id) = id {
                construct = construct.id(id);
            }
            match parent_of(&a.parent, organization, &by_id) {
                Parent::Root(o) => app.add(&o, construct)?,
                Parent::Ou(p) => app.add(&p, construct)?,
            }
        } else {
            Account::existing(a.id.clone())
        };
        accounts.push((a.id.clone(), a.name.clone(), handle));
    }
    let mut policies = Vec::new();
    for (p, id) in adopted_policies(inventory).zip(policy_ids(inventory)) {
        let mut construct =
            Policy::json(&p.name, p.policy_type.clone(), p.content.clone()).adopt(p.id.as_str());
        if !p.description.is_empty() {
            construct = construct.description(&p.description);
        }
        if let Some(id) = id {
            construct = construct.id(id);
        }
        let handle = app.add(&organization, construct)?;
        for t in &p.targets {
            match t {
                TargetId::Root(_) => handle.adopt_attachment(app, &organization),
                TargetId::Ou(ou) => {
                    if let Some(h) = by_id.get(ou.as_str()) {
                        handle.adopt_attachment(app, h);
                    }
                }
                TargetId::Account(acc) => {
                    let account = accounts
                        .iter()
                        .find(|(i, _, _)| i == acc)
                        .map_or_else(|| Account::existing(acc.clone()), |(_, _, h)| h.clone());
                    handle.adopt_attachment(app, &account);
                }
            }
        }
        policies.push((p.id.clone(), p.name.clone(), handle));
    }
    Ok(Adopted {
        organization,
        ous,
        accounts,
        policies,
    })
}

/// The handle of a parent: the root, or an OU added before (the listing is breadth first).
fn parent_of(
    parent: &ParentId,
    organization: OrganizationHandle,
    by_id: &HashMap<&str, OuHandle>,
) -> Parent {
    match parent {
        ParentId::Ou(id) => by_id
            .get(id.as_str())
            .map_or(Parent::Root(organization), |h| Parent::Ou(*h)),
        _ => Parent::Root(organization),
    }
}

/// The OUs adopted policies target that the listing does not hold, in order.
pub(super) fn missing_targets(inventory: &Inventory) -> Vec<&OuId> {
    let mut out: Vec<&OuId> = Vec::new();
    for p in adopted_policies(inventory) {
        for t in &p.targets {
            if let TargetId::Ou(ou) = t {
                if inventory.ou(ou).is_none() && !out.contains(&ou) {
                    out.push(ou);
                }
            }
        }
    }
    out
}
