//! evdev input: the card scanner (a USB barcode/QR reader that types like a keyboard).
//!
//! Decoding is pure (`scanner::Decoder`: key events in, codes out) and tested with synthetic
//! events; opening and grabbing the device is the thin part in `device`. Touch is not here:
//! Slint reads it.

pub mod device;
pub mod scanner;
