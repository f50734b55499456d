//! Identity: users and their passwords, signing in, the API tokens third-party tools call
//! with, and the permissions of each role. (Who a request comes from is `auth`'s job, above.)

pub mod api_tokens;
pub mod login;
pub mod password;
pub mod permissions;
pub mod secrets;
pub mod users;

pub use permissions::Permission;
