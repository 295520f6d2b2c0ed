//! How long the board takes over 2,000 and 100,000 meetings, and a full-frame software render.

use std::rc::Rc;

use chrono::{NaiveTime, TimeZone, Utc, Weekday};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lobby_kiosk::schedule::{board, BoardQuery, Filters, Meeting, ProviderList, Recurrence};

/// Meetings spread over the week, the day and 60 km around Philadelphia, a third online.
fn meetings(n: usize) -> Vec<Meeting> {
    let days = [
        Weekday::Sun,
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
    ];
    (0..n)
        .map(|i| {
            let start =
                NaiveTime::from_hms_opt((i * 7 % 24) as u32, (i * 13 % 4 * 15) as u32, 0).unwrap();
            let mut m = Meeting::new(
                "feed",
                &format!("m{i}"),
                &format!("Meeting {i}"),
                Recurrence::Weekly(vec![days[i % 7]]),
                start,
            );
            m.program = ["AA", "NA", "Al-Anon", "SMART"][i % 4].into();
            m.types = vec!["O".into(), "D".into()];
            if i % 3 == 0 {
                m.conference_url = format!("https://zoom.us/j/{i}");
                m.approximate = true;
            } else {
                m.address = format!("{i} Main St");
                m.latitude = Some(39.95 + ((i * 37 % 100) as f64 - 50.0) / 100.0);
                m.longitude = Some(-75.16 + ((i * 53 % 100) as f64 - 50.0) / 100.0);
            }
            m
        })
        .collect()
}

fn bench_board(c: &mut Criterion) {
    let query = BoardQuery {
        now: Utc.with_ymd_and_hms(2026, 11, 22, 0, 10, 0).unwrap(),
        timezone: chrono_tz::America::New_York,
        location: Some((39.9526, -75.1652)),
        radius_m: 40_000.0,
        filters: Filters::default(),
        providers: ProviderList::default(),
    };
    let mut group = c.benchmark_group("board");
    for n in [2_000, 100_000] {
        let all = meetings(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &all, |b, all| {
            b.iter(|| board(all, &query).entries.len())
        });
    }
    group.finish();
}

fn bench_render(c: &mut Criterion) {
    use lobby_kiosk::kiosk::{headless, Kiosk, ScheduleSource};
    use slint::platform::software_renderer::Rgb565Pixel;
    use slint::ComponentHandle;
    let window = headless::install(1280, 800).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 10, 0).unwrap();
    let kiosk = Kiosk::new(
        lobby_kiosk::config::Config::default(),
        ScheduleSource::Demo,
        Rc::new(move || now),
    )
    .unwrap();
    kiosk.window.show().unwrap();
    let mut buffer = vec![Rgb565Pixel::default(); 1280 * 800];
    c.bench_function("full_frame_render_1280x800", |b| {
        b.iter(|| headless::render_rgb565(&window, &mut buffer))
    });
}

criterion_group!(benches, bench_board, bench_render);
criterion_main!(benches);
