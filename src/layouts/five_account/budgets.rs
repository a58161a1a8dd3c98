//! Billing overview: the monthly cost budget every member account gets.

use crate::app::App;
use crate::cfn::{Resource, Value};
use crate::error::Result;
use crate::obj;
use crate::org::AccountHandle;

use super::naming::account_name_of;
use super::organization::Accounts;
use super::FiveAccountLayoutBuilder;

/// The budget every member account gets.
#[derive(Debug, Clone)]
pub(super) struct Budget {
    /// `BudgetLimit`, shared by every budget.
    limit: Value,
    /// `NotificationsWithSubscribers`, shared by every budget.
    notifications: Value,
}

impl Budget {
    fn new(amount: u64, thresholds: &[u32], email: &str) -> Self {
        let notifications: Vec<Value> = thresholds
            .iter()
            .enumerate()
            .map(|(i, t)| {
                // The last of several thresholds warns ahead, on the forecast.
                let kind = if i + 1 == thresholds.len() && thresholds.len() > 1 {
                    "FORECASTED"
                } else {
                    "ACTUAL"
                };
                obj! {
                    "Notification" => obj! {
                        "ComparisonOperator" => "GREATER_THAN",
                        "NotificationType" => kind,
                        "Threshold" => *t,
                        "ThresholdType" => "PERCENTAGE",
                    },
                    "Subscribers" => vec![obj! { "Address" => email, "SubscriptionType" => "EMAIL" }],
                }
            })
            .collect();
        Budget {
            limit: obj! { "Amount" => amount, "Unit" => "USD" }.into_shared(),
            notifications: Value::List(notifications).into_shared(),
        }
    }
}

impl FiveAccountLayoutBuilder {
    /// Billing overview: a monthly budget per member account.
    pub(super) fn add_budgets(
        &self,
        app: &mut App,
        accounts: &Accounts,
        alert_email: &str,
    ) -> Result<Option<Budget>> {
        let budget = self
            .monthly_budget
            .map(|amount| Budget::new(amount, &self.budget_thresholds, alert_email));
        if let Some(b) = &budget {
            let all = [
                &accounts.identity,
                &accounts.audit,
                &accounts.shared_services,
            ]
            .into_iter()
            .chain(accounts.environments.values());
            for a in all {
                add_budget(app, a, b)?;
            }
        }
        Ok(budget)
    }
}

/// `account`'s monthly budget (none for an account that exists outside the app).
pub(super) fn add_budget(app: &mut App, account: &AccountHandle, budget: &Budget) -> Result<()> {
    let Some(node) = account.node() else {
        return Ok(());
    };
    let name = account_name_of(app, node);
    let res = Resource::new("AWS::Budgets::Budget")
        .property(
            "Budget",
            obj! {
                "BudgetName" => format!("{name}-monthly"),
                "BudgetType" => "COST",
                "TimeUnit" => "MONTHLY",
                "BudgetLimit" => budget.limit.clone(),
                "FilterExpression" => obj! {
                    "Dimensions" => obj! {
                        "Key" => "LINKED_ACCOUNT",
                        "Values" => vec![account.id()],
                    },
                },
            },
        )
        .property("NotificationsWithSubscribers", budget.notifications.clone());
    app.add_resource(&node, "Budget", res)?;
    Ok(())
}
