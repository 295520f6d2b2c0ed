//! Attendance reports that may leave the device (CSV or JSON, to a USB stick or stdout), with
//! small-cell suppression as `reference/privacy.md` requires.
//!
//! - Periods are whole calendar weeks (Monday–Sunday) or whole months; a requested range is
//!   widened to them, so two overlapping exports cannot be subtracted to reveal a cell.
//! - Primary suppression: counts 1 … k−1 are shown as `<k` (default k = 11, floor 5).
//! - Complementary suppression: a row or column with exactly one hidden cell hides its next
//!   smallest cell too, repeated until no line has exactly one.
//! - Totals: a total over a line without hidden cells is exact; a total over hidden cells is
//!   published only as a lower bound `≥V` (the sum of its visible cells), which says nothing
//!   about the hidden ones. So no hidden cell can be recovered by subtraction.
//!
//! The on-device staff screen may show exact counts; nothing here is used for it.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;

/// The smallest k the config or `--min-cell` may set.
pub const MIN_CELL_FLOOR: u32 = 5;
pub const DEFAULT_MIN_CELL: u32 = 11;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Week,
    Month,
}

/// One column of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    pub fn label(&self, grain: Grain) -> String {
        match grain {
            Grain::Week => format!("week of {}", self.first.format("%Y-%m-%d")),
            Grain::Month => self.first.format("%Y-%m").to_string(),
        }
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let first = month_start(d);
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

/// `[from, to]` widened to whole weeks or months.
pub fn widen(from: NaiveDate, to: NaiveDate, grain: Grain) -> (NaiveDate, NaiveDate) {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    match grain {
        Grain::Week => (
            from - Duration::days(i64::from(from.weekday().num_days_from_monday())),
            to + Duration::days(6 - i64::from(to.weekday().num_days_from_monday())),
        ),
        Grain::Month => (month_start(from), next_month(to) - Duration::days(1)),
    }
}

/// The last day of the last week or month that is over on `today`.
pub fn last_finished_day(today: NaiveDate, grain: Grain) -> NaiveDate {
    let (current, _) = widen(today, today, grain);
    current - Duration::days(1)
}

/// The periods of a widened range, in order.
pub fn periods(from: NaiveDate, to: NaiveDate, grain: Grain) -> Vec<Period> {
    let (mut first, end) = widen(from, to, grain);
    let mut out = Vec::new();
    while first <= end {
        let next = match grain {
            Grain::Week => first + Duration::days(7),
            Grain::Month => next_month(first),
        };
        out.push(Period {
            first,
            last: next - Duration::days(1),
        });
        first = next;
    }
    out
}

/// One file of the staff screen's export to a stick: a calendar month as whole weeks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFile {
    /// The month's first day.
    pub month: NaiveDate,
    /// The weeks it covers: every week that touches the month and is over.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl MonthFile {
    /// `lobby-kiosk-attendance-YYYY-MM.csv`.
    pub fn name(&self) -> String {
        format!("lobby-kiosk-attendance-{}.csv", self.month.format("%Y-%m"))
    }
}

/// What an export to a stick on `today` writes: last month and this month, each as the weeks
/// that touch it, up to the last week that is over. A week still running would change
/// between two exports, and their difference would show a small count; so in a month's first
/// days, before any of its weeks has ended, there is no file for it yet.
pub fn export_months(today: NaiveDate) -> Vec<MonthFile> {
    let this_month = month_start(today);
    let last_month = month_start(this_month - Duration::days(1));
    let finished = last_finished_day(today, Grain::Week);
    [last_month, this_month]
        .into_iter()
        .filter_map(|month| {
            let (from, to) = widen(month, next_month(month) - Duration::days(1), Grain::Week);
            let to = to.min(finished);
            (from <= to).then_some(MonthFile { month, from, to })
        })
        .collect()
}

/// Meetings × periods, exact counts (before suppression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub grain: Grain,
    /// (meeting key, name) per row, sorted by site, then name.
    pub meetings: Vec<(String, String)>,
    /// The site (kiosk) of each row in a merged report (`fleet::merge`); empty for one kiosk's.
    pub sites: Vec<String>,
    pub periods: Vec<Period>,
    pub counts: Vec<Vec<u32>>,
}

/// Builds the table from stored rows (key, name, local date, count).
pub fn table(
    rows: &[(String, String, NaiveDate, u32)],
    from: NaiveDate,
    to: NaiveDate,
    grain: Grain,
) -> Table {
    let rows = rows
        .iter()
        .map(|(k, n, d, c)| ("", k.as_str(), n.as_str(), *d, *c));
    let mut table = table_of(rows, from, to, grain);
    table.sites.clear();
    table
}

/// Builds a merged table from several sites' rows (site, key, name, local date, count): the
/// same meeting at two sites is two rows.
pub fn table_by_site(
    rows: &[(String, String, String, NaiveDate, u32)],
    from: NaiveDate,
    to: NaiveDate,
    grain: Grain,
) -> Table {
    let rows = rows
        .iter()
        .map(|(s, k, n, d, c)| (s.as_str(), k.as_str(), n.as_str(), *d, *c));
    table_of(rows, from, to, grain)
}

fn table_of<'a>(
    rows: impl Iterator<Item = (&'a str, &'a str, &'a str, NaiveDate, u32)>,
    from: NaiveDate,
    to: NaiveDate,
    grain: Grain,
) -> Table {
    let periods = periods(from, to, grain);
    let mut by_meeting: BTreeMap<(&str, &str), (&str, Vec<u32>)> = BTreeMap::new();
    for (site, key, name, date, count) in rows {
        let Some(col) = periods
            .iter()
            .position(|p| p.first <= date && date <= p.last)
        else {
            continue;
        };
        let entry = by_meeting
            .entry((site, key))
            .or_insert_with(|| (name, vec![0; periods.len()]));
        // The name of the latest row wins (a renamed meeting keeps its key).
        entry.0 = name;
        entry.1[col] = entry.1[col].saturating_add(count);
    }
    let mut lines: Vec<_> = by_meeting.into_iter().collect();
    lines.sort_by(|a, b| (a.0 .0, a.1 .0, a.0 .1).cmp(&(b.0 .0, b.1 .0, b.0 .1)));
    Table {
        grain,
        meetings: lines
            .iter()
            .map(|((_, k), (n, _))| (k.to_string(), n.to_string()))
            .collect(),
        sites: lines.iter().map(|((s, _), _)| s.to_string()).collect(),
        counts: lines.into_iter().map(|(_, (_, c))| c).collect(),
        periods,
    }
}

/// A published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Count(u32),
    /// Shown as `<k`.
    Hidden,
}

/// A published total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(u32),
    /// At least this much: the line has hidden cells, which are left out.
    AtLeast(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub k: u32,
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Total>,
    pub column_totals: Vec<Total>,
    pub grand_total: Total,
}

/// Applies primary and complementary suppression to `counts` (rows × columns).
pub fn suppress(counts: &[Vec<u32>], k: u32) -> Suppressed {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    let mut hidden: Vec<Vec<bool>> = counts
        .iter()
        .map(|r| r.iter().map(|&c| c > 0 && c < k).collect())
        .collect();
    // Complementary: no line may have exactly one hidden cell.
    loop {
        let mut changed = false;
        for r in 0..rows {
            changed |= hide_partner(
                (0..cols).map(|c| (counts[r][c], hidden[r][c])).collect(),
                |c| hidden[r][c] = true,
            );
        }
        for c in 0..cols {
            changed |= hide_partner(
                (0..rows).map(|r| (counts[r][c], hidden[r][c])).collect(),
                |r| hidden[r][c] = true,
            );
        }
        if !changed {
            break;
        }
    }
    let total = |cells: Vec<(u32, bool)>| {
        let visible: u32 = cells.iter().filter(|(_, h)| !h).map(|(c, _)| c).sum();
        if cells.iter().any(|(_, h)| *h) {
            Total::AtLeast(visible)
        } else {
            Total::Exact(visible)
        }
    };
    Suppressed {
        k,
        cells: (0..rows)
            .map(|r| {
                (0..cols)
                    .map(|c| {
                        if hidden[r][c] {
                            Cell::Hidden
                        } else {
                            Cell::Count(counts[r][c])
                        }
                    })
                    .collect()
            })
            .collect(),
        row_totals: (0..rows)
            .map(|r| total((0..cols).map(|c| (counts[r][c], hidden[r][c])).collect()))
            .collect(),
        column_totals: (0..cols)
            .map(|c| total((0..rows).map(|r| (counts[r][c], hidden[r][c])).collect()))
            .collect(),
        grand_total: total(
            (0..rows)
                .flat_map(|r| (0..cols).map(move |c| (r, c)))
                .map(|(r, c)| (counts[r][c], hidden[r][c]))
                .collect(),
        ),
    }
}

/// If exactly one cell of the line is hidden, hides the smallest other (non-zero first).
fn hide_partner(line: Vec<(u32, bool)>, mut hide: impl FnMut(usize)) -> bool {
    if line.iter().filter(|(_, h)| *h).count() != 1 {
        return false;
    }
    let partner = line
        .iter()
        .enumerate()
        .filter(|(_, (_, h))| !h)
        .min_by_key(|(_, (c, _))| (*c == 0, *c))
        .map(|(i, _)| i);
    match partner {
        Some(i) => {
            hide(i);
            true
        }
        None => false,
    }
}

fn cell_text(cell: Cell, k: u32) -> String {
    match cell {
        Cell::Count(n) => n.to_string(),
        Cell::Hidden => format!("<{k}"),
    }
}

fn total_text(total: Total) -> String {
    match total {
        Total::Exact(n) => n.to_string(),
        Total::AtLeast(n) => format!("≥{n}"),
    }
}

/// A text cell as a spreadsheet should show it: a meeting name from a feed that starts like a
/// formula (`=`, `+`, `-`, `@`, a tab or CR) is prefixed with `'`, so Excel or LibreOffice shows
/// it as text and never evaluates it.
fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The report as CSV: one row per meeting, one column per period, totals last. Written by the
/// `csv` crate, so a cell holding a comma, quote or line break of any kind is quoted.
pub fn csv(table: &Table, s: &Suppressed) -> String {
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(table.meetings.len() + 2);
    let by_site = !table.sites.is_empty();
    let mut header = Vec::new();
    if by_site {
        header.push("site".to_string());
    }
    header.extend(["meeting".to_string(), "name".to_string()]);
    header.extend(
        table
            .periods
            .iter()
            .map(|p| text_cell(&p.label(table.grain))),
    );
    header.push("total".into());
    rows.push(header);
    for (i, (key, name)) in table.meetings.iter().enumerate() {
        let mut row = Vec::new();
        if by_site {
            row.push(text_cell(&table.sites[i]));
        }
        row.extend([text_cell(key), text_cell(name)]);
        row.extend(s.cells[i].iter().map(|cell| cell_text(*cell, s.k)));
        row.push(total_text(s.row_totals[i]));
        rows.push(row);
    }
    let mut last = vec!["total".to_string(), String::new()];
    if by_site {
        last.push(String::new());
    }
    last.extend(s.column_totals.iter().map(|t| total_text(*t)));
    last.push(total_text(s.grand_total));
    rows.push(last);
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in &rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The report as JSON, with the rules it was made under.
pub fn json(table: &Table, s: &Suppressed) -> String {
    let rows: Vec<_> = table
        .meetings
        .iter()
        .enumerate()
        .map(|(i, (key, name))| {
            let mut row = json!({
                "meeting": key,
                "name": name,
                "counts": s.cells[i].iter().map(|c| cell_text(*c, s.k)).collect::<Vec<_>>(),
                "total": total_text(s.row_totals[i]),
            });
            if let Some(site) = table.sites.get(i) {
                row["site"] = json!(site);
            }
            row
        })
        .collect();
    let value = json!({
        "grain": match table.grain { Grain::Week => "week", Grain::Month => "month" },
        "from": table.periods.first().map(|p| p.first.to_string()),
        "to": table.periods.last().map(|p| p.last.to_string()),
        "periods": table.periods.iter().map(|p| p.label(table.grain)).collect::<Vec<_>>(),
        "suppression": format!(
            "counts 1 to {} shown as <{}; a line with one hidden cell hides another; totals over hidden cells shown as a lower bound (≥)",
            s.k - 1, s.k
        ),
        "meetings": rows,
        "column_totals": s.column_totals.iter().map(|t| total_text(*t)).collect::<Vec<_>>(),
        "total": total_text(s.grand_total),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests;
