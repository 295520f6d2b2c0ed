//! Where schedule updates come from — files, USB sticks, a synced folder, HTTP feeds — and
//! how they are applied to the store.

pub mod apply;
pub mod files;
