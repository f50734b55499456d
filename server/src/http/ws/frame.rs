//! RFC 6455 framing, server side: parsing the client's (masked) frames, assembling fragmented
//! messages, and encoding the server's (unmasked) frames. No extensions are negotiated, so
//! reserved bits are always an error.
//!
//! The project frames WebSocket messages itself because a go-live keeps thousands of idle
//! sockets open for a weekend: what a socket holds between messages is what the server's
//! memory is made of (see `socket.rs`).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opcode {
    Continuation,
    Text,
    Binary,
    Close,
    Ping,
    Pong,
}

impl Opcode {
    fn from_bits(bits: u8) -> Option<Self> {
        Some(match bits {
            0x0 => Opcode::Continuation,
            0x1 => Opcode::Text,
            0x2 => Opcode::Binary,
            0x8 => Opcode::Close,
            0x9 => Opcode::Ping,
            0xA => Opcode::Pong,
            _ => return None,
        })
    }

    fn bits(self) -> u8 {
        match self {
            Opcode::Continuation => 0x0,
            Opcode::Text => 0x1,
            Opcode::Binary => 0x2,
            Opcode::Close => 0x8,
            Opcode::Ping => 0x9,
            Opcode::Pong => 0xA,
        }
    }

    fn is_control(self) -> bool {
        matches!(self, Opcode::Close | Opcode::Ping | Opcode::Pong)
    }
}

/// Why the peer's bytes cannot be accepted; each maps to the close code RFC 6455 gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// 1002: the bytes break the framing rules.
    Protocol(&'static str),
    /// 1007: a text message that is not UTF-8.
    InvalidUtf8,
    /// 1009: a message larger than the server accepts.
    TooBig,
}

impl FrameError {
    pub fn close_code(&self) -> u16 {
        match self {
            FrameError::Protocol(_) => 1002,
            FrameError::InvalidUtf8 => 1007,
            FrameError::TooBig => 1009,
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Protocol(reason) => f.write_str(reason),
            FrameError::InvalidUtf8 => f.write_str("text message is not valid UTF-8"),
            FrameError::TooBig => f.write_str("message too big"),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Frame {
    pub fin: bool,
    pub opcode: Opcode,
    pub payload: Vec<u8>,
}

/// Parses the client frame at the start of `buffer`: `Ok(None)` when more bytes are needed,
/// otherwise the frame and how many bytes it took. A frame longer than `max_payload` is refused
/// from its header, before its payload is buffered.
pub fn parse(buffer: &[u8], max_payload: usize) -> Result<Option<(Frame, usize)>, FrameError> {
    let [first, second, ..] = *buffer else {
        return Ok(None);
    };
    if first & 0x70 != 0 {
        return Err(FrameError::Protocol(
            "reserved bits set without an extension",
        ));
    }
    let opcode =
        Opcode::from_bits(first & 0x0F).ok_or(FrameError::Protocol("unknown frame opcode"))?;
    let fin = first & 0x80 != 0;
    if second & 0x80 == 0 {
        return Err(FrameError::Protocol("client frames must be masked"));
    }
    let (length, mut at) = match second & 0x7F {
        126 => match buffer.get(2..4) {
            Some(bytes) => (u64::from(u16::from_be_bytes([bytes[0], bytes[1]])), 4),
            None => return Ok(None),
        },
        127 => match buffer.get(2..10) {
            Some(bytes) => {
                let mut be = [0u8; 8];
                be.copy_from_slice(bytes);
                let length = u64::from_be_bytes(be);
                if length >> 63 != 0 {
                    return Err(FrameError::Protocol("frame length out of range"));
                }
                (length, 10)
            }
            None => return Ok(None),
        },
        short => (u64::from(short), 2),
    };
    if opcode.is_control() && (!fin || length > 125) {
        return Err(FrameError::Protocol(
            "control frames must be whole and at most 125 bytes",
        ));
    }
    let length = usize::try_from(length).map_err(|_| FrameError::TooBig)?;
    if length > max_payload {
        return Err(FrameError::TooBig);
    }
    let Some(mask) = buffer.get(at..at + 4) else {
        return Ok(None);
    };
    let mask = [mask[0], mask[1], mask[2], mask[3]];
    at += 4;
    let Some(masked) = buffer.get(at..at + length) else {
        return Ok(None);
    };
    let payload = masked
        .iter()
        .zip(mask.iter().cycle())
        .map(|(byte, key)| byte ^ key)
        .collect();
    Ok(Some((
        Frame {
            fin,
            opcode,
            payload,
        },
        at + length,
    )))
}

/// A whole server frame (FIN set, unmasked).
pub fn encode(opcode: Opcode, payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(payload.len() + 10);
    frame.push(0x80 | opcode.bits());
    match payload.len() {
        short @ 0..=125 => frame.push(short as u8),
        medium @ 126..=0xFFFF => {
            frame.push(126);
            frame.extend_from_slice(&(medium as u16).to_be_bytes());
        }
        long => {
            frame.push(127);
            frame.extend_from_slice(&(long as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    frame
}

/// A close frame's payload: the code and a reason cut to fit the 125-byte limit on a char
/// boundary.
pub fn close_payload(code: u16, reason: &str) -> Vec<u8> {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let mut payload = code.to_be_bytes().to_vec();
    payload.extend_from_slice(&reason.as_bytes()[..end]);
    payload
}

/// What the peer sent, once frames are put together.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Text(String),
    Binary,
    Ping(Vec<u8>),
    Pong,
    /// The peer's close code, if it gave one.
    Close(Option<u16>),
}

/// Puts fragmented messages together; control frames may arrive between the fragments.
#[derive(Debug, Default)]
pub struct Assembler {
    partial: Option<(Opcode, Vec<u8>)>,
}

impl Assembler {
    /// Takes one frame; `Ok(None)` while a fragmented message is incomplete.
    pub fn push(
        &mut self,
        frame: Frame,
        max_message: usize,
    ) -> Result<Option<Incoming>, FrameError> {
        let data = match frame.opcode {
            Opcode::Ping => return Ok(Some(Incoming::Ping(frame.payload))),
            Opcode::Pong => return Ok(Some(Incoming::Pong)),
            Opcode::Close => return close_code(&frame.payload).map(|c| Some(Incoming::Close(c))),
            Opcode::Text | Opcode::Binary if self.partial.is_some() => {
                return Err(FrameError::Protocol(
                    "a new message started inside a fragmented one",
                ));
            }
            Opcode::Text | Opcode::Binary if !frame.fin => {
                self.partial = Some((frame.opcode, frame.payload));
                return Ok(None);
            }
            Opcode::Text | Opcode::Binary => (frame.opcode, frame.payload),
            Opcode::Continuation => {
                let Some((opcode, mut data)) = self.partial.take() else {
                    return Err(FrameError::Protocol("continuation frame without a message"));
                };
                if data.len() + frame.payload.len() > max_message {
                    return Err(FrameError::TooBig);
                }
                data.extend_from_slice(&frame.payload);
                if !frame.fin {
                    self.partial = Some((opcode, data));
                    return Ok(None);
                }
                (opcode, data)
            }
        };
        match data {
            (Opcode::Text, bytes) => String::from_utf8(bytes)
                .map(|text| Some(Incoming::Text(text)))
                .map_err(|_| FrameError::InvalidUtf8),
            _ => Ok(Some(Incoming::Binary)),
        }
    }
}

/// The code of a close frame, checked against the codes a peer may send.
fn close_code(payload: &[u8]) -> Result<Option<u16>, FrameError> {
    match payload {
        [] => Ok(None),
        [_] => Err(FrameError::Protocol("close frame with a one-byte payload")),
        [high, low, reason @ ..] => {
            let code = u16::from_be_bytes([*high, *low]);
            let allowed = matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999);
            if !allowed {
                return Err(FrameError::Protocol("close code not allowed on the wire"));
            }
            std::str::from_utf8(reason).map_err(|_| FrameError::InvalidUtf8)?;
            Ok(Some(code))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client frame as a browser would send it.
    fn client_frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        let mut frame = vec![first];
        match payload.len() {
            n @ 0..=125 => frame.push(0x80 | n as u8),
            n @ 126..=0xFFFF => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().zip(mask.iter().cycle()).map(|(b, k)| b ^ k));
        frame
    }

    #[test]
    fn masked_frames_of_every_length_form_are_read() {
        for size in [0, 5, 125, 126, 300, 65_535, 65_536, 70_000] {
            let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let bytes = client_frame(0x82, &payload);
            let Ok(Some((frame, used))) = parse(&bytes, 1 << 20) else {
                panic!("a whole frame of {size} bytes was not read");
            };
            assert_eq!(used, bytes.len(), "{size}");
            assert_eq!(frame.payload, payload, "{size}");
            assert!(frame.fin);
            assert_eq!(frame.opcode, Opcode::Binary);
            // Every prefix is incomplete, never an error.
            for cut in [0, 1, 2, used / 2, used - 1] {
                assert_eq!(
                    parse(&bytes[..cut], 1 << 20),
                    Ok(None),
                    "{size} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn framing_violations_are_refused() {
        let unmasked = [0x81, 0x02, b'h', b'i'];
        assert_eq!(
            parse(&unmasked, 1024),
            Err(FrameError::Protocol("client frames must be masked"))
        );
        assert!(matches!(
            parse(&client_frame(0xC1, b"x"), 1024),
            Err(FrameError::Protocol(_))
        ));
        assert!(matches!(
            parse(&client_frame(0x83, b"x"), 1024),
            Err(FrameError::Protocol(_))
        ));
        // A fragmented ping, and a ping too long for a control frame.
        assert!(matches!(
            parse(&client_frame(0x09, b"x"), 1024),
            Err(FrameError::Protocol(_))
        ));
        assert!(matches!(
            parse(&client_frame(0x89, &[0; 126]), 1024),
            Err(FrameError::Protocol(_))
        ));
    }

    #[test]
    fn an_oversized_frame_is_refused_from_its_header() {
        let header_only = &client_frame(0x81, &[b'a'; 5000])[..8];
        assert_eq!(parse(header_only, 4096), Err(FrameError::TooBig));
    }

    #[test]
    fn server_frames_use_the_shortest_length_form() {
        assert_eq!(encode(Opcode::Text, b"hi"), vec![0x81, 2, b'h', b'i']);
        let medium = encode(Opcode::Text, &[b'a'; 200]);
        assert_eq!(&medium[..4], &[0x81, 126, 0, 200]);
        assert_eq!(medium.len(), 204);
        let long = encode(Opcode::Binary, &[0; 70_000]);
        assert_eq!(&long[..2], &[0x82, 127]);
        assert_eq!(&long[2..10], &70_000u64.to_be_bytes());
    }

    #[test]
    fn close_reasons_are_cut_on_a_character_boundary() {
        let reason = "é".repeat(100);
        let payload = close_payload(4400, &reason);
        assert!(payload.len() <= 125);
        assert_eq!(&payload[..2], &4400u16.to_be_bytes());
        assert!(std::str::from_utf8(&payload[2..]).is_ok());
    }

    fn frame(fin: bool, opcode: Opcode, payload: &[u8]) -> Frame {
        Frame {
            fin,
            opcode,
            payload: payload.to_vec(),
        }
    }

    #[test]
    fn fragments_are_joined_around_control_frames() {
        let mut assembler = Assembler::default();
        assert_eq!(
            assembler.push(frame(false, Opcode::Text, b"{\"ty"), 100),
            Ok(None)
        );
        assert_eq!(
            assembler.push(frame(true, Opcode::Ping, b"p"), 100),
            Ok(Some(Incoming::Ping(b"p".to_vec())))
        );
        assert_eq!(
            assembler.push(frame(false, Opcode::Continuation, b"pe\":"), 100),
            Ok(None)
        );
        assert_eq!(
            assembler.push(frame(true, Opcode::Continuation, b"1}"), 100),
            Ok(Some(Incoming::Text("{\"type\":1}".into())))
        );
    }

    #[test]
    fn broken_message_sequences_are_refused() {
        let mut assembler = Assembler::default();
        assert!(matches!(
            assembler.push(frame(true, Opcode::Continuation, b"x"), 100),
            Err(FrameError::Protocol(_))
        ));
        assert_eq!(
            assembler.push(frame(false, Opcode::Text, b"x"), 100),
            Ok(None)
        );
        assert!(matches!(
            assembler.push(frame(true, Opcode::Text, b"y"), 100),
            Err(FrameError::Protocol(_))
        ));
        let mut assembler = Assembler::default();
        assert_eq!(
            assembler.push(frame(false, Opcode::Text, &[b'a'; 60]), 100),
            Ok(None)
        );
        assert_eq!(
            assembler.push(frame(true, Opcode::Continuation, &[b'a'; 60]), 100),
            Err(FrameError::TooBig)
        );
        let mut assembler = Assembler::default();
        assert_eq!(
            assembler.push(frame(true, Opcode::Text, &[0xff, 0xfe]), 100),
            Err(FrameError::InvalidUtf8)
        );
    }

    #[test]
    fn close_frames_carry_only_codes_a_peer_may_send() {
        let mut assembler = Assembler::default();
        let mut close = |payload: &[u8]| assembler.push(frame(true, Opcode::Close, payload), 100);
        assert_eq!(close(&[]), Ok(Some(Incoming::Close(None))));
        assert_eq!(
            close(&1000u16.to_be_bytes()),
            Ok(Some(Incoming::Close(Some(1000))))
        );
        assert_eq!(
            close(&4500u16.to_be_bytes()),
            Ok(Some(Incoming::Close(Some(4500))))
        );
        assert!(close(&[3]).is_err());
        assert!(close(&1005u16.to_be_bytes()).is_err());
        assert!(close(&999u16.to_be_bytes()).is_err());
    }
}
