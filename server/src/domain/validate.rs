//! Input checks shared by the domain modules. Each names the field it rejects.

use chrono::NaiveDate;

use crate::domain::{DomainError, DomainResult};

/// Trims and checks a required text: not blank, at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> DomainResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::validation(field, "must not be blank"));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err(DomainError::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Like `required`, for optional text: blank becomes None.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => {
            if text.chars().count() > max {
                return Err(DomainError::validation(
                    field,
                    format!("must be at most {max} characters"),
                ));
            }
            Ok(Some(text.to_owned()))
        }
    }
}

/// An identifier-like code: upper-case letters, digits, and `.`, `-`, `_`, starting with a
/// letter or digit (release keys `ER-2027.03`, system codes `PAY-GW`).
pub fn code(field: &str, value: &str, max: usize) -> DomainResult<String> {
    let value = value.trim();
    let valid_chars = value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    let starts_well = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if value.is_empty() || !valid_chars || !starts_well || value.len() > max {
        return Err(DomainError::validation(
            field,
            format!(
                "must be 1–{max} characters of A–Z, 0–9, '.', '-' or '_', starting with a letter or digit"
            ),
        ));
    }
    Ok(value.to_owned())
}

/// `start` must not be after `end`.
pub fn date_order(field: &str, start: NaiveDate, end: NaiveDate) -> DomainResult<()> {
    if start > end {
        return Err(DomainError::validation(
            field,
            format!("must not be before the start ({start})"),
        ));
    }
    Ok(())
}

/// An http(s) URL.
pub fn url(field: &str, value: Option<&str>) -> DomainResult<Option<String>> {
    let Some(value) = optional(field, value, 2000)? else {
        return Ok(None);
    };
    let lower = value.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || value.contains(' ') {
        return Err(DomainError::validation(
            field,
            "must be an http:// or https:// URL",
        ));
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_release_keys_and_reject_the_rest() {
        assert!(code("key", "ER-2027.03", 40).is_ok());
        assert!(code("key", "PR-3656", 40).is_ok());
        assert!(code("key", "er-1", 40).is_err());
        assert!(code("key", "-X", 40).is_err());
        assert!(code("key", "", 40).is_err());
        assert!(code("key", "A B", 40).is_err());
    }

    #[test]
    fn required_trims_and_limits() {
        assert_eq!(
            required("name", "  Payments  ", 10).ok().as_deref(),
            Some("Payments")
        );
        assert!(required("name", "   ", 10).is_err());
        assert!(required("name", "x".repeat(11).as_str(), 10).is_err());
        assert!(required("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn urls_must_be_http() {
        assert!(url("url", Some("https://sit1.bank.example")).is_ok());
        assert!(url("url", Some("ftp://x")).is_err());
        assert_eq!(url("url", Some(" ")).ok(), Some(None));
    }
}
