//! Reading the directory `scripts/export-organization.sh` writes.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use super::inventory::{
    AccountInfo, Inventory, OrganizationInfo, OuInfo, ParentId, PolicyInfo, RootInfo, TargetId,
};
use super::json::{parse, At};
use super::ImportError;
use crate::aws::{AccountId, OuId, PolicyId, RootId};
use crate::cfn::Value;
use crate::org::PolicyType;

/// One file of the export, parsed.
struct File {
    path: PathBuf,
    value: Value,
}

impl File {
    fn read(path: PathBuf) -> Result<File, ImportError> {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(source) => return Err(ImportError::Io { path, source }),
        };
        match parse(&text) {
            Ok(value) => Ok(File { path, value }),
            Err(source) => Err(ImportError::Json { path, source }),
        }
    }

    fn at(&self) -> At<'_> {
        At::root(&self.path, &self.value)
    }
}

impl Inventory {
    /// Reads the files `scripts/export-organization.sh` saved in `dir`.
    ///
    /// # Errors
    /// [`ImportError::Io`] for a file that is missing or unreadable (one the listing
    /// needs, such as the accounts of an OU it lists), [`ImportError::Json`] for a file that
    /// is not JSON, [`ImportError::Malformed`] with the JSON path for a value that is not
    /// what the AWS CLI prints (a missing field, a malformed id, an OU listed twice).
    pub fn read_dir(dir: impl AsRef<Path>) -> Result<Inventory, ImportError> {
        let dir = dir.as_ref();
        let organization = File::read(dir.join("describe-organization.json"))?;
        let org = organization.at().field("Organization")?;
        let org = org.at();
        let organization = OrganizationInfo {
            id: org.field("Id")?.at().parse()?,
            feature_set: org.field("FeatureSet")?.at().str()?.to_owned(),
            management_account_id: org.field("MasterAccountId")?.at().parse()?,
        };

        let roots = File::read(dir.join("list-roots.json"))?;
        let listed = roots.at().field("Roots")?;
        let listed = listed.at().items()?;
        let Some(first) = listed.first() else {
            return Err(roots
                .at()
                .error("`Roots` is empty: an organization has one root"));
        };
        let root_id: RootId = first.at().field("Id")?.at().parse()?;
        let mut policy_types = Vec::new();
        if let Some(types) = first.at().optional("PolicyTypes")? {
            for t in types.at().items()? {
                let status = t.at().field("Status")?;
                if status.at().str()? == "ENABLED" {
                    policy_types.push(PolicyType::from(
                        t.at().field("Type")?.at().str()?.to_owned(),
                    ));
                }
            }
        }

        let mut ous = Vec::new();
        let mut accounts = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue = VecDeque::from([ParentId::Root(root_id.clone())]);
        while let Some(parent) = queue.pop_front() {
            let name = match &parent {
                ParentId::Root(r) => r.as_str(),
                ParentId::Ou(o) => o.as_str(),
            };
            let file = File::read(
                dir.join("list-organizational-units-for-parent")
                    .join(format!("{name}.json")),
            )?;
            let listed = file.at().field("OrganizationalUnits")?;
            for ou in listed.at().items()? {
                let id_at = ou.at().field("Id")?;
                let id: OuId = id_at.at().parse()?;
                if !seen.insert(id.as_str().to_owned()) {
                    return Err(id_at.at().error(format!(
                        "{id} is listed twice: an OU has one parent",
                        id = id.as_str()
                    )));
                }
                ous.push(OuInfo {
                    id: id.clone(),
                    name: ou.at().field("Name")?.at().str()?.to_owned(),
                    parent: parent.clone(),
                });
                queue.push_back(ParentId::Ou(id));
            }
            let file = File::read(
                dir.join("list-accounts-for-parent")
                    .join(format!("{name}.json")),
            )?;
            let listed = file.at().field("Accounts")?;
            for a in listed.at().items()? {
                let a = a.at();
                let id_at = a.field("Id")?;
                let id: AccountId = id_at.at().parse()?;
                if !seen.insert(id.as_str().to_owned()) {
                    return Err(id_at.at().error(format!(
                        "{id} is listed twice: an account has one parent",
                        id = id.as_str()
                    )));
                }
                accounts.push(AccountInfo {
                    id,
                    name: a.field("Name")?.at().str()?.to_owned(),
                    email: a.field("Email")?.at().parse()?,
                    status: a.field("Status")?.at().str()?.to_owned(),
                    parent: parent.clone(),
                });
            }
        }

        let mut policies = Vec::new();
        for ty in &policy_types {
            let file = File::read(
                dir.join("list-policies")
                    .join(format!("{}.json", ty.as_str())),
            )?;
            let listed = file.at().field("Policies")?;
            for summary in listed.at().items()? {
                let id: PolicyId = summary.at().field("Id")?.at().parse()?;
                policies.push(policy(dir, id)?);
            }
        }

        Ok(Inventory {
            organization,
            root: RootInfo {
                id: root_id,
                policy_types,
            },
            ous,
            accounts,
            policies,
        })
    }
}

/// A policy from its `describe-policy` and `list-targets-for-policy` files.
fn policy(dir: &Path, id: PolicyId) -> Result<PolicyInfo, ImportError> {
    let file = File::read(
        dir.join("describe-policy")
            .join(format!("{}.json", id.as_str())),
    )?;
    let p = file.at().field("Policy")?;
    let summary = p.at().field("PolicySummary")?;
    let s = summary.at();
    let described: PolicyId = s.field("Id")?.at().parse()?;
    if described != id {
        return Err(s.field("Id")?.at().error(format!(
            "describes {}, not {}, which the file is named after",
            described.as_str(),
            id.as_str()
        )));
    }
    let content_at = p.at().field("Content")?;
    let content = parse(content_at.at().str()?).map_err(|e| {
        content_at
            .at()
            .error(format!("the policy's content is not JSON: {e}"))
    })?;
    let description = match s.optional("Description")? {
        Some(d) => d.at().str()?.to_owned(),
        None => String::new(),
    };
    let aws_managed = match s.optional("AwsManaged")? {
        Some(m) => m.at().bool()?,
        None => false,
    };
    let name = s.field("Name")?.at().str()?.to_owned();
    let policy_type = PolicyType::from(s.field("Type")?.at().str()?.to_owned());

    let file = File::read(
        dir.join("list-targets-for-policy")
            .join(format!("{}.json", id.as_str())),
    )?;
    let listed = file.at().field("Targets")?;
    let mut targets = Vec::new();
    for t in listed.at().items()? {
        let t = t.at();
        let target = t.field("TargetId")?;
        let kind = t.field("Type")?;
        targets.push(match kind.at().str()? {
            "ROOT" => TargetId::Root(target.at().parse()?),
            "ORGANIZATIONAL_UNIT" => TargetId::Ou(target.at().parse()?),
            "ACCOUNT" => TargetId::Account(target.at().parse()?),
            other => {
                return Err(kind.at().error(format!(
                    "`{other}` is no target type (ROOT, ORGANIZATIONAL_UNIT or ACCOUNT)"
                )))
            }
        });
    }
    Ok(PolicyInfo {
        id,
        name,
        description,
        policy_type,
        aws_managed,
        content,
        targets,
    })
}
