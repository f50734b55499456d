//! Go-live: deployment plans (runbooks), their runs, runbook arithmetic and the live state the
//! command centre shows.

pub mod live;
pub mod plan;
pub mod run;
pub mod schedule;
