//! imbridge: one set of traits for server-side instant-messaging clouds.
#![warn(missing_docs)]
pub use imbridge_core::*;
