//! Importing the largest real feed (southeastern Pennsylvania, 1,928 meetings, 2 MB of
//! Meeting Guide JSON) into a schedule database on disk, as `lobby-kiosk import` does:
//! parse, stream into one IMMEDIATE transaction, commit with synchronous=FULL.

use criterion::{criterion_group, criterion_main, Criterion};
use lobby_kiosk::import::{self, Format, Options};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::apply;

const SEPIA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/meetingguide_sepia_1928_meetings.json"
);

fn options() -> Options {
    Options {
        source: "sepia".into(),
        program: "AA".into(),
        ..Options::default()
    }
}

fn bench_import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    let path = std::path::Path::new(SEPIA);
    let mut group = c.benchmark_group("import");
    group.sample_size(30);
    group.bench_function("sepia_1928_into_sqlite", |b| {
        b.iter(|| {
            let outcome = apply::import_file(
                &mut store,
                path,
                Some(Format::MeetingGuide),
                &options(),
                "2026-11-22T10:00:00Z",
                false,
                &mut |_, _| {},
            )
            .unwrap();
            assert_eq!(outcome.report.rows_read, 1928);
        })
    });
    let bytes = std::fs::read(path).unwrap();
    group.bench_function("sepia_1928_parse_only", |b| {
        b.iter(|| {
            let (_, report) =
                import::read_all(Format::MeetingGuide, "sepia.json", &bytes, &options()).unwrap();
            assert_eq!(report.rows_read, 1928);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
