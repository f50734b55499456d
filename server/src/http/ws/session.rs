//! One WebSocket connection: the graphql-transport-ws state machine (and the legacy
//! graphql-ws one), with every close code the protocol defines.
//!
//! Three parts: this loop reads messages and timers; each subscription runs as its own task
//! feeding a bounded outbound queue; a writer task drains the queue into the socket. A client
//! that stops reading fills its own queue and slows only its own subscriptions.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::{Request, Variables};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::frame::Incoming;
use super::protocol::{self, ClientMessage, Operation, Protocol, ServerMessage, close};
use super::shared::{self, Shared, SharedStreams};
use super::socket::{self, ReadError, Reader, Writer};
use crate::auth::Viewer;
use crate::graphql::AppSchema;
use crate::graphql::context::{Loaders, RequestContext};
use crate::graphql::subscription::{FeedVersion, ResyncFirst};
use crate::state::AppState;

/// Messages waiting for the socket, per connection.
const OUTBOUND_CAPACITY: usize = 64;

pub struct Context {
    pub state: AppState,
    pub schema: AppSchema,
    /// Subscriptions whose answers are rendered once for all their subscribers.
    pub shared: Arc<SharedStreams>,
    pub request_id: String,
    pub client_address: String,
    /// A token sent on the upgrade request itself (non-browser clients).
    pub upgrade_token: Option<String>,
}

enum Outbound {
    Message(ServerMessage),
    /// The answer to a WebSocket-level ping.
    Pong(Vec<u8>),
    /// The last frame: a close with a code and reason, or an empty one echoing the peer's.
    Close(Option<(u16, String)>),
}

async fn write_loop(mut ws: Writer, protocol: Protocol, mut queue: mpsc::Receiver<Outbound>) {
    while let Some(item) = queue.recv().await {
        let written = match item {
            Outbound::Message(message) => ws.text(&protocol::encode(protocol, &message)).await,
            Outbound::Pong(payload) => ws.pong(&payload).await,
            Outbound::Close(code) => {
                let _ = ws
                    .close(code.as_ref().map(|(code, reason)| (*code, reason.as_str())))
                    .await;
                return;
            }
        };
        if written.is_err() {
            return;
        }
    }
}

struct Connection {
    context: Context,
    protocol: Protocol,
    outbound: mpsc::Sender<Outbound>,
    finished: mpsc::UnboundedSender<String>,
    init_received: bool,
    token: Option<String>,
    viewer: Option<Viewer>,
    subscriptions: HashMap<String, AbortHandle>,
}

/// What the loop does after a frame.
enum Next {
    Continue,
    Close(u16, String),
}

impl Connection {
    async fn send(&self, message: ServerMessage) {
        let _ = self.outbound.send(Outbound::Message(message)).await;
    }

    async fn authenticate(&self, token: &str) -> Option<Viewer> {
        let header = format!("Bearer {token}");
        let viewer = self
            .context
            .state
            .authenticator
            .authenticate(&self.context.state.store, Some(&header))
            .await;
        viewer.is_authenticated().then_some(viewer)
    }

    async fn on_text(&mut self, text: &str) -> Next {
        let message = match protocol::parse(self.protocol, text) {
            Ok(message) => message,
            Err(reason) => return Next::Close(close::BAD_MESSAGE, reason),
        };
        match message {
            ClientMessage::ConnectionInit(payload) => {
                if self.init_received {
                    return Next::Close(
                        close::TOO_MANY_INITS,
                        "Too many initialisation requests".into(),
                    );
                }
                self.init_received = true;
                let token = protocol::token_from_init(payload.as_ref())
                    .or_else(|| self.context.upgrade_token.clone());
                let viewer = match &token {
                    Some(token) => self.authenticate(token).await,
                    None => None,
                };
                match viewer {
                    Some(viewer) => {
                        self.viewer = Some(viewer);
                        self.token = token;
                        self.send(ServerMessage::Ack).await;
                        Next::Continue
                    }
                    None => {
                        if self.protocol == Protocol::Legacy {
                            self.send(ServerMessage::ConnectionError(
                                json!({ "message": "Forbidden" }),
                            ))
                            .await;
                        }
                        Next::Close(close::FORBIDDEN, "Forbidden".into())
                    }
                }
            }
            ClientMessage::Subscribe { id, operation } => {
                let Some(viewer) = self.viewer.clone() else {
                    return Next::Close(close::UNAUTHORIZED, "Unauthorized".into());
                };
                if self.subscriptions.contains_key(&id) {
                    return Next::Close(
                        close::DUPLICATE_SUBSCRIBER,
                        format!("Subscriber for {id} already exists"),
                    );
                }
                let handle = self.start(id.clone(), operation, viewer);
                self.subscriptions.insert(id, handle);
                Next::Continue
            }
            ClientMessage::Complete { id } => {
                if let Some(handle) = self.subscriptions.remove(&id) {
                    handle.abort();
                }
                Next::Continue
            }
            ClientMessage::Ping(payload) => {
                self.send(ServerMessage::Pong(payload)).await;
                Next::Continue
            }
            ClientMessage::Pong => Next::Continue,
            ClientMessage::Terminate => Next::Close(close::NORMAL, "Terminated".into()),
        }
    }

    /// Everything needed to build this connection's request for an operation, again and again.
    fn parts(&self, id: &str, operation: Operation, viewer: Viewer) -> RequestParts {
        RequestParts {
            operation,
            viewer,
            request_id: format!("{}:{}", self.context.request_id, id),
            client_address: self.context.client_address.clone(),
            state: self.context.state.clone(),
        }
    }

    /// Runs one operation as a task; its results go to the outbound queue.
    fn start(&self, id: String, operation: Operation, viewer: Viewer) -> AbortHandle {
        if let Some(key) = shared::key(&operation) {
            let parts = self.parts(&id, operation, viewer);
            return self.start_shared(id, key, parts);
        }
        let mut stream = self
            .context
            .schema
            .execute_stream(self.parts(&id, operation, viewer).request());
        let outbound = self.outbound.clone();
        let finished = self.finished.clone();
        let task = tokio::spawn(async move {
            let mut first = true;
            let mut failed = false;
            while let Some(response) = stream.next().await {
                // An operation that could not start (invalid, or refused) ends with `error`.
                if first && refused(&response) {
                    let _ = outbound
                        .send(Outbound::Message(error_message(&id, &response)))
                        .await;
                    failed = true;
                    break;
                }
                first = false;
                let payload = serde_json::to_value(&response).unwrap_or(Value::Null);
                if outbound
                    .send(Outbound::Message(ServerMessage::Next {
                        id: id.clone(),
                        payload,
                    }))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            if !failed {
                let _ = outbound
                    .send(Outbound::Message(ServerMessage::Complete {
                        id: id.clone(),
                    }))
                    .await;
            }
            let _ = finished.send(id);
        });
        task.abort_handle()
    }

    /// A subscription that follows a shared execution after its own first answer.
    fn start_shared(&self, id: String, key: String, parts: RequestParts) -> AbortHandle {
        let schema = self.context.schema.clone();
        let (group, mut shared) = self.context.shared.join(key, &schema, || parts.request());
        let outbound = self.outbound.clone();
        let finished = self.finished.clone();
        let task = tokio::spawn(async move {
            // Held for as long as this subscriber follows the group.
            let group = group;
            let send = |message: ServerMessage| outbound.send(Outbound::Message(message));
            let (mut seen, mut holding) = match own_answer(&schema, &parts, false).await {
                Ok(answer) => {
                    if send(ServerMessage::Next {
                        id: id.clone(),
                        payload: answer.payload,
                    })
                    .await
                    .is_err()
                    {
                        return;
                    }
                    // A group that has not answered yet may not hold the plan's live feed yet;
                    // this subscriber's own stream keeps the feed alive until it does. (A feed
                    // nobody holds is dropped and rebuilt, and a change made in between would
                    // reach the screen as a fresh snapshot instead of a delta.)
                    (answer.version, (!group.started()).then_some(answer.stream))
                }
                Err(Some(refusal)) => {
                    let _ = send(error_message(&id, &refusal)).await;
                    let _ = finished.send(id);
                    return;
                }
                Err(None) => (0, None),
            };
            loop {
                let received = shared.recv().await;
                drop(holding.take());
                let message = match received {
                    Ok(Shared::Next { version, .. }) if version <= seen => continue,
                    Ok(Shared::Next { version, payload }) => {
                        seen = version;
                        ServerMessage::NextRendered {
                            id: id.clone(),
                            payload,
                        }
                    }
                    Ok(Shared::Ended) | Err(RecvError::Closed) => break,
                    Err(RecvError::Lagged(_)) => match own_answer(&schema, &parts, true).await {
                        Ok(answer) => {
                            seen = answer.version;
                            ServerMessage::Next {
                                id: id.clone(),
                                payload: answer.payload,
                            }
                        }
                        Err(_) => break,
                    },
                };
                if send(message).await.is_err() {
                    return;
                }
            }
            let _ = send(ServerMessage::Complete { id: id.clone() }).await;
            let _ = finished.send(id);
        });
        task.abort_handle()
    }

    fn stop_all(&mut self) {
        for (_, handle) in self.subscriptions.drain() {
            handle.abort();
        }
    }
}

/// What a request of this connection is built from.
struct RequestParts {
    operation: Operation,
    viewer: Viewer,
    request_id: String,
    client_address: String,
    state: AppState,
}

impl RequestParts {
    fn request(&self) -> Request {
        let operation = &self.operation;
        let mut request = Request::new(operation.query.clone()).data(RequestContext {
            viewer: self.viewer.clone(),
            request_id: self.request_id.clone(),
            client_address: self.client_address.clone(),
            loaders: Loaders::new(self.state.store.conn().clone()),
        });
        if let Some(name) = &operation.operation_name {
            request = request.operation_name(name.clone());
        }
        if let Some(variables) = &operation.variables {
            request = request.variables(Variables::from_json(Value::Object(variables.clone())));
        }
        request
    }
}

/// A subscriber's own answer to its operation.
struct OwnAnswer {
    payload: Value,
    /// The feed version the answer covers.
    version: u64,
    /// The operation's stream, still subscribed to the feed; dropping it lets go of the feed.
    stream: BoxStream<'static, async_graphql::Response>,
}

/// The subscriber's own first answer (a snapshot). `Err(Some(_))`: refused (invalid, forbidden,
/// not found); `Err(None)`: the stream ended without an answer.
async fn own_answer(
    schema: &AppSchema,
    parts: &RequestParts,
    resync: bool,
) -> Result<OwnAnswer, Option<async_graphql::Response>> {
    let slot = Arc::new(AtomicU64::new(0));
    let mut request = parts.request().data(FeedVersion(slot.clone()));
    if resync {
        request = request.data(ResyncFirst);
    }
    let mut stream = schema.execute_stream(request);
    let response = stream.next().await.ok_or(None)?;
    if refused(&response) {
        return Err(Some(response));
    }
    Ok(OwnAnswer {
        payload: serde_json::to_value(&response).unwrap_or(Value::Null),
        version: slot.load(Ordering::SeqCst),
        stream,
    })
}

/// An answer that means the operation could not start.
fn refused(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null && !response.errors.is_empty()
}

fn error_message(id: &str, response: &async_graphql::Response) -> ServerMessage {
    let errors = serde_json::to_value(&response.errors).unwrap_or_else(|_| json!([]));
    ServerMessage::Error {
        id: id.to_owned(),
        errors: errors_with_codes(errors),
    }
}

/// Errors sent over the socket carry codes like those over HTTP.
fn errors_with_codes(mut errors: Value) -> Value {
    if let Some(list) = errors.as_array_mut() {
        for error in list {
            if let Some(object) = error.as_object_mut() {
                let extensions = object.entry("extensions").or_insert_with(|| json!({}));
                if let Some(extensions) = extensions.as_object_mut() {
                    extensions
                        .entry("code")
                        .or_insert_with(|| json!("VALIDATION"));
                }
            }
        }
    }
    errors
}

/// How a connection ended.
enum Ending {
    /// The peer sent a close frame (with this code): it is echoed.
    Peer(Option<u16>),
    /// The stream ended or broke: there is no one to tell.
    Gone,
    /// The server closes with a code and reason, then waits for the peer's close.
    Server(u16, String),
}

/// Serves one upgraded connection. `leftover`: bytes that arrived with the handshake.
pub async fn run(
    context: Context,
    protocol: Option<Protocol>,
    stream: TcpStream,
    leftover: Vec<u8>,
) {
    let settings = context.state.settings.clone();
    let (mut incoming, writer) = socket::split(stream, leftover, settings.limits.max_body_bytes);
    let (outbound, queue) = mpsc::channel(OUTBOUND_CAPACITY);
    let writer = actix_web::rt::spawn(write_loop(
        writer,
        protocol.unwrap_or(Protocol::TransportWs),
        queue,
    ));
    let grace = std::time::Duration::from_secs(2);
    let Some(protocol) = protocol else {
        let reason = "Subprotocol not acceptable".to_owned();
        let _ = outbound
            .send(Outbound::Close(Some((
                close::SUBPROTOCOL_NOT_ACCEPTABLE,
                reason,
            ))))
            .await;
        finish(writer, &mut incoming, true, grace).await;
        return;
    };
    let shutdown = context.state.shutdown.clone();
    let (finished, mut finished_rx) = mpsc::unbounded_channel();
    let mut connection = Connection {
        context,
        protocol,
        outbound,
        finished,
        init_received: false,
        token: None,
        viewer: None,
        subscriptions: HashMap::new(),
    };
    let init_deadline = tokio::time::sleep(settings.ws_init_timeout);
    tokio::pin!(init_deadline);
    let mut keepalive = tokio::time::interval_at(
        tokio::time::Instant::now() + settings.ws_keepalive,
        settings.ws_keepalive,
    );
    let mut reauth = tokio::time::interval_at(
        tokio::time::Instant::now() + settings.ws_reauth_interval,
        settings.ws_reauth_interval,
    );

    let ending = loop {
        tokio::select! {
            message = incoming.next() => match message {
                Ok(Some(Incoming::Text(text))) => {
                    // Boxed: the handler's future (authentication, database reads) is large,
                    // and inlined it would make every idle connection's task that large.
                    if let Next::Close(code, reason) = Box::pin(connection.on_text(&text)).await {
                        break Ending::Server(code, reason);
                    }
                }
                Ok(Some(Incoming::Binary)) => break Ending::Server(close::BAD_MESSAGE, "binary frames are not part of the protocol".into()),
                Ok(Some(Incoming::Ping(payload))) => {
                    // A client whose queue is full is not reading: the pong would only wait.
                    let _ = connection.outbound.try_send(Outbound::Pong(payload));
                }
                Ok(Some(Incoming::Pong)) => {}
                Ok(Some(Incoming::Close(code))) => break Ending::Peer(code),
                Ok(None) => break Ending::Gone,
                Err(ReadError::Io(error)) => {
                    tracing::debug!(%error, "websocket connection broke");
                    break Ending::Gone;
                }
                Err(ReadError::Frame(error)) => break Ending::Server(error.close_code(), error.to_string()),
            },
            _ = &mut init_deadline, if !connection.init_received => {
                break Ending::Server(close::INIT_TIMEOUT, "Connection initialisation timeout".into());
            }
            _ = keepalive.tick(), if connection.viewer.is_some() => {
                let message = match protocol {
                    Protocol::TransportWs => ServerMessage::Ping,
                    Protocol::Legacy => ServerMessage::KeepAlive,
                };
                // A client whose queue is full is not reading: a ping would only wait.
                let _ = connection.outbound.try_send(Outbound::Message(message));
            }
            _ = reauth.tick(), if connection.viewer.is_some() => {
                // Sessions of deactivated users, revoked tokens and changed roles end here.
                let token = connection.token.clone().unwrap_or_default();
                let current = Box::pin(connection.authenticate(&token)).await;
                let unchanged = current.as_ref().map(|v| &v.roles) == connection.viewer.as_ref().map(|v| &v.roles);
                if !unchanged {
                    break Ending::Server(close::FORBIDDEN, "Forbidden: the session ended or its roles changed".into());
                }
            }
            Some(id) = finished_rx.recv() => {
                connection.subscriptions.remove(&id);
            }
            _ = shutdown.wait() => break Ending::Server(close::GOING_AWAY, "The server is shutting down".into()),
        }
    };
    connection.stop_all();
    let (last, await_peer) = match ending {
        Ending::Peer(code) => (
            Some(Outbound::Close(code.map(|c| (c, String::new())))),
            false,
        ),
        Ending::Gone => (None, false),
        Ending::Server(code, reason) => (Some(Outbound::Close(Some((code, reason)))), true),
    };
    if let Some(last) = last {
        // A client that stopped reading cannot hold the connection (or a shutdown) open.
        let _ = tokio::time::timeout(grace, connection.outbound.send(last)).await;
    }
    drop(connection);
    finish(writer, &mut incoming, await_peer, grace).await;
}

/// Lets the writer send what is queued (the close frame last), then, when the server closed,
/// reads until the peer's close or end of stream: dropping a socket with unread bytes resets
/// the connection, and the peer could lose the close frame with its code.
async fn finish(
    writer: actix_web::rt::task::JoinHandle<()>,
    incoming: &mut Reader,
    await_peer: bool,
    grace: std::time::Duration,
) {
    let abort = writer.abort_handle();
    if tokio::time::timeout(grace, writer).await.is_err() {
        abort.abort();
        return;
    }
    if await_peer {
        let _ = tokio::time::timeout(grace, incoming.until_closed()).await;
    }
}
