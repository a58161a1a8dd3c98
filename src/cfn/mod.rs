//! The CloudFormation model: templates, resources, parameters, outputs and the intrinsic
//! functions, rendered to exact bytes.
//!
//! This layer knows nothing about Organizations or IAM: it is the target every construct
//! lowers to.
//!
//! ```
//! use orgstack::cfn::{Expr, Pseudo, Resource, Template, Value};
//! use orgstack::obj;
//!
//! let mut t = Template::new();
//! t.resources.insert(
//!     "Topic".into(),
//!     Resource::new("AWS::SNS::Topic").property(
//!         "DisplayName",
//!         Expr::sub_with("alerts-${Region}", [("Region", Value::from(Pseudo::Region))]),
//!     ),
//! );
//! let json = t.render().unwrap();
//! assert!(json.starts_with("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\""));
//! assert!(json.ends_with("}\n"));
//! # let _ = obj!{};
//! ```

mod expr;
pub(crate) mod hash;
pub mod lengths;
pub(crate) mod needs;
pub mod render;
mod resolve;
pub(crate) mod s3;
pub(crate) mod schema;
mod template;

pub(crate) use expr::saturating_sum;
pub use expr::{
    escape_sub, Expr, Key, Map, NodeId, Pseudo, Reference, Target, Value, Visit, MAX_DEPTH,
    UNKNOWN_MAX_LEN,
};
pub(crate) use expr::{sub_pieces, SubPiece};
pub(crate) use resolve::{write_import, write_local};
pub use resolve::{Literal, Resolve, With};
pub use template::{
    tags, DeletionPolicy, Output, Parameter, ParameterType, Resource, ResourceView, Template,
    TemplateView,
};
