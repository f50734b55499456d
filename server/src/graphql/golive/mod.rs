//! Deployment plans, their runs and the command centre's answers.

pub mod plan;
