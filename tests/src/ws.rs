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

/// The upgrade request for `/graphql`, offering `subprotocol` when there is one.
fn request(
    base: &str,
    subprotocol: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let url = format!("{}/graphql", base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().expect("request");
    if !subprotocol.is_empty() {
        request.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_str(subprotocol).expect("header"),
        );
    }
    request
}

impl WsClient {
    pub async fn connect(base: &str, subprotocol: &str) -> WsClient {
        let (socket, response) = tokio_tungstenite::connect_async(request(base, subprotocol))
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

    /// A client whose socket has a small kernel receive buffer, so that when it stops reading
    /// the server's writes to it stall after a few kilobytes.
    pub async fn connect_small_window(base: &str, subprotocol: &str) -> WsClient {
        let address = base
            .trim_start_matches("http://")
            .parse()
            .expect("socket address");
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(4096).expect("receive buffer");
        let stream = socket.connect(address).await.expect("connect");
        let (socket, _) = tokio_tungstenite::client_async(
            request(base, subprotocol),
            tokio_tungstenite::MaybeTlsStream::Plain(stream),
        )
        .await
        .expect("websocket connect");
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

    /// Sends any WebSocket message or hand-made frame (pings, fragments, broken text).
    pub async fn send_raw(&mut self, message: Message) {
        self.socket.send(message).await.expect("send");
    }

    /// The next WebSocket message as it came, pings and pongs included.
    pub async fn next_raw(&mut self) -> Option<Message> {
        tokio::time::timeout(Duration::from_secs(10), self.socket.next())
            .await
            .expect("nothing received in time")
            .and_then(Result::ok)
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

/// A WebSocket spoken byte by byte over TCP, for frames no client library would send.
pub struct RawSocket {
    stream: tokio::net::TcpStream,
}

impl RawSocket {
    /// Opens `/graphql` with a hand-written handshake; panics unless it is accepted.
    pub async fn handshake(address: &str, subprotocol: &str) -> RawSocket {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = address.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
        let request = format!(
            "GET /graphql HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Protocol: {subprotocol}\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8; 1];
            stream.read_exact(&mut byte).await.expect("read handshake");
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).expect("UTF-8 head");
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        // The accept key of RFC 6455's own example.
        assert!(
            head.to_ascii_lowercase()
                .contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
            "{head}"
        );
        RawSocket { stream }
    }

    pub async fn write(&mut self, bytes: &[u8]) {
        use tokio::io::AsyncWriteExt;
        self.stream.write_all(bytes).await.expect("write");
    }

    /// Reads frames until a close frame and returns its code.
    pub async fn close_code(&mut self) -> u16 {
        use tokio::io::AsyncReadExt;
        let read = async {
            loop {
                let mut header = [0u8; 2];
                self.stream
                    .read_exact(&mut header)
                    .await
                    .expect("frame header");
                assert_eq!(header[1] & 0x80, 0, "server frames are not masked");
                let length = match header[1] & 0x7F {
                    126 => usize::from(self.stream.read_u16().await.expect("length")),
                    127 => self.stream.read_u64().await.expect("length") as usize,
                    short => usize::from(short),
                };
                let mut payload = vec![0u8; length];
                self.stream.read_exact(&mut payload).await.expect("payload");
                if header[0] == 0x88 {
                    return u16::from_be_bytes([payload[0], payload[1]]);
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .expect("no close frame in time")
    }
}
