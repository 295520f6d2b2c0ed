//! Writes a synthetic schedule of N meetings into a database, for the start-up benchmark:
//! `cargo run --release --example seed_db -- /tmp/bench.db 2000`.

use lobby_kiosk::schedule::demo::synthetic_feed;
use lobby_kiosk::store::Store;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(n)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: seed_db PATH COUNT");
        std::process::exit(2);
    };
    let mut store = match Store::open(std::path::Path::new(&path)) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    match store.replace_source(
        "feed",
        &synthetic_feed(n, (39.9526, -75.1652)),
        "2026-11-21 09:00:00",
    ) {
        Ok(counts) => println!("{path}: {counts:?}"),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
