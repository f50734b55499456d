//! One log line per request with its id and latency; the id is returned as `x-request-id`
//! and recorded in audit events, so a complaint can be traced to the exact change.

use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use crate::metrics::Metrics;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub const HEADER: &str = "x-request-id";

/// Accepts a caller's request id when it is short and plain, so ids can be correlated across
/// systems without letting callers inject text into logs.
fn incoming_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(HEADER)?.to_str().ok()?;
    let plain = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then(|| value.to_owned())
}

/// The request's log line and its count in the metrics.
pub fn answered(
    metrics: Option<&Metrics>,
    id: &str,
    method: &str,
    path: &str,
    status: u16,
    elapsed: Duration,
) {
    if let Some(metrics) = metrics {
        metrics.record_http(status, elapsed);
    }
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    tracing::info!(request_id = %id, %method, %path, status, latency_ms, "request");
}

/// The caller's request id when it is acceptable, a new one otherwise.
pub fn request_id(headers: &HeaderMap) -> String {
    incoming_id(headers).unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = request_id(req.headers());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.metrics.clone());

    let result = next.call(req).await;
    let elapsed = started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    match result {
        Ok(mut response) => {
            let status = response.status().as_u16();
            if let Ok(value) = HeaderValue::from_str(&id) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static(HEADER), value);
            }
            answered(metrics.as_deref(), &id, &method, &path, status, elapsed);
            Ok(response)
        }
        Err(error) => {
            if let Some(metrics) = metrics {
                metrics.record_http(500, elapsed);
            }
            tracing::error!(request_id = %id, %method, %path, latency_ms, %error, "request failed");
            Err(error)
        }
    }
}
