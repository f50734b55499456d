//! Identity: password hashing, JWTs, API token secrets, single sign-on, the request's viewer
//! and the role permissions every operation is checked against.

pub mod authenticate;
pub mod jwt;
pub mod password;
pub mod permissions;
pub mod secrets;
pub mod sso;
pub mod viewer;

pub use permissions::Permission;
pub use viewer::{Principal, Viewer};
