//! The staff screen's totals: exact counts per meeting over a period that ends today.
//!
//! These never leave the device (the screen is behind the staff PIN), so nothing here is
//! suppressed; what leaves the kiosk goes through `report`.

use chrono::NaiveDate;

use super::report::{self, Grain};

/// What the staff screen's totals cover. Each runs from its first day through today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Today,
    ThisWeek,
    ThisMonth,
}

impl Period {
    /// In the order the staff screen offers them.
    pub const ALL: [Period; 3] = [Period::Today, Period::ThisWeek, Period::ThisMonth];

    /// The English label (the catalogue's key).
    pub fn label(self) -> &'static str {
        match self {
            Period::Today => "Today",
            Period::ThisWeek => "This week",
            Period::ThisMonth => "This month",
        }
    }

    /// The first local date the period counts: today, this week's Monday, the 1st (the
    /// weeks and months of `report::widen`, so the screen and the exports agree on them).
    pub fn first_day(self, today: NaiveDate) -> NaiveDate {
        let start = |grain| report::widen(today, today, grain).0;
        match self {
            Period::Today => today,
            Period::ThisWeek => start(Grain::Week),
            Period::ThisMonth => start(Grain::Month),
        }
    }

    /// Its place in `ALL` (the staff screen's tab index).
    pub fn index(self) -> usize {
        Period::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The period at a tab index; out of range is the last.
    pub fn at(index: usize) -> Period {
        Period::ALL[index.min(Period::ALL.len() - 1)]
    }
}

/// Stored rows (key, name, local date, count) summed per meeting name, the largest first and
/// equal counts by name. Keyed by name because that is what staff read: a meeting whose key
/// changed with a feed update is still one line.
pub fn by_name(rows: &[(String, String, NaiveDate, u32)]) -> Vec<(String, u32)> {
    let mut totals: Vec<(String, u32)> = Vec::new();
    for (_, name, _, count) in rows {
        match totals.iter_mut().find(|(n, _)| n == name) {
            Some((_, c)) => *c = c.saturating_add(*count),
            None => totals.push((name.clone(), *count)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn periods_start_today_on_monday_and_on_the_first() {
        // Wednesday 2026-12-02.
        let today = day(12, 2);
        assert_eq!(Period::Today.first_day(today), today);
        assert_eq!(Period::ThisWeek.first_day(today), day(11, 30));
        assert_eq!(Period::ThisMonth.first_day(today), day(12, 1));
        // A Monday is its own week's first day; the 1st its own month's.
        assert_eq!(Period::ThisWeek.first_day(day(11, 30)), day(11, 30));
        assert_eq!(Period::ThisMonth.first_day(day(12, 1)), day(12, 1));
    }

    #[test]
    fn tab_indexes_round_trip_and_clamp() {
        for p in Period::ALL {
            assert_eq!(Period::at(p.index()), p);
        }
        assert_eq!(Period::at(7), Period::ThisMonth);
    }

    #[test]
    fn totals_add_up_per_name_largest_first() {
        let row = |k: &str, n: &str, d, c| (k.to_string(), n.to_string(), day(12, d), c);
        let rows = [
            row("a", "Alumni", 1, 4),
            row("b", "Big Book", 1, 9),
            row("a2", "Alumni", 2, 6),
            row("c", "Al-Anon", 2, 10),
        ];
        assert_eq!(
            by_name(&rows),
            vec![
                ("Al-Anon".to_string(), 10),
                ("Alumni".to_string(), 10),
                ("Big Book".to_string(), 9)
            ]
        );
        assert_eq!(by_name(&[]), Vec::<(String, u32)>::new());
    }
}
