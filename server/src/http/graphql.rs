//! `/graphql` over HTTP, following the GraphQL-over-HTTP specification: the media type is
//! negotiated from `Accept` (`application/graphql-response+json` or `application/json`),
//! malformed requests get 4xx, GET carries queries only, and request errors (the operation
//! never ran) answer without `data`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Variables};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};
use tracing::Instrument;

use super::RequestId;
use crate::auth::Viewer;
use crate::graphql::AppSchema;
use crate::graphql::context::RequestContext;
use crate::graphql::hardening::ExecutionStarted;
use crate::state::AppState;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the answer's media type from `Accept`, honouring q-values; None when nothing fits.
fn negotiate(req: &HttpRequest) -> Option<Media> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(Media::Json);
    };
    let mut best: Option<(f32, u8, Media)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';').map(str::trim);
        let media_type = pieces.next().unwrap_or_default().to_ascii_lowercase();
        let mut quality = 1.0f32;
        let mut charset_ok = true;
        for parameter in pieces {
            if let Some((name, value)) = parameter.split_once('=') {
                match name.trim().to_ascii_lowercase().as_str() {
                    "q" => quality = value.trim().parse().unwrap_or(0.0),
                    "charset" => {
                        charset_ok = value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
                    }
                    _ => {}
                }
            }
        }
        if quality <= 0.0 || !charset_ok {
            continue;
        }
        // Among equal q-values the specific graphql-response type wins, then json, then wildcards.
        let candidate = match media_type.as_str() {
            GRAPHQL_RESPONSE_JSON => Some((3, Media::GraphqlResponse)),
            JSON => Some((2, Media::Json)),
            "application/*" | "*/*" => Some((1, Media::Json)),
            _ => None,
        };
        if let Some((rank, media)) = candidate
            && best.is_none_or(|(q, r, _)| quality > q || (quality == q && rank > r))
        {
            best = Some((quality, rank, media));
        }
    }
    best.map(|(_, _, media)| media)
}

fn error_body(message: &str, code: &str) -> Value {
    json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })
}

fn respond(status: StatusCode, media: Media, body: Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .body(body.to_string())
}

/// A request the server cannot run (no query, bad document…). Under graphql-response+json
/// it is a 400; plain JSON clients get 200 with the errors, as the specification advises.
fn request_error(media: Media, message: &str) -> HttpResponse {
    let status = match media {
        Media::GraphqlResponse => StatusCode::BAD_REQUEST,
        Media::Json => StatusCode::OK,
    };
    respond(status, media, error_body(message, "VALIDATION"))
}

/// A request that is not GraphQL-over-HTTP at all (bad JSON, wrong content type): 4xx.
fn http_error(status: StatusCode, media: Media, message: &str) -> HttpResponse {
    respond(status, media, error_body(message, "VALIDATION"))
}

/// Credentials were presented and refused (bad signature, expired, revoked…): nothing runs.
/// Callers without credentials are anonymous instead, and may still sign in.
fn unauthorized(media: Media, reason: &str) -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .body(error_body(reason, "UNAUTHENTICATED").to_string())
}

fn not_acceptable() -> HttpResponse {
    HttpResponse::NotAcceptable()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(
            error_body(
                "send Accept: application/graphql-response+json or application/json",
                "VALIDATION",
            )
            .to_string(),
        )
}

pub async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let media = negotiate(&req).unwrap_or(Media::Json);
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "GET, POST"))
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .body(error_body("use GET for queries or POST", "VALIDATION").to_string())
}

/// One operation as sent by the client.
struct Operation {
    query: String,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
}

/// Reads the `query`/`operationName`/`variables`/`extensions` of a JSON request object.
fn operation_from_json(value: Value) -> Result<Operation, String> {
    let Value::Object(mut object) = value else {
        return Err("the request body must be a JSON object".into());
    };
    let query = match object.remove("query") {
        Some(Value::String(query)) => query,
        Some(_) => return Err("'query' must be a string".into()),
        None => return Err("the request has no 'query'".into()),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("'operationName' must be a string".into()),
    };
    let map = |key: &str, value: Option<Value>| match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(format!("'{key}' must be an object")),
    };
    let variables = map("variables", object.remove("variables"))?;
    let extensions = map("extensions", object.remove("extensions"))?;
    Ok(Operation {
        query,
        operation_name,
        variables,
        extensions,
    })
}

async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::BytesMut, HttpResponse> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| HttpResponse::BadRequest().finish())?;
        if body.len() + chunk.len() > limit {
            return Err(HttpResponse::PayloadTooLarge()
                .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
                .body(
                    error_body(
                        &format!("the request body is larger than {limit} bytes"),
                        "VALIDATION",
                    )
                    .to_string(),
                ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn content_type_is_json(req: &HttpRequest) -> Result<(), &'static str> {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return Err("send Content-Type: application/json");
    };
    let mut pieces = value.split(';').map(str::trim);
    if !pieces.next().unwrap_or_default().eq_ignore_ascii_case(JSON) {
        return Err("send Content-Type: application/json");
    }
    for parameter in pieces {
        if let Some((name, charset)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
            && !charset
                .trim()
                .trim_matches('"')
                .eq_ignore_ascii_case("utf-8")
        {
            return Err("the request must be UTF-8");
        }
    }
    Ok(())
}

pub async fn post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    if let Err(message) = content_type_is_json(&req) {
        return http_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, media, message);
    }
    let body = match read_body(payload, state.settings.limits.max_body_bytes).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let json: Value = match serde_json::from_slice(&body) {
        Ok(json) => json,
        Err(_) => {
            return http_error(
                StatusCode::BAD_REQUEST,
                media,
                "the request body is not valid JSON",
            );
        }
    };
    let viewer = authenticate(&req, &state).await;
    if let Some(reason) = &viewer.auth_error {
        return unauthorized(media, reason);
    }
    match json {
        Value::Array(items) => {
            let max = state.settings.limits.max_batch;
            if items.is_empty() || items.len() > max {
                return http_error(
                    StatusCode::BAD_REQUEST,
                    media,
                    &format!("a batch holds 1 to {max} operations"),
                );
            }
            let mut answers = Vec::with_capacity(items.len());
            for item in items {
                let answer = match operation_from_json(item) {
                    Ok(operation) => {
                        execute(&req, &state, &schema, viewer.clone(), operation)
                            .await
                            .1
                    }
                    Err(message) => error_body(&message, "VALIDATION"),
                };
                answers.push(answer);
            }
            respond(StatusCode::OK, media, Value::Array(answers))
        }
        other => match operation_from_json(other) {
            Ok(operation) => {
                let (ran, body) = execute(&req, &state, &schema, viewer, operation).await;
                let status = if !ran && media == Media::GraphqlResponse {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::OK
                };
                respond(status, media, body)
            }
            Err(message) => http_error(StatusCode::BAD_REQUEST, media, &message),
        },
    }
}

/// GraphQL over GET (queries only). WebSocket upgrades never get here: actix-http hands them
/// to `ws::upgrade`.
pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> HttpResponse {
    let params = match web::Query::<std::collections::HashMap<String, String>>::from_query(
        req.query_string(),
    ) {
        Ok(params) => params.into_inner(),
        Err(_) => {
            return http_error(
                StatusCode::BAD_REQUEST,
                Media::Json,
                "the query string is malformed",
            );
        }
    };
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !params.contains_key("query") {
        if state.settings.graphiql {
            let page = GraphiQLSource::build()
                .endpoint("/graphql")
                .title("Heatshield GraphQL")
                .finish();
            return HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .body(page);
        }
        return HttpResponse::NotFound().finish();
    }
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let Some(query) = params.get("query").cloned() else {
        return http_error(StatusCode::BAD_REQUEST, media, "the request has no 'query'");
    };
    let parse_map = |key: &str| -> Result<Option<Map<String, Value>>, String> {
        match params.get(key) {
            None => Ok(None),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Ok(Some(map)),
                Ok(Value::Null) => Ok(None),
                _ => Err(format!("'{key}' must be a JSON object")),
            },
        }
    };
    let variables = match parse_map("variables") {
        Ok(v) => v,
        Err(message) => return http_error(StatusCode::BAD_REQUEST, media, &message),
    };
    let extensions = match parse_map("extensions") {
        Ok(v) => v,
        Err(message) => return http_error(StatusCode::BAD_REQUEST, media, &message),
    };
    let operation_name = params
        .get("operationName")
        .cloned()
        .filter(|n| !n.is_empty());

    // Only queries may travel over GET (they may be cached and replayed by intermediaries).
    match async_graphql::parser::parse_query(&query) {
        Ok(document) => {
            let selected = document
                .operations
                .iter()
                .find(|(name, _)| match &operation_name {
                    Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
                    None => true,
                });
            if let Some((_, operation)) = selected
                && operation.node.ty != OperationType::Query
            {
                return HttpResponse::MethodNotAllowed()
                    .insert_header((header::ALLOW, "POST"))
                    .insert_header((header::CONTENT_TYPE, media.content_type()))
                    .body(
                        error_body("mutations and subscriptions must use POST", "VALIDATION")
                            .to_string(),
                    );
            }
        }
        Err(error) => return request_error(media, &error.to_string()),
    }

    let viewer = authenticate(&req, &state).await;
    if let Some(reason) = &viewer.auth_error {
        return unauthorized(media, reason);
    }
    let operation = Operation {
        query,
        operation_name,
        variables,
        extensions,
    };
    let (ran, body) = execute(&req, &state, &schema, viewer, operation).await;
    let status = if !ran && media == Media::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut response = respond(status, media, body);
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept, Authorization"),
    );
    response
}

async fn authenticate(req: &HttpRequest, state: &AppState) -> Viewer {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("?"));
    state.authenticator.authenticate(&state.store, header).await
}

/// Runs one operation; returns whether it executed, and the JSON answer.
async fn execute(
    req: &HttpRequest,
    state: &AppState,
    schema: &AppSchema,
    viewer: Viewer,
    operation: Operation,
) -> (bool, Value) {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let client_address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let request_id_for_log = request_id.clone();
    let started = ExecutionStarted::default();
    let context = RequestContext {
        viewer,
        request_id,
        client_address,
        loaders: crate::graphql::context::Loaders::new(state.store.conn().clone()),
    };
    let mut request = Request::new(operation.query)
        .data(context)
        .data(started.clone());
    if let Some(name) = operation.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = operation.variables {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }
    if let Some(extensions) = operation.extensions {
        for (key, value) in extensions {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
    }
    // Everything logged while the operation runs (internal errors above all) names the request.
    let span = tracing::error_span!("graphql", request_id = %request_id_for_log);
    let response = schema.execute(request).instrument(span).await;
    let ran = started.get();
    state
        .metrics
        .graphql_requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if !response.errors.is_empty() {
        state
            .metrics
            .graphql_errors
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let mut body = serde_json::to_value(&response)
        .unwrap_or_else(|_| error_body("the answer could not be encoded", "INTERNAL"));
    if let Some(object) = body.as_object_mut() {
        if !ran {
            object.remove("data");
        }
        if let Some(Value::Array(errors)) = object.get_mut("errors") {
            for error in errors {
                ensure_code(error);
            }
        }
    }
    (ran, body)
}

/// Every error carries a code: the API's own errors already do; the rest come from parsing,
/// validation or input coercion, which are the client's mistakes.
fn ensure_code(error: &mut Value) {
    let Some(object) = error.as_object_mut() else {
        return;
    };
    let extensions = object.entry("extensions").or_insert_with(|| json!({}));
    if let Some(extensions) = extensions.as_object_mut() {
        extensions
            .entry("code")
            .or_insert_with(|| json!("VALIDATION"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::Method;
    use actix_web::test::TestRequest;

    fn with_accept(accept: &str) -> HttpRequest {
        TestRequest::default()
            .method(Method::POST)
            .insert_header((header::ACCEPT, accept))
            .to_http_request()
    }

    #[test]
    fn negotiation_prefers_graphql_response_json_and_honours_q() {
        assert_eq!(
            negotiate(&with_accept(
                "application/graphql-response+json, application/json"
            )),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&with_accept("application/json")),
            Some(Media::Json)
        );
        assert_eq!(
            negotiate(&with_accept(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(Media::Json)
        );
        assert_eq!(negotiate(&with_accept("*/*")), Some(Media::Json));
        assert_eq!(negotiate(&with_accept("text/html")), None);
        assert_eq!(
            negotiate(&with_accept("application/json; charset=iso-8859-1")),
            None
        );
        assert_eq!(
            negotiate(&TestRequest::default().to_http_request()),
            Some(Media::Json)
        );
    }

    #[test]
    fn operations_are_read_strictly() {
        assert!(operation_from_json(json!({ "query": "{ __typename }" })).is_ok());
        assert!(operation_from_json(json!({ "query": 1 })).is_err());
        assert!(operation_from_json(json!({})).is_err());
        assert!(operation_from_json(json!({ "query": "{a}", "variables": "x" })).is_err());
        assert!(operation_from_json(json!({ "query": "{a}", "operationName": 3 })).is_err());
        assert!(operation_from_json(json!([])).is_err());
    }
}
