//! Per-request context: the viewer, the request id, and the request's DataLoaders.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, QueryPathSegment};
use sea_orm::DatabaseConnection;

use crate::auth::Viewer;
use crate::db::Store;
use crate::domain::Actor;
use crate::graphql::loaders::{DbLoader, request_loader};
use crate::state::AppState;

pub struct RequestContext {
    pub viewer: Viewer,
    pub request_id: String,
    /// The client address as seen by the server (for sign-in throttling).
    pub client_address: String,
    pub loaders: Loaders,
}

/// One DataLoader per field path of the query (`releases.nodes.children.phases`).
///
/// A single loader would sometimes merge the keys of two levels of the tree into one batch
/// and sometimes not, depending on which database answer arrives first; per path, every
/// batch is fed by exactly one level, so a query's statement count follows from its shape
/// alone and does not change from one run to the next.
pub struct Loaders {
    db: DatabaseConnection,
    by_path: Mutex<HashMap<u64, Arc<DataLoader<DbLoader>>>>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            by_path: Mutex::new(HashMap::new()),
        }
    }

    fn for_path(&self, signature: u64) -> Arc<DataLoader<DbLoader>> {
        let mut loaders = self
            .by_path
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loaders
            .entry(signature)
            .or_insert_with(|| Arc::new(request_loader(self.db.clone())))
            .clone()
    }
}

/// A hash of the field names from the root to here, list positions left out.
fn path_signature(ctx: &Context<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut node = ctx.path_node.as_ref();
    while let Some(current) = node {
        if let QueryPathSegment::Name(name) = current.segment {
            name.hash(&mut hasher);
        }
        node = current.parent;
    }
    hasher.finish()
}

pub trait ContextExt {
    fn app(&self) -> &AppState;
    fn request(&self) -> &RequestContext;
    /// The DataLoader for the field being resolved.
    fn loader(&self) -> Arc<DataLoader<DbLoader>>;
    fn store(&self) -> &Store {
        &self.app().store
    }
    fn viewer(&self) -> &Viewer {
        &self.request().viewer
    }
    fn actor(&self) -> Actor {
        let request = self.request();
        request.viewer.actor(Some(request.request_id.clone()))
    }
}

impl ContextExt for Context<'_> {
    fn app(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn request(&self) -> &RequestContext {
        self.data_unchecked::<RequestContext>()
    }

    fn loader(&self) -> Arc<DataLoader<DbLoader>> {
        self.request().loaders.for_path(path_signature(self))
    }
}
