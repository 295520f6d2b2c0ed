//! Every screen at every size a lobby really has — 7-inch panels (800×480, 1024×600, and
//! 720×1280 on its side), monitors and TVs (1280×720, 1280×800, 1920×1080) and a portrait TV
//! (1080×1920) — through the real Slint UI (testing backend), sized as the kiosk sizes itself
//! for the screen (`Kiosk::fit_to_screen`). In both languages and with large text: every
//! control is there, labelled and inside the window; the smallest screen shows at least three
//! meetings; filter chips that do not fit say there are more; a portrait screen fills its
//! height with what is on now nearby and online; idle time returns to the glance view.
//!
//! One scenario per size, each reported on its own (`harness = false`).

mod common;

use common::touch::{controls, row_names, tap};
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use i_slint_backend_testing::{mock_elapsed_time, AccessibleRole, ElementHandle, ElementRoot};
use lobby_kiosk::config::Config;
use lobby_kiosk::kiosk::ui::{BoardAdapter, KioskState, LineKind, Screen, Theme};
use lobby_kiosk::kiosk::{Kiosk, ScheduleSource};
use lobby_kiosk::words::Lang;
use slint::platform::PointerEventButton;
use slint::{ComponentHandle, Model};

/// Saturday 2026-11-21, 19:10 in New York: meetings on now in every group.
fn evening() -> DateTime<Utc> {
    chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 21, 19, 10, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The demo kiosk on a screen of `width` × `height` pixels, sized for it.
fn kiosk_on(width: u32, height: u32) -> Kiosk {
    let now = evening();
    let mut config = Config::default();
    config.attendance.cards = true;
    let kiosk = Kiosk::new(config, ScheduleSource::Demo, Rc::new(move || now)).unwrap();
    kiosk.enable_cards([7; 32]);
    kiosk
        .window
        .window()
        .set_size(slint::PhysicalSize::new(width, height));
    kiosk.window.show().unwrap();
    let factor = kiosk.fit_to_screen(None);
    assert!((0.5..=4.0).contains(&factor), "{factor}");
    // The testing backend takes a size as logical pixels (it has no screen of its own).
    kiosk.window.window().set_size(slint::LogicalSize::new(
        width as f32 / factor,
        height as f32 / factor,
    ));
    kiosk
}

/// The window's size in logical pixels, as element positions are given.
fn window_size(kiosk: &Kiosk) -> (f32, f32) {
    let size = kiosk.window.root_element().size();
    (size.width, size.height)
}

fn inside(kiosk: &Kiosk, e: &ElementHandle) -> bool {
    let (w, h) = window_size(kiosk);
    let (p, s) = (e.absolute_position(), e.size());
    p.x >= -0.5 && p.y >= -0.5 && p.x + s.width <= w + 0.5 && p.y + s.height <= h + 0.5
}

fn label(e: &ElementHandle) -> String {
    e.accessible_label().unwrap_or_default().to_string()
}

/// Checks the board's tab `tab` as it shows; returns how many meeting rows are wholly in view.
fn check_board(kiosk: &Kiosk, case: &str, tab: usize) -> usize {
    let adapter = kiosk.window.global::<BoardAdapter>();
    let names = row_names(kiosk);
    let chips: Vec<String> = adapter
        .get_chips()
        .iter()
        .map(|c| c.label.to_string())
        .collect();
    let tabs: Vec<String> = adapter.get_tabs().iter().map(|t| t.to_string()).collect();
    assert_eq!(tabs.len(), 3);
    let controls = controls(kiosk);
    // Header, tabs and buttons: whole and in the window. Rows and chips scroll.
    let fixed: Vec<&ElementHandle> = controls
        .iter()
        .filter(|c| !names.contains(&label(c)) && !chips.contains(&label(c)))
        .filter(|c| label(c) != "I'm here" && label(c) != "Estoy aquí")
        .collect();
    for c in &fixed {
        assert!(
            !label(c).trim().is_empty(),
            "{case}: a control without a label"
        );
        assert!(
            inside(kiosk, c),
            "{case}, tab {tab}: {:?} at {:?} size {:?} is outside the window {:?}",
            label(c),
            c.absolute_position(),
            c.size(),
            window_size(kiosk)
        );
    }
    for t in &tabs {
        assert!(
            fixed.iter().any(|c| &label(c) == t),
            "{case}: tab {t:?} missing"
        );
    }
    // The list ends where the footer's promise begins.
    let promise = ElementHandle::find_by_accessible_label(&kiosk.window, &promise_text(kiosk))
        .next()
        .unwrap_or_else(|| panic!("{case}: the privacy promise is on screen"));
    assert!(
        inside(kiosk, &promise),
        "{case}: the privacy promise is cut off"
    );
    let bottom = promise.absolute_position().y;
    controls
        .iter()
        .filter(|c| {
            names.contains(&label(c)) && c.accessible_role() == Some(AccessibleRole::Button)
        })
        .filter(|c| {
            let (p, s) = (c.absolute_position(), c.size());
            p.y >= 0.0 && p.y + s.height <= bottom + 0.5 && inside(kiosk, c)
        })
        .inspect(|c| {
            if std::env::var_os("SCREENS_DEBUG").is_some() {
                eprintln!(
                    "{case} row {:?} at {:?} {:?}",
                    label(c),
                    c.absolute_position(),
                    c.size()
                );
            }
        })
        .count()
}

fn promise_text(kiosk: &Kiosk) -> String {
    let spanish = kiosk.window.global::<BoardAdapter>().get_other_language() == "English";
    if spanish {
        "Esta pantalla no registra quién es usted.".into()
    } else {
        "This screen does not record who you are.".into()
    }
}

/// The chips: on a narrow screen behind "Filters"; either all in the window, or the row says
/// there are more.
fn check_chips(kiosk: &Kiosk, case: &str) {
    let (w, _) = window_size(kiosk);
    let spanish = kiosk.window.global::<BoardAdapter>().get_other_language() == "English";
    if w < 1000.0 {
        tap(kiosk, if spanish { "Filtros" } else { "Filters" });
    }
    let chips: Vec<String> = kiosk
        .window
        .global::<BoardAdapter>()
        .get_chips()
        .iter()
        .map(|c| c.label.to_string())
        .collect();
    let shown = controls(kiosk)
        .into_iter()
        .filter(|c| chips.contains(&label(c)))
        .collect::<Vec<_>>();
    // A chip scrolled out of the row is not found at all.
    let all_in = shown.len() == chips.len() && shown.iter().all(|c| inside(kiosk, c));
    let more = ElementHandle::find_by_accessible_label(
        &kiosk.window,
        if spanish {
            "Más filtros"
        } else {
            "More filters"
        },
    )
    .find(|e| inside(kiosk, e));
    assert!(
        all_in || more.is_some(),
        "{case}: chips run off the screen and nothing says so"
    );
    // A tap on "more" brings the rest of the row in.
    if let Some(more) = more {
        let first = &shown[0];
        let before = first.absolute_position().x;
        more.mock_single_click(PointerEventButton::Left);
        let after = first.absolute_position().x;
        assert!(
            after < before,
            "{case}: 'more' moved the chips ({before} → {after})"
        );
    }
}

/// Every control of the screen now showing is labelled and inside the window.
fn check_all_inside(kiosk: &Kiosk, case: &str) {
    let controls = controls(kiosk);
    assert!(!controls.is_empty(), "{case}: controls found");
    for c in controls {
        assert!(
            !label(&c).trim().is_empty(),
            "{case}: a control without a label"
        );
        assert!(
            inside(kiosk, &c),
            "{case}: {:?} at {:?} size {:?} is outside the window {:?}",
            label(&c),
            c.absolute_position(),
            c.size(),
            window_size(kiosk)
        );
    }
}

fn check_size(width: u32, height: u32) {
    for (lang, large) in [
        (Lang::En, false),
        (Lang::Es, false),
        (Lang::En, true),
        (Lang::Es, true),
    ] {
        let case = format!(
            "{width}x{height} {lang:?}{}",
            if large { " large text" } else { "" }
        );
        let kiosk = kiosk_on(width, height);
        kiosk.set_language(lang);
        kiosk.window.global::<Theme>().set_large_text(large);
        for tab in 0..3 {
            kiosk.select_tab(tab);
            let rows = check_board(&kiosk, &case, tab);
            // At least three meetings on the smallest screen, whatever the size; with large
            // text, two.
            let needed = if large { 2 } else { 3 };
            let listed = row_names(&kiosk).len();
            assert!(
                rows >= needed.min(listed),
                "{case}, tab {tab}: {rows} of {listed} meetings wholly in view"
            );
        }
        kiosk.select_tab(0);
        check_chips(&kiosk, &case);
        if height > width {
            let headings: Vec<String> = kiosk
                .window
                .global::<BoardAdapter>()
                .get_lines()
                .iter()
                .filter(|l| l.kind == LineKind::Heading)
                .map(|l| l.text.to_string())
                .collect();
            let nearby = if lang == Lang::Es {
                "CERCA, AHORA Y DESPUÉS"
            } else {
                "NEARBY, NOW AND NEXT"
            };
            assert!(
                headings.iter().any(|h| h == nearby),
                "{case}: portrait shows what is on nearby under the center's own: {headings:?}"
            );
        }
        let first = row_names(&kiosk)[0].clone();
        assert!(
            kiosk.open_meeting(&kiosk_first_id(&kiosk)),
            "{case}: {first} opens"
        );
        check_all_inside(&kiosk, &format!("{case}, detail of {first}"));
        kiosk.preview_thanks();
        check_all_inside(&kiosk, &format!("{case}, thanks"));
        kiosk.open_keypad(false);
        check_all_inside(&kiosk, &format!("{case}, card keypad"));
        kiosk.open_keypad(true);
        check_all_inside(&kiosk, &format!("{case}, PIN keypad"));
    }
    // Idle time brings back the glance view: the first tab, no filter, from anywhere.
    let kiosk = kiosk_on(width, height);
    let nearby = kiosk
        .window
        .global::<BoardAdapter>()
        .get_tabs()
        .row_data(1)
        .unwrap();
    tap(&kiosk, &nearby);
    assert_eq!(kiosk.window.global::<BoardAdapter>().get_current_tab(), 1);
    tap(&kiosk, &row_names(&kiosk)[0]);
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Detail,
        "{width}x{height}: detail"
    );
    mock_elapsed_time(Duration::from_secs(61));
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Board,
        "{width}x{height}: board again"
    );
    assert_eq!(
        kiosk.window.global::<BoardAdapter>().get_current_tab(),
        0,
        "{width}x{height}: glance tab"
    );
}

fn kiosk_first_id(kiosk: &Kiosk) -> String {
    let lines = kiosk.window.global::<BoardAdapter>().get_lines();
    lines
        .iter()
        .find(|l| l.kind == LineKind::Meeting)
        .map(|l| l.row.id.to_string())
        .expect("a meeting on the board")
}

fn seven_inch_800x480() {
    check_size(800, 480);
}
fn seven_inch_1024x600() {
    check_size(1024, 600);
}
fn monitor_1280x720() {
    check_size(1280, 720);
}
fn panel_1280x800() {
    check_size(1280, 800);
}
fn tv_1920x1080() {
    check_size(1920, 1080);
}
fn seven_inch_portrait_720x1280() {
    check_size(720, 1280);
}
fn portrait_tv_1080x1920() {
    check_size(1080, 1920);
}

fn main() -> std::process::ExitCode {
    common::run_scenarios(lobby_kiosk_scenarios())
}

fn lobby_kiosk_scenarios() -> Vec<(&'static str, fn())> {
    scenarios![
        seven_inch_800x480,
        seven_inch_1024x600,
        monitor_1280x720,
        panel_1280x800,
        tv_1920x1080,
        seven_inch_portrait_720x1280,
        portrait_tv_1080x1920,
    ]
}
