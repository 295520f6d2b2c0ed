//! How long the board takes over 2,000 and 100,000 meetings (asked every minute, and the
//! timetable built once per load), and a full-frame software render.

use std::rc::Rc;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use lobby_kiosk::schedule::demo::synthetic_feed;
use lobby_kiosk::schedule::{BoardQuery, Filters, ProviderList, Timetable};

fn bench_board(c: &mut Criterion) {
    let query = BoardQuery {
        // 00:10 UTC: 19:10 on Saturday evening in New York.
        now: Utc.with_ymd_and_hms(2026, 11, 22, 0, 10, 0).unwrap(),
        timezone: chrono_tz::America::New_York,
        location: Some((39.9526, -75.1652)),
        radius_m: 40_000.0,
        filters: Filters::default(),
        providers: ProviderList::default(),
    };
    let mut group = c.benchmark_group("board");
    for n in [2_000, 100_000] {
        let timetable = Timetable::new(synthetic_feed(n, (39.9526, -75.1652)), &query.providers);
        group.bench_with_input(
            BenchmarkId::from_parameter(n),
            &timetable,
            |b, timetable| b.iter(|| timetable.board(&query).entries.len()),
        );
    }
    group.finish();

    // Just after local midnight the whole day is still ahead: the most entries a board has.
    let after_midnight = BoardQuery {
        now: Utc.with_ymd_and_hms(2026, 11, 22, 5, 10, 0).unwrap(),
        ..query.clone()
    };
    let mut group = c.benchmark_group("board_after_midnight");
    for n in [2_000, 100_000] {
        let timetable = Timetable::new(synthetic_feed(n, (39.9526, -75.1652)), &query.providers);
        group.bench_with_input(
            BenchmarkId::from_parameter(n),
            &timetable,
            |b, timetable| b.iter(|| timetable.board(&after_midnight).entries.len()),
        );
    }
    group.finish();

    // What the kiosk pays on each load (hourly, and when an import lands).
    let mut group = c.benchmark_group("timetable_load");
    group.sample_size(20);
    let all = synthetic_feed(100_000, (39.9526, -75.1652));
    group.bench_function(BenchmarkId::from_parameter(100_000), |b| {
        b.iter_batched(
            || all.clone(),
            |all| Timetable::new(all, &query.providers),
            BatchSize::LargeInput,
        )
    });
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
