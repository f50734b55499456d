//! Single sign-on: trusting JWTs from an external identity provider, configured by issuer,
//! audience and public key (a PEM file or a JWKS file), with a claim mapped to roles.

use std::collections::HashMap;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

use super::jwt::{KeyError, TokenError};
use crate::config::SsoSettings;
use crate::domain::identity::users::ExternalIdentity;
use entity::Role;

enum Keys {
    Pem(DecodingKey, Algorithm),
    Jwks(JwkSet),
}

pub struct SsoVerifier {
    issuer: String,
    audience: String,
    keys: Keys,
    roles_claim: String,
    email_claim: String,
    role_map: HashMap<String, Role>,
}

const ASYMMETRIC: [Algorithm; 7] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
];

impl SsoVerifier {
    pub fn load(settings: &SsoSettings) -> Result<Self, KeyError> {
        let path = settings.key_file.display().to_string();
        let bytes = std::fs::read(&settings.key_file).map_err(|source| KeyError::Read {
            path: path.clone(),
            source,
        })?;
        let bad = |message: String| KeyError::BadKey {
            path: path.clone(),
            message,
        };
        let keys = if bytes.trim_ascii_start().starts_with(b"{") {
            let set: JwkSet = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
            if set.keys.is_empty() {
                return Err(bad("the JWKS holds no keys".into()));
            }
            Keys::Jwks(set)
        } else if let Ok(key) = DecodingKey::from_rsa_pem(&bytes) {
            Keys::Pem(key, Algorithm::RS256)
        } else {
            let key = DecodingKey::from_ec_pem(&bytes).map_err(|e| bad(e.to_string()))?;
            Keys::Pem(key, Algorithm::ES256)
        };
        let mut role_map = HashMap::new();
        for (external, role) in &settings.role_map {
            let role = Role::parse(role)
                .ok_or_else(|| bad(format!("unknown role {role} in the role map")))?;
            role_map.insert(external.clone(), role);
        }
        Ok(Self {
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            keys,
            roles_claim: settings.roles_claim.clone(),
            email_claim: settings.email_claim.clone(),
            role_map,
        })
    }

    /// Whether the token claims to come from this identity provider (not yet verified).
    pub fn claims_issuer(&self, token: &str) -> bool {
        jsonwebtoken::dangerous::insecure_decode_claims::<Value>(token)
            .ok()
            .and_then(|claims| {
                claims
                    .get("iss")
                    .and_then(Value::as_str)
                    .map(|iss| iss == self.issuer)
            })
            .unwrap_or(false)
    }

    pub fn verify(&self, token: &str) -> Result<ExternalIdentity, TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Invalid)?;
        let (key, algorithm) = match &self.keys {
            Keys::Pem(key, algorithm) => (key.clone(), *algorithm),
            Keys::Jwks(set) => {
                let jwk = match &header.kid {
                    Some(kid) => set.find(kid),
                    None if set.keys.len() == 1 => set.keys.first(),
                    None => None,
                }
                .ok_or(TokenError::Invalid)?;
                // Only asymmetric algorithms: an HMAC "signed" with the public key must fail.
                if !ASYMMETRIC.contains(&header.alg) {
                    return Err(TokenError::Invalid);
                }
                (
                    DecodingKey::from_jwk(jwk).map_err(|_| TokenError::Invalid)?,
                    header.alg,
                )
            }
        };
        let mut validation = Validation::new(algorithm);
        validation.leeway = 10;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        let claims = decode::<Value>(token, &key, &validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?
            .claims;
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .ok_or(TokenError::Invalid)?;
        let email = claims
            .get(&self.email_claim)
            .and_then(Value::as_str)
            .ok_or(TokenError::Invalid)?
            .trim()
            .to_lowercase();
        let name = claims
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(ExternalIdentity {
            subject: format!("{}|{}", self.issuer, sub),
            email,
            name,
            roles: self.map_roles(claims.get(&self.roles_claim)),
        })
    }

    /// Names from the claim, mapped through the role map or taken as role names; VIEWER when
    /// nothing maps, since that is the floor for anyone signed in.
    fn map_roles(&self, claim: Option<&Value>) -> Vec<Role> {
        let names: Vec<String> = match claim {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(text)) => text
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let mut roles: Vec<Role> = names
            .iter()
            .filter_map(|name| {
                self.role_map
                    .get(name)
                    .copied()
                    .or_else(|| Role::parse(name))
            })
            .collect();
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            roles.push(Role::Viewer);
        }
        roles
    }
}
