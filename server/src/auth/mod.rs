//! Who a request comes from: session JWTs, API tokens, single sign-on, and the request's
//! viewer. It stands above `domain` (users, passwords, token secrets and the permissions of
//! each role live in `domain::identity`), which never calls back up here.

pub mod authenticate;
pub mod jwt;
pub mod sso;
pub mod viewer;

pub use viewer::{Principal, Viewer};
