//! What every request handler shares.

use std::sync::Arc;

use crate::auth::authenticate::Authenticator;
use crate::config::Settings;
use crate::db::Store;
use crate::metrics::Metrics;
use crate::shutdown::Shutdown;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub authenticator: Arc<Authenticator>,
    pub metrics: Arc<Metrics>,
    pub shutdown: Shutdown,
    pub golive: Arc<crate::golive::GoLiveHub>,
}
