//! A minimal GraphQL-over-WebSocket client for tests: raw frames, so the tests see exactly
//! what the server sends, close codes included.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct WsClient {
    socket: Socket,
}

/// What the server did next.
#[derive(Debug, PartialEq)]
pub enum Received {
    Json(Value),
    Closed(u16, String),
}

impl WsClient {
    pub async fn connect(base: &str, subprotocol: &str) -> WsClient {
        let url = format!("{}/graphql", base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().expect("request");
        if !subprotocol.is_empty() {
            request.headers_mut().insert(
                "sec-websocket-protocol",
                HeaderValue::from_str(subprotocol).expect("header"),
            );
        }
        let (socket, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("websocket connect");
        if subprotocol == "graphql-transport-ws" || subprotocol == "graphql-ws" {
            assert_eq!(
                response
                    .headers()
                    .get("sec-websocket-protocol")
                    .and_then(|v| v.to_str().ok()),
                Some(subprotocol)
            );
        }
        WsClient { socket }
    }

    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send");
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(Message::Text(text.to_owned().into()))
            .await
            .expect("send");
    }

    /// The next JSON message or the close, skipping keep-alives; panics after `timeout`.
    pub async fn next_within(&mut self, timeout: Duration) -> Received {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .expect("nothing received in time");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON message");
                    if value["type"] == "ka" || value["type"] == "ping" {
                        continue;
                    }
                    return Received::Json(value);
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Received::Closed(code, reason);
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Received::Closed(1006, String::new()),
            }
        }
    }

    /// The next message or close within `window`, or None when nothing but keep-alives came.
    pub async fn try_next_within(&mut self, window: Duration) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + window;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON message");
                    if value["type"] == "ka" || value["type"] == "ping" {
                        continue;
                    }
                    return Some(Received::Json(value));
                }
                Ok(Some(Ok(Message::Close(frame)))) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Some(Received::Closed(code, reason));
                }
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_)) | None) => return Some(Received::Closed(1006, String::new())),
            }
        }
    }

    pub async fn next(&mut self) -> Received {
        self.next_within(Duration::from_secs(10)).await
    }

    pub async fn next_json(&mut self) -> Value {
        match self.next().await {
            Received::Json(value) => value,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    pub async fn expect_close(&mut self, code: u16) -> String {
        match self.next().await {
            Received::Closed(actual, reason) => {
                assert_eq!(
                    actual, code,
                    "closed with {actual} ({reason}), expected {code}"
                );
                reason
            }
            other => panic!("expected close {code}, got {other:?}"),
        }
    }

    /// Nothing arrives within `window` (apart from keep-alives).
    pub async fn expect_silence(&mut self, window: Duration) {
        let deadline = tokio::time::Instant::now() + window;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    assert!(
                        value["type"] == "ka" || value["type"] == "ping",
                        "unexpected message {value}"
                    );
                }
                Ok(other) => panic!("unexpected frame {other:?}"),
            }
        }
    }
}
