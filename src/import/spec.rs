//! Writing the spec that adopts an inventory, as [`adopt`](super::adopt) does.

use std::collections::{HashMap, HashSet};

use super::adopt::{
    account_ids, adopted_policies, full_aws_access, is_adopted, missing_targets, policy_ids,
};
use super::inventory::{Inventory, ParentId, TargetId};
use crate::org::PolicyType;
use crate::spec::{
    AccountSpec, ExistingAccountSpec, Json, OrgSpec, OrganizationSpec, OuSpec, PolicySpec,
    PolicyTargetSpec,
};

/// The [`OrgSpec`] of the organization of `inventory` as it exists, which lowers onto
/// exactly what [`adopt`](super::adopt) adds to an app (the same files at synthesis): the
/// organization by its ids; every OU with `adopt` and its id, under its parent; every active
/// member account with `adopt` and its id; the management account and accounts that are
/// suspended or closing in `existing_accounts`, by id, only referenced; every policy AWS
/// does not manage with `adopt`, its content as it is and its attachments in
/// `adopted_targets`; an OU a policy targets that the listing does not hold as `existing`.
///
/// OUs are named by their path from the root, unless a name holds a `/` (then by their
/// id, as everything else the spec adopts can be); policy targets name accounts by id. The
/// stack is the spec's default (`Management`): set `stack` for another. Write it with
/// [`OrgSpec::to_json`].
///
/// ```
/// use orgstack::import::{self, Inventory};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/moto");
/// let spec = import::to_spec(&Inventory::read_dir(dir)?);
/// let json = spec.to_json()?;
/// assert!(json.contains("\"adopt\": \"ou-"));
/// let assembly = orgstack::spec::OrgSpec::from_json(&json)?.to_app()?.synth()?;
/// assert!(assembly.deploy_plan().contains("--change-set-type IMPORT"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_spec(inventory: &Inventory) -> OrgSpec {
    let mut spec = OrgSpec {
        organization: Some(OrganizationSpec::Existing {
            root_id: inventory.root.id.as_str().to_owned(),
            organization_id: inventory.organization.id.as_str().to_owned(),
            full_aws_access_attached: full_aws_access(inventory).filter(|a| !a),
        }),
        ..OrgSpec::default()
    };

    // How the spec refers to each OU: its path from the root, or its id when a path would
    // not name it alone.
    let mut refs: HashMap<&str, String> = HashMap::with_capacity(inventory.ous.len());
    // The path each OU has in the spec, whether it is referred to by it or by its id.
    let mut paths: HashMap<&str, String> = HashMap::with_capacity(inventory.ous.len());
    let mut taken: HashSet<String> = HashSet::with_capacity(inventory.ous.len());
    for ou in &inventory.ous {
        let parent = parent_ref(&ou.parent, &refs);
        let path = match &ou.parent {
            ParentId::Ou(p) if parent.is_some() => {
                format!(
                    "{}/{}",
                    paths.get(p.as_str()).map_or("", String::as_str),
                    ou.name
                )
            }
            _ => ou.name.clone(),
        };
        paths.insert(ou.id.as_str(), path.clone());
        // By path if its name and every name above it is plain, and the path names it alone.
        let parent_by_path = match &ou.parent {
            ParentId::Ou(p) => refs.get(p.as_str()) == paths.get(p.as_str()),
            _ => true,
        };
        let plain = !ou.name.is_empty() && !ou.name.contains('/') && !ou.name.starts_with("ou-");
        let by_path = parent_by_path && plain && taken.insert(path.clone());
        refs.insert(
            ou.id.as_str(),
            if by_path {
                path
            } else {
                ou.id.as_str().to_owned()
            },
        );
        spec.organizational_units.push(OuSpec {
            name: ou.name.clone(),
            parent,
            adopt: Some(ou.id.as_str().to_owned()),
            existing: None,
            tags: Default::default(),
        });
    }
    for ou in missing_targets(inventory) {
        refs.insert(ou.as_str(), ou.as_str().to_owned());
        spec.organizational_units.push(OuSpec {
            name: ou.as_str().to_owned(),
            parent: None,
            adopt: None,
            existing: Some(ou.as_str().to_owned()),
            tags: Default::default(),
        });
    }

    let mut names: HashSet<&str> = HashSet::new();
    for (a, id) in inventory.accounts.iter().zip(account_ids(inventory)) {
        if is_adopted(inventory, a) {
            names.insert(&a.name);
            spec.accounts.push(AccountSpec {
                name: a.name.clone(),
                email: a.email.as_str().to_owned(),
                ou: parent_ref(&a.parent, &refs),
                id,
                adopt: Some(a.id.as_str().to_owned()),
                role_name: None,
                tags: Default::default(),
            });
        }
    }
    // The accounts only referenced, by a key of their own: the name, unless an account of
    // the spec has it.
    let mut keys: HashSet<String> = HashSet::new();
    for a in inventory
        .accounts
        .iter()
        .filter(|a| !is_adopted(inventory, a))
    {
        let key = [a.name.clone(), format!("{}-{}", a.name, a.id.as_str())]
            .into_iter()
            .find(|k| !names.contains(k.as_str()) && !keys.contains(k));
        if let Some(key) = key {
            keys.insert(key.clone());
            spec.existing_accounts.push(ExistingAccountSpec {
                key,
                id: a.id.as_str().to_owned(),
            });
        }
    }

    for (p, id) in adopted_policies(inventory).zip(policy_ids(inventory)) {
        let adopted_targets = p
            .targets
            .iter()
            .map(|t| match t {
                TargetId::Root(_) => PolicyTargetSpec::Root,
                TargetId::Ou(ou) => PolicyTargetSpec::Ou(
                    refs.get(ou.as_str())
                        .cloned()
                        .unwrap_or_else(|| ou.as_str().to_owned()),
                ),
                TargetId::Account(a) => PolicyTargetSpec::Account(a.as_str().to_owned()),
            })
            .collect();
        spec.policies.push(PolicySpec {
            name: p.name.clone(),
            policy_type: (p.policy_type != PolicyType::ServiceControlPolicy)
                .then(|| p.policy_type.as_str().to_owned()),
            id,
            description: (!p.description.is_empty()).then(|| p.description.clone()),
            adopt: Some(p.id.as_str().to_owned()),
            document: Json(p.content.clone()),
            adopted_targets,
            targets: Vec::new(),
        });
    }
    spec
}

/// How the spec refers to a parent: `None` for the root, and, as [`adopt`](super::adopt)
/// takes it, for an OU the listing does not hold.
fn parent_ref(parent: &ParentId, refs: &HashMap<&str, String>) -> Option<String> {
    match parent {
        ParentId::Ou(id) => refs.get(id.as_str()).cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{AccountInfo, OrganizationInfo, OuInfo, PolicyInfo, RootInfo};
    use crate::App;

    fn root() -> ParentId {
        ParentId::Root("r-ab12".parse().unwrap())
    }

    fn ou(id: &str, name: &str, parent: ParentId) -> OuInfo {
        OuInfo {
            id: id.parse().unwrap(),
            name: name.into(),
            parent,
        }
    }

    fn account(id: &str, name: &str, status: &str, parent: ParentId) -> AccountInfo {
        AccountInfo {
            id: id.parse().unwrap(),
            name: name.into(),
            email: format!("a{id}@acme.example").parse().unwrap(),
            status: status.into(),
            parent,
        }
    }

    fn under(id: &str) -> ParentId {
        ParentId::Ou(id.parse().unwrap())
    }

    fn policy(id: &str, name: &str, aws: bool, targets: Vec<TargetId>) -> PolicyInfo {
        PolicyInfo {
            id: id.parse().unwrap(),
            name: name.into(),
            description: String::new(),
            policy_type: PolicyType::ServiceControlPolicy,
            aws_managed: aws,
            content: crate::obj! {
                "Version" => "2012-10-17",
                "Statement" => vec![crate::obj! { "Effect" => "Deny", "Action" => "s3:*", "Resource" => "*" }],
            },
            targets,
        }
    }

    /// An organization with what paths cannot name alone: an OU named like an id, with a
    /// child `C` as `A/B` has; two accounts of one name; an account name with a `/`; a
    /// suspended account; a policy on an OU the listing lacks and on accounts;
    /// `FullAWSAccess` detached everywhere. (OU names with a `/` are not construct ids,
    /// and are not imported either way.)
    fn awkward() -> Inventory {
        let ids = ["ou-ab12-00000001", "ou-ab12-00000002", "ou-ab12-00000003"];
        Inventory {
            organization: OrganizationInfo {
                id: "o-abcdef1234".parse().unwrap(),
                feature_set: "ALL".into(),
                management_account_id: "111111111111".parse().unwrap(),
            },
            root: RootInfo {
                id: "r-ab12".parse().unwrap(),
                policy_types: vec![PolicyType::ServiceControlPolicy],
            },
            ous: vec![
                ou(ids[0], "A", root()),
                ou(ids[1], "ou-ab12-00000004", root()),
                ou(ids[2], "B", under(ids[0])),
                ou("ou-ab12-00000005", "C", under(ids[1])),
                ou("ou-ab12-00000006", "C", under(ids[2])),
            ],
            accounts: vec![
                account("111111111111", "Management", "ACTIVE", root()),
                account("222222222222", "Dev", "ACTIVE", under("ou-ab12-00000005")),
                account("333333333333", "Dev", "ACTIVE", under("ou-ab12-00000006")),
                account("444444444444", "Dev", "SUSPENDED", root()),
                account("555555555555", "Team/Web", "ACTIVE", under(ids[1])),
            ],
            policies: vec![
                policy("p-full0001", "FullAWSAccess", true, Vec::new()),
                policy(
                    "p-abcd0001",
                    "Guard",
                    false,
                    vec![
                        TargetId::Ou("ou-ab12-00000005".parse().unwrap()),
                        TargetId::Ou("ou-ab12-00000007".parse().unwrap()),
                        TargetId::Account("333333333333".parse().unwrap()),
                        TargetId::Account("444444444444".parse().unwrap()),
                    ],
                ),
            ],
        }
    }

    #[test]
    fn what_paths_cannot_name_is_named_by_id_and_writes_what_adopt_writes() {
        let inventory = awkward();
        let spec = to_spec(&inventory);
        let parents: Vec<Option<&str>> = spec
            .organizational_units
            .iter()
            .map(|o| o.parent.as_deref())
            .collect();
        assert_eq!(
            parents,
            [
                None,
                None,
                Some("A"),
                Some("ou-ab12-00000002"),
                Some("A/B"),
                None
            ]
        );
        let missing = spec.organizational_units.last().unwrap();
        assert_eq!(missing.existing.as_deref(), Some("ou-ab12-00000007"));
        assert!(matches!(
            spec.organization,
            Some(OrganizationSpec::Existing {
                full_aws_access_attached: Some(false),
                ..
            })
        ));
        let keys: Vec<&str> = spec
            .existing_accounts
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["Management", "Dev-444444444444"]);

        let json = spec.to_json().unwrap();
        let by_spec = OrgSpec::from_json(&json)
            .unwrap()
            .to_app()
            .unwrap()
            .synth()
            .unwrap_or_else(|e| panic!("{e}\n{json}"));
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        crate::import::adopt(&mut app, &stack, &inventory).unwrap();
        let by_adopt = app.synth().unwrap();
        for (a, b) in by_adopt.artifacts().iter().zip(by_spec.artifacts()) {
            assert_eq!(a.file_name, b.file_name);
            assert_eq!(a.body, b.body, "{}", a.file_name);
        }
        assert_eq!(by_adopt.artifacts(), by_spec.artifacts());
        assert!(by_adopt.files().eq(by_spec.files()));
        assert_eq!(by_adopt.manifest(), by_spec.manifest());
    }
}
