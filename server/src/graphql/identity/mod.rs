//! Users, signing in and API tokens.

pub mod user;
