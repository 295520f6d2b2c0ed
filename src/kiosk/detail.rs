//! The meeting detail screen: when, where, what kind, and QR codes to take it away.
//!
//! QR codes only for allow-listed https links and `tel:` (plus directions from the config);
//! anything else is shown as plain text. Members' contacts in notes are hidden.

use chrono::DateTime;
use chrono_tz::Tz;
use slint::{
    ComponentHandle, Image, ModelRc, Rgb8Pixel, SharedPixelBuffer, SharedString, VecModel,
};

use super::ui::{DetailAdapter, KioskState, KioskWindow, QrCode, Screen};
use super::{print, Inner, View, Wiring};
use crate::config::Config;
use crate::schedule::{
    board, links, types, BoardEntry, BoardQuery, Filters, Meeting, ProviderList,
};
use crate::words::codes::codes_in;
use crate::words::schedule as format;
use crate::words::Locale;

/// Pixels per QR module: enough that the image is crisp when shown at 240 px.
const QR_SCALE: u32 = 8;

pub fn show(
    win: &KioskWindow,
    m: &Meeting,
    entry: Option<&BoardEntry>,
    now: &DateTime<Tz>,
    config: &Config,
    providers: &ProviderList,
    locale: &Locale,
) {
    let adapter = win.global::<DetailAdapter>();
    adapter.set_name(m.name.clone().into());
    let when = match entry {
        Some(e) => {
            let day = locale.day_word(now.date_naive(), e.start.date_naive());
            let mut when = format!("{day} {}", locale.time_range(&e.start, &e.end));
            // A meeting kept in another zone: say its own local time too.
            if let Some(tz) = m.timezone.filter(|tz| *tz != config.timezone()) {
                let own = e.start.with_timezone(&tz);
                when.push_str(&format!(" ({} {})", locale.clock(&own), own.format("%Z")));
            }
            if e.cancelled {
                locale.trf("Cancelled: {}", &[&when])
            } else {
                when
            }
        }
        None => format::recurrence(m, locale),
    };
    adapter.set_when(when.into());
    let mode = m.attendance_mode(providers);
    // Building and room ("Riverside Recovery Center · Room 204").
    // Room notes are free text too: "ask for Bob 215-555-0143" hides the number.
    let room = links::redact_contacts(&m.location_notes);
    let venue = [m.location.as_str(), room.as_str()]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    let place = match (venue.is_empty(), mode.is_in_person(), mode.is_online()) {
        (_, false, true) => locale.tr("Online"),
        (false, _, true) => locale.trf("{} · also online", &[&venue]),
        (false, _, false) => venue,
        (true, _, _) => String::new(),
    };
    // The center's own meetings are here: a distance would only confuse.
    let place = match entry.and_then(|e| e.distance_m).filter(|_| !m.in_house) {
        Some(d) if !place.is_empty() => format!(
            "{place} · {}",
            format::distance(d, config.board.distance_unit)
        ),
        _ => place,
    };
    adapter.set_place(place.into());
    adapter.set_address(
        if mode.is_in_person() {
            m.address.clone()
        } else {
            String::new()
        }
        .into(),
    );
    adapter.set_program(m.program.clone().into());
    let labels: Vec<String> = m
        .types
        .iter()
        .filter(|t| !t.eq_ignore_ascii_case("ONL"))
        .map(|t| locale.tr(&types::label(t)))
        .collect();
    adapter.set_types(labels.join(" · ").into());
    // Holidays coming up in the next eight weeks, so nobody comes to a closed room.
    let today = now.date_naive();
    let off: Vec<String> = m
        .skipped
        .iter()
        .filter(|d| **d >= today && (**d - today).num_days() <= 56)
        .map(|d| locale.day_date(*d))
        .collect();
    let mut notes = links::redact_contacts(&m.notes);
    if !off.is_empty() {
        if !notes.is_empty() {
            notes.push('\n');
        }
        notes.push_str(&locale.trf("No meeting on {}.", &[&off.join(&locale.tr(" or "))]));
    }
    adapter.set_notes(notes.into());

    let (codes, plain) = codes_in(m, &config.code_rules(), locale);
    let codes: Vec<QrCode> = codes
        .iter()
        .filter_map(|c| {
            let pixels = crate::qr::render(&c.uri, QR_SCALE)?;
            let buffer = SharedPixelBuffer::<Rgb8Pixel>::clone_from_slice(
                &pixels.rgb,
                pixels.size,
                pixels.size,
            );
            Some(QrCode {
                image: Image::from_rgb8(buffer),
                caption: c.caption.clone().into(),
                text: c.text.clone().into(),
                note: c.note.clone().into(),
            })
        })
        .collect();
    adapter.set_codes(ModelRc::new(VecModel::from(codes)));
    let plain: Vec<SharedString> = plain.into_iter().map(Into::into).collect();
    adapter.set_plain_links(ModelRc::new(VecModel::from(plain)));
}

impl Inner {
    /// The detail screen of the meeting open in `View::Detail`.
    pub(super) fn show_detail(&self, win: &KioskWindow) {
        let Some(id) = self.open_meeting() else {
            return;
        };
        let Some(m) = self.timetable.find(id) else {
            // The meeting went away in a re-import while someone looked at it.
            self.show_board(win);
            return;
        };
        let query = self.query();
        let unfiltered = BoardQuery {
            filters: Filters::default(),
            ..query
        };
        let b = board(std::slice::from_ref(m), &unfiltered);
        show(
            win,
            m,
            b.entries.first(),
            &b.now,
            &self.config,
            &self.providers,
            &self.locale(),
        );
        win.global::<DetailAdapter>().set_can_sign_in(
            self.can_record()
                && crate::attendance::open_occurrence(m, query.now, self.config.timezone())
                    .is_some(),
        );
        win.global::<KioskState>().set_screen(Screen::Detail);
    }
}

/// The detail screen's callbacks: Back, and "I'm here" for the meeting on show (Print is
/// `print::setup`'s).
pub(super) fn setup(window: &KioskWindow, wire: &Wiring) {
    let adapter = window.global::<DetailAdapter>();
    let w = wire.clone();
    adapter.on_back(move || {
        w.with(|win, inner| {
            inner.view = View::Board;
            print::clear(win);
            inner.show_board(win);
        })
    });
    let w = wire.clone();
    adapter.on_sign_in(move || {
        w.with(|win, inner| {
            if let Some(id) = inner.open_meeting().map(str::to_string) {
                inner.sign_in(win, &id, None);
            }
        })
    });
}
