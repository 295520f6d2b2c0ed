//! The schedule: what a meeting is and what the board shows at a given moment.
//!
//! Pure domain logic with no I/O: the store loads meetings, the kiosk passes in the clock.

pub mod board;
pub mod codes;
pub mod demo;
pub mod distance;
pub mod freshness;
pub mod links;
mod meeting;
pub mod phone;
pub mod status;
mod timetable;
pub mod types;

#[cfg(test)]
mod board_tests;
#[cfg(test)]
mod timetable_tests;

pub use board::{board, Board, BoardEntry, BoardQuery, Filters, Group, State};
pub use codes::{CodeRules, Offer};
pub use links::ProviderList;
pub use meeting::{
    weekday_from_number, AttendanceMode, Meeting, NthWeekday, Recurrence, DEFAULT_DURATION_MINUTES,
};
pub use timetable::Timetable;
