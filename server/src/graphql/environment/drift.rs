//! Drift between two environments.

use async_graphql::{Enum, Object};

use crate::domain::environment::drift::{self, Comparison};
use crate::graphql::environment::deployment::Deployment;
use crate::graphql::environment::system::System;
use crate::graphql::environment::{ConfigEntry, Environment};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::environment::drift::DriftState")]
pub enum DriftState {
    /// Both sides agree (or neither has it).
    Same,
    /// Both sides have it, with other values.
    Different,
    /// Only the left environment has it.
    OnlyLeft,
    /// Only the right environment has it.
    OnlyRight,
}

/// Two environments side by side.
pub struct EnvironmentComparison {
    pub comparison: Comparison,
    pub reveal: bool,
}

#[Object]
impl EnvironmentComparison {
    async fn left(&self) -> Environment {
        Environment(self.comparison.left.clone())
    }
    async fn right(&self) -> Environment {
        Environment(self.comparison.right.clone())
    }
    /// Systems hosted by or deployed on either side, by code, with what runs on each.
    async fn systems(&self) -> Vec<SystemDrift> {
        self.comparison
            .systems
            .iter()
            .cloned()
            .map(SystemDrift)
            .collect()
    }
    /// Configuration keys set on either side, alphabetically. Secret values are compared on
    /// the server and masked for callers who may not read them.
    async fn configuration(&self) -> Vec<ConfigDrift> {
        self.comparison
            .configuration
            .iter()
            .cloned()
            .map(|drift| ConfigDrift {
                drift,
                reveal: self.reveal,
            })
            .collect()
    }
    /// How many systems and keys differ.
    async fn differences(&self) -> usize {
        let systems = self
            .comparison
            .systems
            .iter()
            .filter(|s| s.state != drift::DriftState::Same)
            .count();
        let keys = self
            .comparison
            .configuration
            .iter()
            .filter(|c| c.state != drift::DriftState::Same)
            .count();
        systems + keys
    }
}

/// One system on both sides.
pub struct SystemDrift(drift::SystemDrift);

#[Object]
impl SystemDrift {
    async fn system(&self) -> System {
        System(self.0.system.clone())
    }
    async fn state(&self) -> DriftState {
        self.0.state.into()
    }
    async fn hosted_left(&self) -> bool {
        self.0.hosted_left
    }
    async fn hosted_right(&self) -> bool {
        self.0.hosted_right
    }
    /// What runs on the left environment (its latest successful deployment).
    async fn left(&self) -> Option<Deployment> {
        self.0.left.clone().map(Deployment)
    }
    async fn right(&self) -> Option<Deployment> {
        self.0.right.clone().map(Deployment)
    }
}

/// One configuration key on both sides.
pub struct ConfigDrift {
    drift: drift::ConfigDrift,
    reveal: bool,
}

#[Object]
impl ConfigDrift {
    async fn key(&self) -> &str {
        &self.drift.key
    }
    async fn state(&self) -> DriftState {
        self.drift.state.into()
    }
    async fn left(&self) -> Option<ConfigEntry> {
        self.drift
            .left
            .clone()
            .map(|entry| ConfigEntry::new(entry, self.reveal))
    }
    async fn right(&self) -> Option<ConfigEntry> {
        self.drift
            .right
            .clone()
            .map(|entry| ConfigEntry::new(entry, self.reveal))
    }
}
