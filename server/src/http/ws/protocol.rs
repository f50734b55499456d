//! The two WebSocket subprotocols for GraphQL: `graphql-transport-ws` (the graphql-ws
//! library's protocol) and the legacy `graphql-ws` of subscriptions-transport-ws. Parsing is
//! strict: anything that is not a well-formed message of the chosen protocol is a 4400.

use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `graphql-transport-ws`.
    TransportWs,
    /// `graphql-ws` (subscriptions-transport-ws, deprecated but still common).
    Legacy,
}

impl Protocol {
    /// Picks the first supported protocol the client offers in `Sec-WebSocket-Protocol`.
    pub fn negotiate(offered: &str) -> Option<Self> {
        offered
            .split(',')
            .map(str::trim)
            .find_map(|name| match name {
                "graphql-transport-ws" => Some(Protocol::TransportWs),
                "graphql-ws" => Some(Protocol::Legacy),
                _ => None,
            })
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::TransportWs => "graphql-transport-ws",
            Protocol::Legacy => "graphql-ws",
        }
    }
}

/// Close codes (graphql-transport-ws; the legacy protocol uses 4400/4403/4408 too).
pub mod close {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    pub const BAD_MESSAGE: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const SUBPROTOCOL_NOT_ACCEPTABLE: u16 = 4406;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const DUPLICATE_SUBSCRIBER: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub query: String,
    pub operation_name: Option<String>,
    pub variables: Option<Map<String, Value>>,
    pub extensions: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClientMessage {
    ConnectionInit(Option<Map<String, Value>>),
    Subscribe {
        id: String,
        operation: Operation,
    },
    Complete {
        id: String,
    },
    Ping(Option<Value>),
    Pong,
    /// Legacy `connection_terminate`.
    Terminate,
}

fn string_field(object: &Map<String, Value>, key: &str) -> Result<String, String> {
    match object.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(format!("'{key}' must be a non-empty string")),
    }
}

fn optional_map(
    object: &Map<String, Value>,
    key: &str,
) -> Result<Option<Map<String, Value>>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map.clone())),
        Some(_) => Err(format!("'{key}' must be an object")),
    }
}

fn operation(payload: Option<&Value>) -> Result<Operation, String> {
    let Some(Value::Object(payload)) = payload else {
        return Err("'payload' must be an object".into());
    };
    let query = match payload.get("query") {
        Some(Value::String(query)) => query.clone(),
        _ => return Err("'payload.query' must be a string".into()),
    };
    let operation_name = match payload.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => return Err("'payload.operationName' must be a string".into()),
    };
    Ok(Operation {
        query,
        operation_name,
        variables: optional_map(payload, "variables")?,
        extensions: optional_map(payload, "extensions")?,
    })
}

/// Parses one text frame; the error explains what is wrong with it (for the 4400 reason).
pub fn parse(protocol: Protocol, text: &str) -> Result<ClientMessage, String> {
    let Value::Object(object) =
        serde_json::from_str::<Value>(text).map_err(|_| "the message is not JSON".to_owned())?
    else {
        return Err("the message is not a JSON object".into());
    };
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        _ => return Err("the message has no 'type'".into()),
    };
    match (protocol, kind) {
        (_, "connection_init") => Ok(ClientMessage::ConnectionInit(optional_map(
            &object, "payload",
        )?)),
        (Protocol::TransportWs, "subscribe") | (Protocol::Legacy, "start") => {
            Ok(ClientMessage::Subscribe {
                id: string_field(&object, "id")?,
                operation: operation(object.get("payload"))?,
            })
        }
        (Protocol::TransportWs, "complete") | (Protocol::Legacy, "stop") => {
            Ok(ClientMessage::Complete {
                id: string_field(&object, "id")?,
            })
        }
        (Protocol::TransportWs, "ping") => Ok(ClientMessage::Ping(object.get("payload").cloned())),
        (Protocol::TransportWs, "pong") => Ok(ClientMessage::Pong),
        (Protocol::Legacy, "connection_terminate") => Ok(ClientMessage::Terminate),
        (_, other) => Err(format!("unexpected message type '{other}'")),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ServerMessage {
    Ack,
    Next {
        id: String,
        payload: Value,
    },
    /// A `next` whose payload is already JSON text, shared by many subscribers.
    NextRendered {
        id: String,
        payload: std::sync::Arc<str>,
    },
    Error {
        id: String,
        errors: Value,
    },
    Complete {
        id: String,
    },
    Ping,
    Pong(Option<Value>),
    /// Legacy keep-alive.
    KeepAlive,
    /// Legacy refusal of `connection_init`.
    ConnectionError(Value),
}

pub fn encode(protocol: Protocol, message: &ServerMessage) -> String {
    let value = match (protocol, message) {
        (_, ServerMessage::Ack) => json!({ "type": "connection_ack" }),
        (Protocol::TransportWs, ServerMessage::Next { id, payload }) => {
            json!({ "type": "next", "id": id, "payload": payload })
        }
        (Protocol::Legacy, ServerMessage::Next { id, payload }) => {
            json!({ "type": "data", "id": id, "payload": payload })
        }
        (_, ServerMessage::Error { id, errors }) => {
            json!({ "type": "error", "id": id, "payload": errors })
        }
        (_, ServerMessage::Complete { id }) => json!({ "type": "complete", "id": id }),
        (_, ServerMessage::Ping) => json!({ "type": "ping" }),
        (_, ServerMessage::Pong(Some(payload))) => json!({ "type": "pong", "payload": payload }),
        (_, ServerMessage::Pong(None)) => json!({ "type": "pong" }),
        (_, ServerMessage::KeepAlive) => json!({ "type": "ka" }),
        (_, ServerMessage::ConnectionError(payload)) => {
            json!({ "type": "connection_error", "payload": payload })
        }
        (_, ServerMessage::NextRendered { id, payload }) => {
            return rendered_next(protocol, id, payload);
        }
    };
    value.to_string()
}

/// A `next` (legacy: `data`) around a payload that is already JSON text.
fn rendered_next(protocol: Protocol, id: &str, payload: &str) -> String {
    let kind = match protocol {
        Protocol::TransportWs => "next",
        Protocol::Legacy => "data",
    };
    let id = Value::String(id.to_owned());
    format!(r#"{{"type":"{kind}","id":{id},"payload":{payload}}}"#)
}

/// The bearer token a client put in `connection_init`: `{"Authorization": "Bearer …"}`
/// (any case), `{"token": "…"}`, or the same inside `headers`.
pub fn token_from_init(payload: Option<&Map<String, Value>>) -> Option<String> {
    let payload = payload?;
    let from = |map: &Map<String, Value>| -> Option<String> {
        map.iter().find_map(|(key, value)| {
            let value = value.as_str()?;
            if key.eq_ignore_ascii_case("authorization") {
                Some(
                    value
                        .strip_prefix("Bearer ")
                        .or_else(|| value.strip_prefix("bearer "))
                        .unwrap_or(value)
                        .trim()
                        .to_owned(),
                )
            } else if key == "token" || key == "authToken" {
                Some(value.trim().to_owned())
            } else {
                None
            }
        })
    };
    from(payload)
        .or_else(|| {
            payload
                .get("headers")
                .and_then(Value::as_object)
                .and_then(from)
        })
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_the_first_supported_protocol() {
        assert_eq!(
            Protocol::negotiate("graphql-transport-ws"),
            Some(Protocol::TransportWs)
        );
        assert_eq!(
            Protocol::negotiate("foo, graphql-ws"),
            Some(Protocol::Legacy)
        );
        assert_eq!(Protocol::negotiate("foo"), None);
    }

    #[test]
    fn parses_the_messages_of_each_protocol() {
        let subscribe = r#"{"type":"subscribe","id":"1","payload":{"query":"subscription { x }","variables":{"a":1}}}"#;
        assert!(
            matches!(parse(Protocol::TransportWs, subscribe), Ok(ClientMessage::Subscribe { id, .. }) if id == "1")
        );
        assert!(
            parse(Protocol::Legacy, subscribe).is_err(),
            "legacy says 'start'"
        );
        assert!(matches!(
            parse(
                Protocol::Legacy,
                r#"{"type":"start","id":"1","payload":{"query":"{a}"}}"#
            ),
            Ok(ClientMessage::Subscribe { .. })
        ));
        assert_eq!(
            parse(Protocol::TransportWs, r#"{"type":"ping"}"#),
            Ok(ClientMessage::Ping(None))
        );
        for bad in [
            "not json",
            "[]",
            r#"{"id":"1"}"#,
            r#"{"type":"subscribe","payload":{"query":"{a}"}}"#,
            r#"{"type":"subscribe","id":"1","payload":{"query":1}}"#,
            r#"{"type":"next","id":"1"}"#,
            r#"{"type":"connection_init","payload":"x"}"#,
        ] {
            assert!(parse(Protocol::TransportWs, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn finds_the_token_in_the_init_payload() {
        let payload = |v: Value| v.as_object().cloned();
        assert_eq!(
            token_from_init(payload(json!({ "Authorization": "Bearer abc" })).as_ref()),
            Some("abc".into())
        );
        assert_eq!(
            token_from_init(payload(json!({ "authorization": "abc" })).as_ref()),
            Some("abc".into())
        );
        assert_eq!(
            token_from_init(
                payload(json!({ "headers": { "Authorization": "Bearer abc" } })).as_ref()
            ),
            Some("abc".into())
        );
        assert_eq!(
            token_from_init(payload(json!({ "token": "abc" })).as_ref()),
            Some("abc".into())
        );
        assert_eq!(token_from_init(payload(json!({})).as_ref()), None);
        assert_eq!(token_from_init(None), None);
    }

    #[test]
    fn encodes_per_protocol() {
        let next = ServerMessage::Next {
            id: "1".into(),
            payload: json!({ "data": null }),
        };
        assert!(encode(Protocol::TransportWs, &next).contains("\"next\""));
        assert!(encode(Protocol::Legacy, &next).contains("\"data\""));
    }
}
