//! The board screen's part of the bridge: the filter chips, and the board turned into Slint
//! lines and rows (headings, meetings, the "nothing here" notes, badges, the portrait
//! screen's nearby section). What is on the board is `schedule`'s decision; this words it.

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::ui::{
    BoardAdapter, BoardLine, Chip, KioskState, KioskWindow, LineKind, MeetingRow, Screen,
};
use super::{print, Inner, View, Wiring};
use crate::attendance::totals;
use crate::schedule::{self, Board, Filters, Group, State};
use crate::words::schedule as format;

/// A filter chip on the board.
#[derive(Clone, Copy, PartialEq)]
enum ChipKind {
    Program(&'static str),
    Open,
    Closed,
    Spanish,
    Wheelchair,
    Online,
    InPerson,
}

const CHIPS: &[(ChipKind, &str)] = &[
    (ChipKind::Program("AA"), "AA"),
    (ChipKind::Program("NA"), "NA"),
    (ChipKind::Program("Al-Anon"), "Al-Anon"),
    (ChipKind::Program("SMART"), "SMART"),
    (ChipKind::Open, "Open"),
    (ChipKind::Closed, "Closed"),
    (ChipKind::Spanish, "Spanish"),
    (ChipKind::Wheelchair, "Wheelchair access"),
    (ChipKind::Online, "Online"),
    (ChipKind::InPerson, "In person"),
];

/// Words the kiosk translates from tables rather than literals (filter chips, type labels):
/// the catalogue test checks each has Spanish.
pub fn table_words() -> Vec<String> {
    CHIPS
        .iter()
        .map(|(_, label)| label.to_string())
        .chain(totals::Period::ALL.iter().map(|p| p.label().to_string()))
        .chain(schedule::types::all_labels())
        .collect()
}

/// A section heading on the board ("HAPPENING NOW").
fn heading_line(text: String) -> BoardLine {
    BoardLine {
        kind: LineKind::Heading,
        text: text.into(),
        row: MeetingRow::default(),
    }
}

/// Every filter chip off.
pub(super) fn no_chips() -> Vec<bool> {
    vec![false; CHIPS.len()]
}

impl Inner {
    pub(super) fn filters(&self) -> Filters {
        let mut f = Filters::default();
        for ((kind, _), on) in CHIPS.iter().zip(&self.chips) {
            if !on {
                continue;
            }
            match kind {
                ChipKind::Program(p) => f.programs.push(p.to_string()),
                ChipKind::Open => f.open = Some(true),
                ChipKind::Closed => f.open = Some(false),
                ChipKind::Spanish => f.language = Some("S".into()),
                ChipKind::Wheelchair => f.wheelchair = true,
                ChipKind::Online => f.online = Some(true),
                ChipKind::InPerson => f.online = Some(false),
            }
        }
        f
    }

    /// Open/Closed and Online/In person exclude each other: selecting one clears its twin.
    pub(super) fn toggle_chip(&mut self, i: usize) {
        let Some(&(kind, _)) = CHIPS.get(i) else {
            return;
        };
        self.chips[i] = !self.chips[i];
        let twin = match kind {
            ChipKind::Open => Some(ChipKind::Closed),
            ChipKind::Closed => Some(ChipKind::Open),
            ChipKind::Online => Some(ChipKind::InPerson),
            ChipKind::InPerson => Some(ChipKind::Online),
            _ => None,
        };
        if let (Some(twin), true) = (twin, self.chips[i]) {
            if let Some(j) = CHIPS.iter().position(|(k, _)| *k == twin) {
                self.chips[j] = false;
            }
        }
    }

    pub(super) fn show_board(&self, win: &KioskWindow) {
        let query = self.query();
        let b = self.timetable.board(&query);
        let adapter = win.global::<BoardAdapter>();
        let locale = self.locale();
        adapter.set_clock(locale.clock(&b.now).into());
        adapter.set_date(locale.date(&b.now).into());
        adapter.set_other_language(self.lang.other().own_name().into());
        let error = self.error.as_ref().map(|e| locale.say(e));
        adapter.set_error(error.unwrap_or_default().into());
        let footer = match self.read_only_warning(&locale) {
            Some(warning) if self.footer.is_empty() => warning,
            Some(warning) => format!("{warning} · {}", self.footer),
            None => self.footer.clone(),
        };
        adapter.set_footer(footer.into());
        let notice = self
            .notice
            .as_ref()
            .filter(|_| self.notice_until.is_some_and(|until| query.now < until));
        adapter.set_notice(
            notice
                .map(|n| n.text_in(&locale))
                .unwrap_or_default()
                .into(),
        );
        adapter.set_notice_problem(notice.is_some_and(|n| n.problem));
        let short_name = self
            .config
            .center
            .name
            .split_whitespace()
            .next()
            .map(str::to_string)
            .unwrap_or_else(|| locale.tr("the center"));
        let tabs: Vec<SharedString> = [Group::InHouse, Group::Nearby, Group::Online]
            .iter()
            .map(|g| {
                let label = match g {
                    Group::InHouse => locale.trf("Here at {}", &[&short_name]),
                    Group::Nearby => locale.tr("Nearby"),
                    Group::Online => locale.tr("Online"),
                };
                match b.group(*g).count() {
                    0 => label.into(),
                    n => format!("{label} · {n}").into(),
                }
            })
            .collect();
        adapter.set_tabs(ModelRc::new(VecModel::from(tabs)));
        adapter.set_current_tab(self.tab as i32);
        // A portrait screen has room below the center's own meetings: what is on now and
        // next nearby and online follows them there.
        let size = win.window().size();
        let mut lines = self.board_lines(&b);
        if size.height > size.width && self.tab == 0 {
            lines.extend(self.elsewhere_now_lines(&b));
        }
        adapter.set_lines(ModelRc::new(VecModel::from(lines)));
        let chips: Vec<Chip> = CHIPS
            .iter()
            .zip(&self.chips)
            .map(|((_, label), on)| Chip {
                label: locale.tr(label).into(),
                selected: *on,
            })
            .collect();
        adapter.set_chips(ModelRc::new(VecModel::from(chips)));
        win.global::<KioskState>().set_screen(Screen::Board);
    }

    fn board_lines(&self, b: &Board) -> Vec<BoardLine> {
        let group = [Group::InHouse, Group::Nearby, Group::Online][self.tab.min(2)];
        let mut lines = Vec::new();
        let locale = self.locale();
        let note = |text: String| BoardLine {
            kind: LineKind::Empty,
            text: text.into(),
            row: MeetingRow::default(),
        };
        let coming_title = match group {
            Group::InHouse => locale.tr("COMING UP HERE"),
            Group::Nearby | Group::Online => locale.tr("TOMORROW MORNING"),
        };
        for (state, title) in [
            (State::InProgress, locale.tr("HAPPENING NOW")),
            (State::Next, locale.tr("NEXT")),
            (State::Later, locale.tr("LATER TODAY")),
            (State::Coming, coming_title),
        ] {
            let rows: Vec<BoardLine> = b
                .group(group)
                .filter(|e| e.state == state)
                .map(|e| self.meeting_line(b, e))
                .collect();
            if rows.is_empty() {
                continue;
            }
            // Nothing more today, but something coming: say so first, in a word.
            if state == State::Coming && lines.is_empty() && !self.chips.iter().any(|c| *c) {
                lines.push(note(match group {
                    Group::InHouse => locale.tr("No more meetings here today."),
                    Group::Nearby => locale.tr("No more meetings nearby today."),
                    Group::Online => locale.tr("No more online meetings today."),
                }));
            }
            lines.push(heading_line(title));
            lines.extend(rows);
        }
        if lines.is_empty() {
            let filtered = self.chips.iter().any(|c| *c);
            let text = match (filtered, group) {
                (true, _) => locale
                    .tr("No meetings match these filters today. Tap a filter again to clear it."),
                (false, Group::InHouse) => {
                    locale.tr("No meetings here in the coming week — see Nearby or Online.")
                }
                (false, Group::Nearby) => locale.tr("No more meetings nearby today — see Online."),
                (false, Group::Online) => locale.tr("No more online meetings today."),
            };
            lines.push(note(text));
        }
        lines
    }

    /// For the glance view on a portrait screen: nearby and online meetings on now or next,
    /// a few of each, under their own headings; the tabs keep the whole lists.
    fn elsewhere_now_lines(&self, b: &Board) -> Vec<BoardLine> {
        const EACH: usize = 5;
        let locale = self.locale();
        let mut lines = Vec::new();
        for (group, title) in [
            (Group::Nearby, locale.tr("NEARBY, NOW AND NEXT")),
            (Group::Online, locale.tr("ONLINE, NOW AND NEXT")),
        ] {
            let rows: Vec<BoardLine> = b
                .group(group)
                .filter(|e| matches!(e.state, State::InProgress | State::Next))
                .take(EACH)
                .map(|e| self.meeting_line(b, e))
                .collect();
            if rows.is_empty() {
                continue;
            }
            lines.push(heading_line(title));
            lines.extend(rows);
        }
        lines
    }

    fn meeting_line(&self, b: &Board, e: &schedule::BoardEntry) -> BoardLine {
        BoardLine {
            kind: LineKind::Meeting,
            text: SharedString::new(),
            row: self.row(b, e),
        }
    }

    fn row(&self, b: &Board, e: &schedule::BoardEntry) -> MeetingRow {
        let m = e.meeting;
        let unit = self.config.board.distance_unit;
        let locale = self.locale();
        let mut place: Vec<String> = Vec::new();
        match e.group {
            Group::Online => {
                place.push(locale.tr("Online"));
                if !m.conference_url.is_empty()
                    && self.providers.is_usable_conference_url(&m.conference_url)
                {
                    place.push(format::provider_name(&m.conference_url).into());
                } else if !m.conference_phone.is_empty() {
                    place.push(locale.tr("by phone"));
                }
            }
            _ => {
                // In the center's own building the room is what people need.
                if m.in_house && !m.location_notes.trim().is_empty() {
                    place.push(m.location_notes.clone());
                } else if !m.location.is_empty() {
                    place.push(m.location.clone());
                }
                match e.distance_m.filter(|_| e.group != Group::InHouse) {
                    Some(d) => place.push(format::distance(d, unit)),
                    None if e.group == Group::Nearby => place.push(locale.tr("distance unknown")),
                    None => {}
                }
                if e.group == Group::Nearby && e.mode.is_online() {
                    place.push(locale.tr("also online"));
                }
            }
        }
        let when = match e.state {
            // Kept in its place, so a person who came for it learns it is off.
            _ if e.cancelled => locale.tr("Cancelled"),
            State::InProgress => locale.tr("now"),
            State::Next => locale.starts_in(&b.now, &e.start),
            State::Later => locale.tr("later today"),
            // "Tomorrow", or the weekday: the time is in the row's first column.
            State::Coming => {
                let (today, day) = (b.now.date_naive(), e.start.date_naive());
                if (day - today).num_days() <= 1 {
                    locale.day_word(today, day)
                } else {
                    locale.weekday(chrono::Datelike::weekday(&day)).to_string()
                }
            }
        };
        let mut badges: Vec<SharedString> = Vec::new();
        if !m.in_house && !m.program.is_empty() {
            badges.push(m.program.clone().into());
        }
        if m.has_type("O") {
            badges.push(locale.tr("Open").into());
        } else if m.has_type("C") {
            badges.push(locale.tr("Closed").into());
        }
        if let Some(lang) = m
            .types
            .iter()
            .find_map(|t| schedule::types::language(t))
            .filter(|l| *l != "English")
        {
            badges.push(locale.tr(lang).into());
        }
        if m.has_type("X") {
            badges.push(locale.tr("Wheelchair").into());
        }
        MeetingRow {
            id: m.id.clone().into(),
            time: locale.time_range(&e.start, &e.end).into(),
            name: m.name.clone().into(),
            place: place.join(" · ").into(),
            when: when.into(),
            in_progress: e.state == State::InProgress && !e.cancelled,
            cancelled: e.cancelled,
            badges: ModelRc::new(VecModel::from(badges)),
            sign_in: e.group == Group::InHouse
                && e.state == State::InProgress
                && !e.cancelled
                && self.can_record()
                && crate::attendance::open_occurrence(
                    m,
                    b.now.with_timezone(&chrono::Utc),
                    self.config.timezone(),
                )
                .is_some(),
        }
    }
}

/// The board's callbacks: a tab or chip tapped, a meeting opened, "I'm here", the language
/// button, a notice tapped away, any touch (which restarts the idle countdown) and the
/// hidden long-press that asks for the staff PIN.
pub(super) fn setup(window: &KioskWindow, wire: &Wiring) {
    let adapter = window.global::<BoardAdapter>();
    let w = wire.clone();
    adapter.on_select_tab(move |i| {
        w.with(|win, inner| {
            inner.tab = usize::try_from(i).unwrap_or(0).min(2);
            inner.show_board(win);
        })
    });
    let w = wire.clone();
    adapter.on_toggle_chip(move |i| {
        w.with(|win, inner| {
            inner.toggle_chip(usize::try_from(i).unwrap_or(usize::MAX));
            inner.show_board(win);
        })
    });
    let w = wire.clone();
    adapter.on_open_meeting(move |id| {
        w.with(|win, inner| {
            inner.view = View::Detail {
                meeting: id.to_string(),
            };
            print::clear(win);
            inner.show_detail(win);
        })
    });
    let w = wire.clone();
    adapter.on_sign_in(move |id| w.with(|win, inner| inner.sign_in(win, &id, None)));
    let w = wire.clone();
    adapter.on_activity(move || w.with(|_, _| {}));
    let w = wire.clone();
    adapter.on_switch_language(move || {
        w.with(|win, inner| {
            inner.set_lang(inner.lang.other());
            inner.redraw(win);
        })
    });
    let w = wire.clone();
    adapter.on_dismiss_notice(move || {
        w.with(|win, inner| {
            inner.notice = None;
            inner.redraw(win);
        })
    });
    let w = wire.clone();
    adapter.on_staff_requested(move || w.with(|win, inner| inner.staff_requested(win)));
}
