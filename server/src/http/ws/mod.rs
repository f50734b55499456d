//! GraphQL over WebSocket on `/graphql`: the upgrade and the per-connection session.

pub mod protocol;
mod session;
pub mod shared;

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};

use super::RequestId;
use crate::graphql::AppSchema;
use crate::state::AppState;
use protocol::Protocol;

/// Whether a GET is a WebSocket upgrade.
pub fn is_upgrade(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

pub async fn upgrade(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> HttpResponse {
    let protocol = req
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(Protocol::negotiate);
    let (mut response, ws, incoming) = match actix_ws::handle(&req, payload) {
        Ok(parts) => parts,
        Err(error) => return HttpResponse::from_error(error),
    };
    if let Some(protocol) = protocol
        && let Ok(value) = header::HeaderValue::from_str(protocol.name())
    {
        response
            .headers_mut()
            .insert(header::SEC_WEBSOCKET_PROTOCOL, value);
    }
    let context = session::Context {
        state: state.get_ref().clone(),
        schema: schema.get_ref().clone(),
        request_id: req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default(),
        client_address: req
            .peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default(),
        upgrade_token: req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned),
    };
    let max_frame = state.settings.limits.max_body_bytes;
    actix_web::rt::spawn(session::run(
        context,
        protocol,
        ws,
        incoming.max_frame_size(max_frame),
    ));
    response
}
