//! Why a feed could not be fetched, worded for the staff member reading the sync report.

use std::fmt;
use std::time::Duration;

/// A failed fetch: which feed, and what went wrong. The last good schedule stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError {
    pub source: String,
    pub url: String,
    pub problem: Problem,
}

/// What went wrong. `attempts` counts the tries made before giving up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `http://` for a source not marked `insecure`; nothing was sent.
    PlainHttp,
    /// The URL cannot be fetched at all.
    BadUrl {
        why: String,
    },
    /// An https feed redirected to plain http.
    RedirectToHttp,
    /// The server answered with an error status.
    Status {
        code: u16,
        reason: String,
        attempts: u32,
    },
    /// The body is larger than the cap; it was not kept.
    TooLarge {
        max: u64,
    },
    /// No connection within the connect timeout.
    ConnectTimeout {
        after: Duration,
        attempts: u32,
    },
    /// Connected, but the whole answer did not arrive in time.
    Timeout {
        after: Duration,
        attempts: u32,
    },
    /// Name lookup, refused or dropped connection.
    Network {
        why: String,
        attempts: u32,
    },
    /// The TLS handshake or certificate check failed.
    Tls {
        why: String,
    },
    Other {
        why: String,
        attempts: u32,
    },
}

impl Problem {
    /// The same problem, noting how many attempts were made.
    pub(crate) fn after(self, n: u32) -> Problem {
        use Problem::*;
        match self {
            Status { code, reason, .. } => Status {
                code,
                reason,
                attempts: n,
            },
            ConnectTimeout { after, .. } => ConnectTimeout { after, attempts: n },
            Timeout { after, .. } => Timeout { after, attempts: n },
            Network { why, .. } => Network { why, attempts: n },
            Other { why, .. } => Other { why, attempts: n },
            other => other,
        }
    }
}

/// " after 3 attempts", or nothing for one attempt.
fn attempts_note(n: u32) -> String {
    if n > 1 {
        format!(" after {n} attempts")
    } else {
        String::new()
    }
}

fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn megabytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{} MB", n / 1_000_000)
    } else {
        format!("{n} bytes")
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem::*;
        write!(f, "feed {} ({}): ", self.source, self.url)?;
        match &self.problem {
            PlainHttp => {
                return f.write_str(
                    "plain http is refused because anyone on the way could change the \
                     schedule; use the https:// address, or set insecure = true for this \
                     source if its server has no https",
                )
            }
            BadUrl { why } => {
                return write!(
                    f,
                    "the address cannot be fetched ({why}); correct the url of this source"
                )
            }
            RedirectToHttp => write!(
                f,
                "the server redirected to a plain http address, which is refused; use the \
                 final address, or set insecure = true for this source"
            )?,
            Status {
                code,
                reason,
                attempts,
            } => {
                write!(f, "server answered {code}")?;
                if !reason.is_empty() {
                    write!(f, " {reason}")?;
                }
                write!(f, "{}", attempts_note(*attempts))?;
                if (400..500).contains(code) {
                    f.write_str(" (not retried: check the url of this source)")?;
                }
            }
            TooLarge { max } => write!(
                f,
                "the feed is larger than {}, the most a feed may be; it was not used \
                 (raise the limit only if this source really is that large)",
                megabytes(*max)
            )?,
            ConnectTimeout { after, attempts } => write!(
                f,
                "could not connect within {}{} (network down or server unreachable)",
                seconds(*after),
                attempts_note(*attempts)
            )?,
            Timeout { after, attempts } => write!(
                f,
                "the server did not answer completely within {}{}",
                seconds(*after),
                attempts_note(*attempts)
            )?,
            Network { why, attempts } => {
                write!(f, "network error: {why}{}", attempts_note(*attempts))?
            }
            Tls { why } => write!(
                f,
                "the secure connection failed ({why}); check the kiosk's clock and the \
                 server's certificate"
            )?,
            Other { why, attempts } => write!(f, "{why}{}", attempts_note(*attempts))?,
        }
        f.write_str("; keeping the last good schedule")
    }
}

impl std::error::Error for FeedError {}
