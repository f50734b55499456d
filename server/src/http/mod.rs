//! The actix-web application: `/graphql`, health, metrics and the SPA. No business rules here.

mod graphql;
mod health;
mod metrics;
mod request_log;
mod spa;
pub mod ws;

use actix_cors::Cors;
use actix_web::web;

use crate::graphql::AppSchema;
use crate::state::AppState;

pub use request_log::{RequestId, log_request};

/// Registers routes and middleware on an `App`.
pub fn configure(state: AppState, schema: AppSchema) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let web_dir = state.settings.web_dir.clone();
        cfg.app_data(web::Data::new(state))
            .app_data(web::Data::new(schema))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(graphql::post))
                    .route(web::get().to(graphql::get))
                    .route(web::route().to(graphql::method_not_allowed)),
            )
            .route("/healthz", web::get().to(health::healthz))
            .route("/readyz", web::get().to(health::readyz))
            .route("/metrics", web::get().to(metrics::metrics));
        spa::configure(cfg, web_dir);
    }
}

/// CORS: only the configured origins may call from a browser on another origin.
pub fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(vec!["GET", "POST"])
        .allowed_headers(vec![
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::ACCEPT,
        ])
        .expose_headers(vec!["x-request-id"])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
