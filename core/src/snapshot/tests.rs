//! Tests of the snapshot import.
