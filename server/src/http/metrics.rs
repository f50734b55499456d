//! `/metrics` in the Prometheus text format, for admins or the configured scrape token.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::state::AppState;

pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let scrape_token = state.settings.metrics_token.as_deref();
    let allowed = match (authorization, scrape_token) {
        (Some(value), Some(token)) if value.strip_prefix("Bearer ") == Some(token) => true,
        (Some(_), _) => {
            let viewer = state
                .authenticator
                .authenticate(&state.store, authorization)
                .await;
            viewer.has_any(&[entity::Role::Admin])
        }
        (None, _) => false,
    };
    if !allowed {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .json(
                serde_json::json!({ "error": "metrics need an admin token or the scrape token" }),
            );
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
