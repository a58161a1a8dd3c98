//! Billing overview: the monthly cost budget every member account of the organization
//! gets — the layout's own, and every account added later by any path — derived at
//! synthesis from the typed model.

use crate::app::{share, Aspect, Derived};
use crate::cfn::{NodeId, Resource, Value};
use crate::obj;
use crate::org::AccountData;
use crate::App;

/// The budget every member account gets.
#[derive(Debug, Clone)]
pub(super) struct Budget {
    /// `BudgetLimit`, shared by every budget.
    limit: Value,
    /// `NotificationsWithSubscribers`, shared by every budget.
    notifications: Value,
    /// The literals every budget repeats, shared: `COST`, `MONTHLY`, `LINKED_ACCOUNT`.
    literals: [Value; 3],
}

impl Budget {
    /// `amount` USD a month, alerting `email` at each threshold (a percentage).
    pub(super) fn new(amount: u64, thresholds: &[u32], email: &str) -> Self {
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
            literals: ["COST", "MONTHLY", "LINKED_ACCOUNT"].map(|s| Value::from(s).into_shared()),
        }
    }
}

/// The layout-wide rule: every account of `organization` gets `budget`, under the
/// account's own node (`…/Accounts/<id>/Budget`), so it moves with the account.
#[derive(Debug)]
pub(super) struct AccountBudgets {
    pub(super) organization: NodeId,
    pub(super) budget: Budget,
}

impl Aspect for AccountBudgets {
    fn derive(&self, app: &App, part: usize, parts: usize, out: &mut Derived) {
        let accounts: Vec<(NodeId, &AccountData)> = app
            .each::<AccountData>()
            .filter(|(_, data)| data.parent.organization_node() == self.organization)
            .collect();
        let mine = share(&accounts, part, parts);
        out.reserve(mine.len());
        for (node, data) in mine {
            out.add(*node, "Budget", self.budget_for(*node, &data.name));
        }
    }
}

impl AccountBudgets {
    fn budget_for(&self, account: NodeId, name: &str) -> Resource {
        let id = crate::cfn::Expr::node_get_att(account, "AccountId", 12);
        let [cost, monthly, linked_account] = &self.budget.literals;
        Resource::new("AWS::Budgets::Budget")
            .property(
                "Budget",
                obj! {
                    "BudgetName" => format!("{name}-monthly"),
                    "BudgetType" => cost.clone(),
                    "TimeUnit" => monthly.clone(),
                    "BudgetLimit" => self.budget.limit.clone(),
                    "FilterExpression" => obj! {
                        "Dimensions" => obj! {
                            "Key" => linked_account.clone(),
                            "Values" => vec![id],
                        },
                    },
                },
            )
            .property(
                "NotificationsWithSubscribers",
                self.budget.notifications.clone(),
            )
    }
}
