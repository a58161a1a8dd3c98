//! Prints the JSON Schema of the spec (`OrgSpec`), as checked in at
//! `schema/orgspec.schema.json`.
//!
//! ```text
//! cargo run --example schema > schema/orgspec.schema.json
//! ```

fn main() {
    print!("{}", orgstack::spec::schema());
}
