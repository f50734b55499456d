//! Black-box API tests. Each test body runs twice, on SQLite and on PostgreSQL (`both!`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use tests::*;

mod auth;
mod bookings;
mod dataloaders;
mod demo;
mod environments;
mod governance;
mod hardening;
mod http;
mod instances;
mod notifications;
mod packages;
mod permissions;
mod plans;
mod process;
mod release_parts;
mod releases;
mod schema;
mod subscriptions;
mod systems;
mod writes;

/// The `data` field at a dotted path, e.g. `at(&data, "createRelease.release.id")`.
pub fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, key| match key.parse::<usize>() {
            Ok(index) => &v[index],
            Err(_) => &v[key],
        })
}

pub fn text(value: &Value, path: &str) -> String {
    at(value, path)
        .as_str()
        .unwrap_or_else(|| panic!("{path} is not a string in {value:#}"))
        .to_owned()
}
