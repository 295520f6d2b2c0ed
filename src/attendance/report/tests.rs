use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn ranges_widen_to_whole_weeks_and_months() {
    // Wednesday 2026-11-11 to Tuesday 2026-11-17 → Monday 11-09 to Sunday 11-22.
    assert_eq!(
        widen(d(2026, 11, 11), d(2026, 11, 17), Grain::Week),
        (d(2026, 11, 9), d(2026, 11, 22))
    );
    assert_eq!(
        widen(d(2026, 11, 11), d(2026, 12, 3), Grain::Month),
        (d(2026, 11, 1), d(2026, 12, 31))
    );
    let weeks = periods(d(2026, 11, 11), d(2026, 11, 17), Grain::Week);
    assert_eq!(weeks.len(), 2);
    assert_eq!(weeks[1].first, d(2026, 11, 16));
    assert_eq!(weeks[1].last, d(2026, 11, 22));
}

/// Two exports on different days of the same week must not differ in a cell: each covers only
/// weeks that are over, and a month before its first week ends gets no file.
#[test]
fn a_stick_export_writes_last_month_and_this_month_in_finished_weeks_only() {
    let file = |m, from, to| MonthFile { month: m, from, to };
    // Thursday 2026-12-03: December's first week (Monday 11-30 … 12-06) is still running.
    assert_eq!(
        export_months(d(2026, 12, 3)),
        vec![file(d(2026, 11, 1), d(2026, 10, 26), d(2026, 11, 29))]
    );
    // Its Sunday is not over either, until Monday.
    assert_eq!(export_months(d(2026, 12, 6)), export_months(d(2026, 12, 3)));
    let monday = export_months(d(2026, 12, 7));
    assert_eq!(
        monday,
        vec![
            file(d(2026, 11, 1), d(2026, 10, 26), d(2026, 12, 6)),
            file(d(2026, 12, 1), d(2026, 11, 30), d(2026, 12, 6)),
        ]
    );
    assert_eq!(monday[1].name(), "lobby-kiosk-attendance-2026-12.csv");
    // Late in a month, last month is whole and this month stops at last Sunday; across the
    // new year, last month is December.
    assert_eq!(
        export_months(d(2027, 1, 20)),
        vec![
            file(d(2026, 12, 1), d(2026, 11, 30), d(2027, 1, 3)),
            file(d(2027, 1, 1), d(2026, 12, 28), d(2027, 1, 17)),
        ]
    );
    for today in (0..400).map(|n| d(2026, 1, 1) + Duration::days(n)) {
        let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        for f in export_months(today) {
            assert!(f.to < this_monday, "{today}: a running week in {f:?}");
            assert_eq!(f.from.weekday(), chrono::Weekday::Mon, "{today}: {f:?}");
            assert_eq!(f.to.weekday(), chrono::Weekday::Sun, "{today}: {f:?}");
        }
    }
}

#[test]
fn small_counts_are_hidden_and_a_lone_hidden_cell_takes_a_partner() {
    // Rows: meetings; columns: weeks. k = 11.
    let counts = vec![vec![25, 3, 40], vec![30, 18, 12]];
    let s = suppress(&counts, 11);
    assert_eq!(s.cells[0][1], Cell::Hidden, "3 is below 11");
    // Row 0 would have one hidden cell: its smallest other cell (25) goes too; column 1
    // would have one: 18 goes too; then row 1 has one: 12 goes.
    assert_eq!(s.cells[0][0], Cell::Hidden);
    assert_eq!(s.cells[1][1], Cell::Hidden);
    assert_eq!(s.row_totals[0], Total::AtLeast(40));
    let text = csv(&table_of(&counts), &s);
    assert!(!text.contains(",3,"), "{text}");
}

fn table_of(counts: &[Vec<u32>]) -> Table {
    Table {
        grain: Grain::Week,
        meetings: (0..counts.len())
            .map(|i| (format!("m{i}"), format!("Meeting {i}")))
            .collect(),
        sites: Vec::new(),
        periods: (0..counts.first().map_or(0, Vec::len))
            .map(|i| Period {
                first: d(2026, 11, 2) + Duration::days(7 * i as i64),
                last: d(2026, 11, 8) + Duration::days(7 * i as i64),
            })
            .collect(),
        counts: counts.to_vec(),
    }
}

/// A small deterministic generator: the property runs are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn no_random_table_publishes_a_small_cell_or_a_recoverable_one() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let k = [5, 11, 20][rng.below(3) as usize] as u32;
        let rows = 1 + rng.below(6) as usize;
        let cols = 1 + rng.below(6) as usize;
        let counts: Vec<Vec<u32>> = (0..rows)
            .map(|_| {
                (0..cols)
                    .map(|_| match rng.below(4) {
                        0 => 0,
                        1 => 1 + rng.below(u64::from(k) - 1) as u32,
                        _ => rng.below(60) as u32,
                    })
                    .collect()
            })
            .collect();
        let s = suppress(&counts, k);
        for r in 0..rows {
            for c in 0..cols {
                match s.cells[r][c] {
                    Cell::Count(n) => {
                        assert_eq!(n, counts[r][c], "visible cells are true");
                        assert!(n == 0 || n >= k, "{n} shown with k = {k}: {counts:?}");
                    }
                    Cell::Hidden => {}
                }
            }
        }
        let hidden_in = |cells: Vec<Cell>| cells.iter().filter(|c| **c == Cell::Hidden).count();
        // No line has exactly one hidden cell, unless it has no other cell at all.
        for r in 0..rows {
            let n = hidden_in(s.cells[r].clone());
            assert!(n != 1 || cols == 1, "row {r} of {counts:?}");
        }
        for c in 0..cols {
            let n = hidden_in((0..rows).map(|r| s.cells[r][c]).collect());
            assert!(n != 1 || rows == 1, "column {c} of {counts:?}");
        }
        // An exact total never covers a hidden cell, and a bound never exceeds the truth:
        // published totals carry no information about hidden cells.
        for (r, row) in counts.iter().enumerate() {
            let truth: u32 = row.iter().sum();
            match s.row_totals[r] {
                Total::Exact(t) => {
                    assert_eq!(t, truth);
                    assert_eq!(hidden_in(s.cells[r].clone()), 0);
                }
                Total::AtLeast(v) => {
                    let visible: u32 = s.cells[r]
                        .iter()
                        .map(|c| if let Cell::Count(n) = c { *n } else { 0 })
                        .sum();
                    assert_eq!(v, visible);
                }
            }
        }
        for (c, total) in s.column_totals.iter().enumerate() {
            let column: Vec<Cell> = s.cells.iter().map(|row| row[c]).collect();
            if let Total::Exact(t) = total {
                assert_eq!(hidden_in(column), 0);
                assert_eq!(*t, counts.iter().map(|row| row[c]).sum::<u32>());
            }
        }
        let any_hidden = s.cells.iter().flatten().any(|c| *c == Cell::Hidden);
        assert_eq!(matches!(s.grand_total, Total::AtLeast(_)), any_hidden);
    }
}

#[test]
fn csv_and_json_say_hidden_cells_as_less_than_k() {
    let counts = vec![vec![4, 0], vec![12, 7]];
    let t = table_of(&counts);
    let s = suppress(&counts, 11);
    let text = csv(&t, &s);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "meeting,name,week of 2026-11-02,week of 2026-11-09,total"
    );
    assert!(lines[1].starts_with("m0,Meeting 0,<11,"), "{text}");
    let value: serde_json::Value = serde_json::from_str(&json(&t, &s)).unwrap();
    assert_eq!(value["meetings"][0]["counts"][0], "<11");
}

/// Meeting names come from feeds and end up in Excel: one that starts like a formula is shown
/// as text, and a line break of any kind stays inside its quoted cell.
#[test]
fn csv_cells_from_feeds_are_quoted_and_never_formulas() {
    let counts = vec![vec![12, 15], vec![20, 30]];
    let mut t = table_of(&counts);
    t.meetings[0].1 = "=HYPERLINK(\"http://x\",\"Step\")".into();
    t.meetings[1].1 = "Noon\rGroup, \"Open\"".into();
    let s = suppress(&counts, 11);
    let text = csv(&t, &s);
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    assert_eq!(
        names,
        [
            "'=HYPERLINK(\"http://x\",\"Step\")",
            "Noon\rGroup, \"Open\"",
            ""
        ]
    );
    assert!(
        text.contains(",\"Noon\rGroup, "),
        "the CR is inside its quotes: {text:?}"
    );
}
