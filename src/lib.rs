//! lobby-kiosk: an offline touchscreen kiosk for the lobby of an addiction-treatment center.
//!
//! Data comes in through `store` (SQLite), `schedule` decides what to show, `kiosk` draws it.

pub mod app;
pub mod attendance;
pub mod cli;
pub mod config;
pub mod device;
pub mod fleet;
pub mod import;
pub mod input;
pub mod kiosk;
pub mod printer;
pub mod qr;
pub mod schedule;
pub mod staff;
pub mod store;
pub mod sync;
pub mod words;
