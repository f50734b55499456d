//! GraphQL over WebSocket on `/graphql`: the upgrade and the per-connection session.
//!
//! The upgrade is taken over from actix-http before the App sees it (`HttpService::upgrade`):
//! the handshake answered here, the TCP stream is handed to the session with none of the
//! HTTP dispatcher's buffers (see `socket.rs` for why that matters).

mod frame;
pub mod protocol;
mod session;
mod shared;
mod socket;

use std::sync::Arc;
use std::time::Instant;

use actix_codec::Framed;
use actix_http::body::BodySize;
use actix_http::h1::{Codec, Message};
use actix_http::header::{self, HeaderValue};
use actix_http::{Method, Request, Response, StatusCode, ws};
use futures_util::SinkExt;
use tokio::net::TcpStream;

use super::request_log;
use crate::graphql::AppSchema;
use crate::state::AppState;
use protocol::Protocol;
pub use shared::SharedStreams;

/// The path GraphQL is served on, for queries and subscriptions alike.
const PATH: &str = "/graphql";

/// Every request actix-http sees as an upgrade (`Upgrade: websocket`, or `CONNECT`) comes here.
pub async fn upgrade(
    state: AppState,
    schema: AppSchema,
    shared: Arc<SharedStreams>,
    (req, mut framed): (Request, Framed<TcpStream, Codec>),
) -> Result<(), actix_http::Error> {
    let started = Instant::now();
    let head = req.head();
    let request_id = request_log::request_id(&head.headers);
    let protocol = head
        .headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(Protocol::negotiate);
    let mut response = if head.uri.path() != PATH {
        Response::new(StatusCode::NOT_FOUND).drop_body()
    } else if head.method != Method::GET {
        Response::new(StatusCode::METHOD_NOT_ALLOWED).drop_body()
    } else {
        match ws::handshake(head) {
            Ok(mut accepted) => {
                if let Some(protocol) = protocol {
                    accepted.insert_header((header::SEC_WEBSOCKET_PROTOCOL, protocol.name()));
                }
                accepted.finish().drop_body()
            }
            Err(refused) => Response::from(refused).drop_body(),
        }
    };
    let status = response.status();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static(request_log::HEADER), value);
    }
    let accepted = status == StatusCode::SWITCHING_PROTOCOLS;
    let size = if accepted {
        BodySize::None
    } else {
        BodySize::Sized(0)
    };
    let sent = framed.send(Message::Item((response, size))).await;
    request_log::answered(
        Some(&state.metrics),
        &request_id,
        head.method.as_str(),
        head.uri.path(),
        status.as_u16(),
        started.elapsed(),
    );
    if sent.is_err() || !accepted {
        return Ok(());
    }
    let send_buffer = state.settings.ws_send_buffer;
    let context = session::Context {
        client_address: head
            .peer_addr
            .map(|a| a.ip().to_string())
            .unwrap_or_default(),
        upgrade_token: head
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned),
        request_id,
        state,
        schema,
        shared,
    };
    let parts = framed.into_parts();
    if let Some(bytes) = send_buffer
        && let Err(error) = socket2::SockRef::from(&parts.io).set_send_buffer_size(bytes)
    {
        tracing::warn!(%error, bytes, "cannot set the WebSocket send buffer");
    }
    // Frames the client sent right behind its handshake.
    let leftover = parts.read_buf.to_vec();
    actix_web::rt::spawn(session::run(context, protocol, parts.io, leftover));
    Ok(())
}
