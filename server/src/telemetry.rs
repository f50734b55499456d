//! Logging through `tracing`: human-readable by default, JSON lines when configured.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::LogFormat;

/// Installs the global subscriber. `HEATSHIELD_LOG` (or `RUST_LOG`) sets the filter.
pub fn init(format: LogFormat) {
    init_with_default(format, "info,sqlx=warn,sea_orm=warn,actix_server=warn");
}

/// As `init`, with another filter when none is configured (tests log warnings only).
pub fn init_with_default(format: LogFormat, default_filter: &str) {
    let filter = std::env::var("HEATSHIELD_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| default_filter.into());
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match format {
        LogFormat::Human => registry.with(fmt::layer().with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(false),
            )
            .try_init(),
    };
    // A second initialisation (tests start many servers in one process) is harmless.
    let _ = result;
}
