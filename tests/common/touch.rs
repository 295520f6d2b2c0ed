//! Finding and tapping controls on the kiosk's screen through Slint's testing backend, as a
//! finger or a screen reader would.

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use lobby_kiosk::kiosk::ui::{BoardAdapter, LineKind};
use lobby_kiosk::kiosk::Kiosk;
use slint::platform::PointerEventButton;
use slint::{ComponentHandle, Model};

/// Taps the control labelled `label` (not a text of the same words).
pub fn tap(kiosk: &Kiosk, label: &str) {
    // Texts carry their words as a label too; a tap goes to the control, not a badge.
    let element = ElementHandle::find_by_accessible_label(&kiosk.window, label)
        .find(|e| e.accessible_role() != Some(AccessibleRole::Text))
        .unwrap_or_else(|| panic!("nothing labelled {label:?} on screen"));
    element.mock_single_click(PointerEventButton::Left);
}

/// Every control in the window: whatever a finger or a screen reader can activate.
pub fn controls(kiosk: &Kiosk) -> Vec<ElementHandle> {
    kiosk
        .window
        .root_element()
        .query_descendants()
        .match_predicate(|e| {
            matches!(
                e.accessible_role(),
                Some(
                    AccessibleRole::Button
                        | AccessibleRole::Tab
                        | AccessibleRole::Checkbox
                        | AccessibleRole::Switch
                        | AccessibleRole::RadioButton
                        | AccessibleRole::Slider
                        | AccessibleRole::Spinbox
                        | AccessibleRole::Combobox
                        | AccessibleRole::TextInput
                )
            )
        })
        .find_all()
}

/// Meeting names on the board now.
pub fn row_names(kiosk: &Kiosk) -> Vec<String> {
    let lines = kiosk.window.global::<BoardAdapter>().get_lines();
    lines
        .iter()
        .filter(|l| l.kind == LineKind::Meeting)
        .map(|l| l.row.name.to_string())
        .collect()
}
