//! Where schedule updates come from — files, USB sticks, a synced folder, HTTP feeds — and
//! how they are applied to the store.

pub mod apply;
pub mod bundles;
pub mod feeds;
pub mod files;
pub mod folder;
pub mod http;
pub mod service;
pub mod usb;

/// What the kiosk tells staff after an update: "Schedule updated — 12 in-house, 340 nearby,
/// 3 warnings", or exactly why it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    /// Refused or failed (shown in the problem colour, and longer).
    pub problem: bool,
}
