//! Process metrics in the Prometheus text format, kept in atomics (no registry crate needed
//! for a handful of series).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the request latency histogram.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {sum}");
        let _ = writeln!(out, "{name}_count{braces} {count}");
    }
}

/// Counters shared by the HTTP layer and the database connection.
#[derive(Default)]
pub struct Metrics {
    pub db_statements: AtomicU64,
    pub db_statement_errors: AtomicU64,
    pub graphql_requests: AtomicU64,
    pub graphql_errors: AtomicU64,
    pub http_requests_2xx: AtomicU64,
    pub http_requests_4xx: AtomicU64,
    pub http_requests_5xx: AtomicU64,
    pub http_requests_other: AtomicU64,
    pub http_latency: Histogram,
    pub db_latency: Histogram,
}

impl Metrics {
    pub fn record_statement(&self, elapsed: Duration, failed: bool) {
        self.db_statements.fetch_add(1, Ordering::Relaxed);
        if failed {
            self.db_statement_errors.fetch_add(1, Ordering::Relaxed);
        }
        self.db_latency.observe(elapsed);
    }

    pub fn record_http(&self, status: u16, elapsed: Duration) {
        let counter = match status {
            200..=299 => &self.http_requests_2xx,
            400..=499 => &self.http_requests_4xx,
            500..=599 => &self.http_requests_5xx,
            _ => &self.http_requests_other,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.http_latency.observe(elapsed);
    }

    pub fn statements(&self) -> u64 {
        self.db_statements.load(Ordering::Relaxed)
    }

    /// The Prometheus exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        counter(
            &mut out,
            "heatshield_db_statements_total",
            "SQL statements executed.",
            self.db_statements.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "heatshield_db_statement_errors_total",
            "SQL statements that failed.",
            self.db_statement_errors.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "heatshield_graphql_requests_total",
            "GraphQL operations executed.",
            self.graphql_requests.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "heatshield_graphql_errors_total",
            "GraphQL operations that answered with errors.",
            self.graphql_errors.load(Ordering::Relaxed),
        );
        let _ = writeln!(
            out,
            "# HELP heatshield_http_requests_total HTTP requests answered, by status class.\n# TYPE heatshield_http_requests_total counter"
        );
        for (class, value) in [
            ("2xx", &self.http_requests_2xx),
            ("4xx", &self.http_requests_4xx),
            ("5xx", &self.http_requests_5xx),
            ("other", &self.http_requests_other),
        ] {
            let _ = writeln!(
                out,
                "heatshield_http_requests_total{{status=\"{class}\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP heatshield_http_request_duration_seconds HTTP request latency.\n# TYPE heatshield_http_request_duration_seconds histogram"
        );
        self.http_latency
            .render(&mut out, "heatshield_http_request_duration_seconds", "");
        let _ = writeln!(
            out,
            "# HELP heatshield_db_statement_duration_seconds SQL statement latency.\n# TYPE heatshield_db_statement_duration_seconds histogram"
        );
        self.db_latency
            .render(&mut out, "heatshield_db_statement_duration_seconds", "");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let metrics = Metrics::default();
        metrics.record_http(200, Duration::from_millis(3));
        metrics.record_http(404, Duration::from_millis(300));
        let text = metrics.render();
        assert!(text.contains("heatshield_http_requests_total{status=\"2xx\"} 1"));
        assert!(text.contains("heatshield_http_requests_total{status=\"4xx\"} 1"));
        assert!(text.contains("heatshield_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("heatshield_http_request_duration_seconds_bucket{le=\"0.5\"} 2"));
        assert!(text.contains("heatshield_http_request_duration_seconds_count 2"));
    }
}
