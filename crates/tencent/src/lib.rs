//! Tencent Cloud IM backend for imbridge.
#![warn(missing_docs)]
pub mod usersig;
