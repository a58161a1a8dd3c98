//! What the layout tests share.

use orgstack::layouts::{FiveAccountLayout, FiveAccountLayoutBuilder};
use orgstack::App;

/// Adds the layout under a `Management` stack, as the reference example does.
pub fn add_layout(
    app: &mut App,
    layout: FiveAccountLayoutBuilder,
) -> orgstack::Result<FiveAccountLayout> {
    let management = app.stack("Management")?;
    app.add(&management, layout)
}
