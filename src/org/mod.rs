//! AWS Organizations: the organization, organizational units, accounts and policies.
//!
//! ```
//! use orgstack::{App, org::{Account, Organization, OrganizationalUnit}};
//! let mut app = App::new();
//! let stack = app.stack("Management")?;
//! let org = Organization::create().build(&mut app, &stack)?;
//! let workloads = org.add_ou(&mut app, OrganizationalUnit::new("Workloads"))?;
//! workloads.add_account(&mut app, Account::new("Prod", "aws+prod@acme.example"))?;
//! let assembly = app.synth()?;
//! assert!(assembly.template_json("Management").unwrap().contains("\"DeletionPolicy\": \"Retain\""));
//! # Ok::<(), orgstack::Error>(())
//! ```

mod account;
pub(crate) mod checks;
mod organization;
mod ou;
mod policy;

pub use account::{Account, AccountHandle, ACCOUNT_TYPE};
pub use organization::{Organization, OrganizationHandle, FULL_AWS_ACCESS_CONTEXT};
pub use ou::{OrganizationalUnit, OuHandle, Parent};
pub use policy::{Policy, PolicyHandle, PolicyTarget, PolicyType, POLICY_TYPE};
