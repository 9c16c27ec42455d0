//! Output formats of the real tools: kubectl's tables (`get`), AGE, and the tabwriter layout.
//!
//! kubectl prints through Go's `text/tabwriter` with minwidth 6, padding 3 and no trailing
//! padding on the last column; [`table::render`] reproduces that byte for byte. Row content per
//! kind follows `pkg/printers/internalversion/printers.go`. `object` is an object as the API
//! server returns it, `generated` as kubectl's generators build it (`--dry-run=client`),
//! `goyaml` writes either as kubectl's YAML or JSON, `jsonpath` runs `-o jsonpath=`.

pub mod describe;
pub mod generated;
pub mod goyaml;
pub mod jsonpath;
pub mod kubectl;
pub mod object;
pub mod table;
