//! The window as the device side sees it (`device::Window`): the black cover of screen hours
//! and the touch or button that wakes it, through `DeviceAdapter` (ui/device.slint).

use std::sync::Arc;

use slint::ComponentHandle;

use super::ui::{DeviceAdapter, KioskWindow};

impl crate::device::Window for KioskWindow {
    fn asleep_setter(&self) -> Box<dyn Fn(bool)> {
        let weak = self.as_weak();
        Box::new(move |asleep| {
            if let Some(win) = weak.upgrade() {
                win.global::<DeviceAdapter>().set_asleep(asleep);
            }
        })
    }

    fn on_wake(&self, wake: Box<dyn Fn()>) {
        self.global::<DeviceAdapter>().on_wake(wake);
    }

    fn waker(&self) -> Arc<dyn Fn() + Send + Sync> {
        let weak = self.as_weak();
        Arc::new(move || {
            let _ = weak.upgrade_in_event_loop(|w| w.global::<DeviceAdapter>().invoke_wake());
        })
    }
}
