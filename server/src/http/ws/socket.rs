//! A WebSocket on a TCP stream, after the handshake, split in a reader and a writer.
//!
//! Ten thousand command-centre screens are ten thousand sockets that are idle almost all the
//! time, so neither half keeps a buffer while nothing moves: the reader waits for readiness
//! without one and lets go of it once the bytes it holds are parsed; the writer writes each
//! frame straight to the socket. (actix-http's upgraded connections kept 8 KiB read and write
//! buffers each for the life of the socket, plus actix-ws's channel and frame buffer: more
//! than half of what a subscriber cost.)

use std::io;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::frame::{self, Assembler, FrameError, Incoming, Opcode};

/// How much the reader asks the kernel for at once.
const READ_CHUNK: usize = 4096;

/// Why reading stopped.
#[derive(Debug)]
pub enum ReadError {
    /// The connection broke.
    Io(io::Error),
    /// The peer broke the WebSocket rules; the connection is closed with the error's code.
    Frame(FrameError),
}

pub fn split(stream: TcpStream, leftover: Vec<u8>, max_message: usize) -> (Reader, Writer) {
    let (read, write) = stream.into_split();
    (
        Reader {
            half: read,
            inbound: leftover,
            assembler: Assembler::default(),
            max_message,
        },
        Writer { half: write },
    )
}

pub struct Reader {
    half: OwnedReadHalf,
    /// Bytes received and not yet parsed; empty (and unallocated) between messages.
    inbound: Vec<u8>,
    assembler: Assembler,
    max_message: usize,
}

impl Reader {
    /// The next message, `Ok(None)` once the peer has closed the stream. Cancel-safe: what was
    /// read stays in the reader, so it can be raced against timers in `select!`.
    pub async fn next(&mut self) -> Result<Option<Incoming>, ReadError> {
        loop {
            if let Some(incoming) = self.parse_buffered().map_err(ReadError::Frame)? {
                return Ok(Some(incoming));
            }
            self.half.readable().await.map_err(ReadError::Io)?;
            if !self.fill().map_err(ReadError::Io)? {
                return Ok(None);
            }
        }
    }

    /// After the server's close frame: reads until the peer's close or the end of the stream,
    /// so the socket is not dropped with unread bytes (which resets the connection, and the
    /// peer could lose the close frame). Bytes that break the rules are skipped unread.
    pub async fn until_closed(&mut self) {
        loop {
            match self.next().await {
                Ok(Some(Incoming::Close(_)) | None) | Err(ReadError::Io(_)) => return,
                Ok(Some(_)) => {}
                Err(ReadError::Frame(_)) => break,
            }
        }
        self.inbound = Vec::new();
        loop {
            if self.half.readable().await.is_err() {
                return;
            }
            let mut skipped = [0u8; 1024];
            match self.half.try_read(&mut skipped) {
                Ok(0) => return,
                Err(error) if error.kind() != io::ErrorKind::WouldBlock => return,
                _ => {}
            }
        }
    }

    fn parse_buffered(&mut self) -> Result<Option<Incoming>, FrameError> {
        while let Some((frame, used)) = frame::parse(&self.inbound, self.max_message)? {
            self.inbound.drain(..used);
            if self.inbound.is_empty() {
                self.inbound = Vec::new();
            }
            if let Some(incoming) = self.assembler.push(frame, self.max_message)? {
                return Ok(Some(incoming));
            }
        }
        Ok(None)
    }

    /// Reads what the kernel has; `false` at end of stream.
    fn fill(&mut self) -> io::Result<bool> {
        self.inbound.reserve(READ_CHUNK);
        match self.half.try_read_buf(&mut self.inbound) {
            Ok(0) => Ok(false),
            Ok(_) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                if self.inbound.is_empty() {
                    self.inbound = Vec::new();
                }
                Ok(true)
            }
            Err(error) => Err(error),
        }
    }
}

pub struct Writer {
    half: OwnedWriteHalf,
}

impl Writer {
    pub async fn text(&mut self, text: &str) -> io::Result<()> {
        self.send(Opcode::Text, text.as_bytes()).await
    }

    pub async fn pong(&mut self, payload: &[u8]) -> io::Result<()> {
        self.send(Opcode::Pong, payload).await
    }

    /// Sends a close frame (with a code and reason, or empty when echoing a peer's bare close)
    /// and stops writing.
    pub async fn close(&mut self, code: Option<(u16, &str)>) -> io::Result<()> {
        let payload = code
            .map(|(code, reason)| frame::close_payload(code, reason))
            .unwrap_or_default();
        self.send(Opcode::Close, &payload).await?;
        self.half.shutdown().await
    }

    async fn send(&mut self, opcode: Opcode, payload: &[u8]) -> io::Result<()> {
        self.half.write_all(&frame::encode(opcode, payload)).await
    }
}
