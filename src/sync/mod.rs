//! Fetching meeting listings from outside the kiosk. Only the transport lives here; the
//! importers read what comes back and the store decides whether to keep it.

pub mod http;
