//! The JWTs Heatshield issues at sign-in: HS256 with a shared secret by default, RS256 or
//! ES256 with a key pair as an option. The algorithm is pinned, so a token signed another
//! way (or `none`) never verifies.

use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::config::{JwtAlgorithm, JwtSettings};

/// Tolerated clock difference between servers.
const LEEWAY_SECONDS: u64 = 10;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// Public user id (`usr_…`).
    pub sub: String,
    pub roles: Vec<String>,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
    pub iss: String,
    pub aud: String,
    /// The user's security stamp when the token was issued; a password change rotates it.
    pub stamp: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid")]
    Invalid,
}

#[derive(Clone)]
pub struct JwtKeys {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    ttl: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no JWT secret is configured (set HEATSHIELD_JWT_SECRET)")]
    MissingSecret,
    #[error("the JWT secret must be at least 32 bytes")]
    ShortSecret,
    #[error("{0} needs HEATSHIELD_JWT_PRIVATE_KEY and HEATSHIELD_JWT_PUBLIC_KEY")]
    MissingKeyPair(&'static str),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid key in {path}: {message}")]
    BadKey { path: String, message: String },
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|source| KeyError::Read {
        path: path.display().to_string(),
        source,
    })
}

impl JwtKeys {
    /// Builds the keys; `secret` is the resolved HS256 secret (configured or generated).
    pub fn new(settings: &JwtSettings, secret: Option<&str>) -> Result<Self, KeyError> {
        let (algorithm, encoding, decoding) = match settings.algorithm {
            JwtAlgorithm::Hs256 => {
                let secret = secret.ok_or(KeyError::MissingSecret)?;
                if secret.len() < 32 {
                    return Err(KeyError::ShortSecret);
                }
                (
                    Algorithm::HS256,
                    EncodingKey::from_secret(secret.as_bytes()),
                    DecodingKey::from_secret(secret.as_bytes()),
                )
            }
            JwtAlgorithm::Rs256 | JwtAlgorithm::Es256 => {
                let name = if settings.algorithm == JwtAlgorithm::Rs256 {
                    "RS256"
                } else {
                    "ES256"
                };
                let (Some(private), Some(public)) =
                    (&settings.private_key_pem, &settings.public_key_pem)
                else {
                    return Err(KeyError::MissingKeyPair(name));
                };
                let private_pem = read(private)?;
                let public_pem = read(public)?;
                let bad = |path: &std::path::Path| {
                    let path = path.display().to_string();
                    move |e: jsonwebtoken::errors::Error| KeyError::BadKey {
                        path,
                        message: e.to_string(),
                    }
                };
                if settings.algorithm == JwtAlgorithm::Rs256 {
                    (
                        Algorithm::RS256,
                        EncodingKey::from_rsa_pem(&private_pem).map_err(bad(private))?,
                        DecodingKey::from_rsa_pem(&public_pem).map_err(bad(public))?,
                    )
                } else {
                    (
                        Algorithm::ES256,
                        EncodingKey::from_ec_pem(&private_pem).map_err(bad(private))?,
                        DecodingKey::from_ec_pem(&public_pem).map_err(bad(public))?,
                    )
                }
            }
        };
        Ok(Self {
            algorithm,
            encoding,
            decoding,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl: settings.ttl,
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Signs a token for `sub` valid from now for the configured lifetime.
    pub fn issue(
        &self,
        sub: String,
        roles: Vec<String>,
        stamp: String,
    ) -> Result<(String, Claims), TokenError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub,
            roles,
            iat: now,
            nbf: now,
            exp: now + self.ttl.as_secs() as i64,
            jti: crate::domain::identity::secrets::random_id(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            stamp,
        };
        let token = encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .map_err(|_| TokenError::Invalid)?;
        Ok((token, claims))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "sub", "iss", "aud", "jti"]);
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn settings() -> JwtSettings {
        JwtSettings {
            algorithm: JwtAlgorithm::Hs256,
            secret: None,
            private_key_pem: None,
            public_key_pem: None,
            issuer: "heatshield".into(),
            audience: "heatshield".into(),
            ttl: Duration::from_secs(60),
        }
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn issued_tokens_verify_and_carry_their_claims() {
        let keys = JwtKeys::new(&settings(), Some(SECRET)).unwrap_or_else(|e| panic!("{e}"));
        let (token, claims) = keys
            .issue("usr_1".into(), vec!["ADMIN".into()], "stamp".into())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(keys.verify(&token), Ok(claims));
    }

    #[test]
    fn other_secrets_issuers_and_algorithms_are_rejected() {
        let keys = JwtKeys::new(&settings(), Some(SECRET)).unwrap_or_else(|e| panic!("{e}"));
        let (token, _) = keys
            .issue("usr_1".into(), vec![], "s".into())
            .unwrap_or_else(|e| panic!("{e}"));

        let other = JwtKeys::new(&settings(), Some("another-secret-another-secret-xx"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other.verify(&token), Err(TokenError::Invalid));

        let mut foreign = settings();
        foreign.issuer = "someone-else".into();
        let foreign = JwtKeys::new(&foreign, Some(SECRET)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(foreign.verify(&token), Err(TokenError::Invalid));

        // The same claims with alg "none" and no signature.
        let payload = token.split('.').nth(1).unwrap_or_default();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(
            keys.verify(&format!("{header}.{payload}.")),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn expired_tokens_are_reported_as_expired() {
        let mut short = settings();
        short.ttl = Duration::from_secs(0);
        let keys = JwtKeys::new(&short, Some(SECRET)).unwrap_or_else(|e| panic!("{e}"));
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "usr_1".into(),
            roles: vec![],
            exp: now - 120,
            iat: now - 200,
            nbf: now - 200,
            jti: "j".into(),
            iss: "heatshield".into(),
            aud: "heatshield".into(),
            stamp: "s".into(),
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap_or_default();
        assert_eq!(keys.verify(&token), Err(TokenError::Expired));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(matches!(
            JwtKeys::new(&settings(), Some("short")),
            Err(KeyError::ShortSecret)
        ));
        assert!(matches!(
            JwtKeys::new(&settings(), None),
            Err(KeyError::MissingSecret)
        ));
    }
}
