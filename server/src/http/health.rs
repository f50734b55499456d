//! Liveness and readiness probes (open to anonymous callers).

use actix_web::{HttpResponse, web};
use sea_orm::{ConnectionTrait, Statement};

use crate::state::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// The database answers.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.store.conn();
    let probe = Statement::from_string(db.get_database_backend(), "SELECT 1");
    match db.execute_raw(probe).await {
        Ok(_) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(error) => {
            tracing::warn!(%error, "readiness probe failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "database unavailable" }))
        }
    }
}
