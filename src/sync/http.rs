//! Blocking HTTP(S) download of one meeting feed, with the limits an unattended kiosk needs.
//!
//! One call fetches one URL: https only (plain http only for a source marked `insecure`),
//! conditional requests from the last ETag / Last-Modified so an unchanged feed costs one
//! small answer, a size cap enforced while the body is read, timeouts, and a few retries with
//! doubling backoff for server errors and network trouble (never for 4xx answers, which do
//! not fix themselves). Every failure becomes a [`FeedError`] worded for staff; the caller
//! keeps the last good schedule.
//!
//! It does not parse the feed, look at the store, schedule fetches, or cache anything: the
//! caller passes the validators it stored and stores the ones that come back.

use std::io::Read;
use std::thread;
use std::time::Duration;

use ureq::http::StatusCode;

mod error;
#[cfg(test)]
mod tests;

pub use error::{FeedError, Problem};

/// One feed to fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedRequest {
    /// The source's name, for messages ("aa-intergroup").
    pub source: String,
    pub url: String,
    /// Allow plain `http://` for this source (some intergroup servers have no https).
    pub insecure: bool,
    /// ETag from the last successful fetch; empty when unknown.
    pub etag: String,
    /// Last-Modified from the last successful fetch; empty when unknown.
    pub last_modified: String,
}

/// How long and how much one fetch may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Time to set up the connection (DNS, TCP, TLS).
    pub connect_timeout: Duration,
    /// Time for one whole attempt, from connecting to the last byte of the body.
    pub read_timeout: Duration,
    /// The largest body accepted, checked while reading.
    pub max_bytes: u64,
    /// Attempts after the first one, for server errors, timeouts and network trouble.
    pub retries: u32,
    /// Wait before the first retry; doubles for each further one.
    pub backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_bytes: 64_000_000,
            retries: 2,
            backoff: Duration::from_secs(1),
        }
    }
}

/// What a fetch brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The server says the feed has not changed since `etag` / `last_modified`.
    NotModified,
    /// A new body, and the validators to send next time (empty when the server sent none).
    Body {
        bytes: Vec<u8>,
        etag: String,
        last_modified: String,
    },
}

/// The longest single wait between attempts, however large the backoff grows.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Fetches one feed. Never panics; every failure is a [`FeedError`].
pub fn fetch(req: &FeedRequest, limits: &Limits) -> Result<Fetched, FeedError> {
    let fail = |problem: Problem| FeedError {
        source: req.source.clone(),
        url: req.url.clone(),
        problem,
    };
    check_scheme(&req.url, req.insecure).map_err(fail)?;

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(limits.connect_timeout))
        .timeout_global(Some(limits.read_timeout))
        // Also refuses a redirect from https to plain http.
        .https_only(!req.insecure)
        .http_status_as_error(false)
        .user_agent(concat!("lobby-kiosk/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();

    let attempts = limits.retries.saturating_add(1);
    let mut wait = limits.backoff;
    let mut attempt = 1;
    loop {
        match attempt_once(&agent, req, limits) {
            Ok(fetched) => return Ok(fetched),
            Err(Failure { problem, retry }) => {
                if !retry || attempt >= attempts {
                    return Err(fail(problem.after(attempt)));
                }
            }
        }
        thread::sleep(wait.min(MAX_BACKOFF));
        wait = wait.saturating_mul(2);
        attempt += 1;
    }
}

/// Refuses what is not https before any connection is made.
fn check_scheme(url: &str, insecure: bool) -> Result<(), Problem> {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") {
        Ok(())
    } else if lower.starts_with("http://") {
        if insecure {
            Ok(())
        } else {
            Err(Problem::PlainHttp)
        }
    } else {
        Err(Problem::BadUrl {
            why: "it does not start with https://".into(),
        })
    }
}

struct Failure {
    problem: Problem,
    retry: bool,
}

fn attempt_once(
    agent: &ureq::Agent,
    req: &FeedRequest,
    limits: &Limits,
) -> Result<Fetched, Failure> {
    let mut request = agent.get(req.url.trim());
    // A validator that is not a valid header value (stored from a misbehaving server) is
    // left out: the fetch then simply downloads the whole feed.
    if !req.etag.is_empty() && is_header_value(&req.etag) {
        request = request.header("If-None-Match", req.etag.as_str());
    }
    if !req.last_modified.is_empty() && is_header_value(&req.last_modified) {
        request = request.header("If-Modified-Since", req.last_modified.as_str());
    }
    let mut response = request.call().map_err(|e| classify(e, limits))?;
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !status.is_success() {
        return Err(Failure {
            problem: Problem::Status {
                code: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_string(),
                attempts: 1,
            },
            // 4xx means the request itself is wrong (moved feed, bad URL): asking again
            // only adds load. 5xx and odd codes may pass.
            retry: !status.is_client_error(),
        });
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let etag = header("etag");
    let last_modified = header("last-modified");
    let too_large = || Failure {
        problem: Problem::TooLarge {
            max: limits.max_bytes,
        },
        retry: false,
    };
    if response
        .body()
        .content_length()
        .is_some_and(|n| n > limits.max_bytes)
    {
        return Err(too_large());
    }
    // Read one byte past the cap so "exactly the cap" and "over it" can be told apart, even
    // when the server sends no length or lies about it.
    let mut bytes = Vec::new();
    let read = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .reader()
        .take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        return Err(classify_io(e, limits));
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large());
    }
    Ok(Fetched::Body {
        bytes,
        etag,
        last_modified,
    })
}

fn is_header_value(s: &str) -> bool {
    s.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// Sorts a ureq error into what to tell staff and whether another attempt may help.
fn classify(e: ureq::Error, limits: &Limits) -> Failure {
    use ureq::Error as E;
    let (problem, retry) = match e {
        E::Timeout(ureq::Timeout::Connect) | E::Timeout(ureq::Timeout::Resolve) => (
            Problem::ConnectTimeout {
                after: limits.connect_timeout,
                attempts: 1,
            },
            true,
        ),
        E::Timeout(_) => (
            Problem::Timeout {
                after: limits.read_timeout,
                attempts: 1,
            },
            true,
        ),
        E::BodyExceedsLimit(_) => (
            Problem::TooLarge {
                max: limits.max_bytes,
            },
            false,
        ),
        E::Io(io) => return classify_io(io, limits),
        E::HostNotFound => (
            Problem::Network {
                why: "the server name could not be found (no DNS or no network?)".into(),
                attempts: 1,
            },
            true,
        ),
        E::ConnectionFailed => (
            Problem::Network {
                why: "the connection failed".into(),
                attempts: 1,
            },
            true,
        ),
        E::RequireHttpsOnly(_) => (Problem::RedirectToHttp, false),
        E::BadUri(why) => (Problem::BadUrl { why }, false),
        E::TooManyRedirects | E::RedirectFailed => (
            Problem::Other {
                why: format!("the server's redirects could not be followed ({e})"),
                attempts: 1,
            },
            false,
        ),
        E::Tls(_) | E::Rustls(_) => (Problem::Tls { why: e.to_string() }, false),
        other => (
            Problem::Other {
                why: other.to_string(),
                attempts: 1,
            },
            true,
        ),
    };
    Failure { problem, retry }
}

fn classify_io(e: std::io::Error, limits: &Limits) -> Failure {
    // ureq hands its own errors through io::Error while the body is read.
    let inner = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>());
    if let Some(ureq::Error::Timeout(_)) = inner {
        return Failure {
            problem: Problem::Timeout {
                after: limits.read_timeout,
                attempts: 1,
            },
            retry: true,
        };
    }
    if let Some(ureq::Error::BodyExceedsLimit(_)) = inner {
        return Failure {
            problem: Problem::TooLarge {
                max: limits.max_bytes,
            },
            retry: false,
        };
    }
    let problem = match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Problem::Timeout {
            after: limits.read_timeout,
            attempts: 1,
        },
        _ => Problem::Network {
            why: e.to_string(),
            attempts: 1,
        },
    };
    Failure {
        problem,
        retry: true,
    }
}
