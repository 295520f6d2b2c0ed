//! Fleet tests: real Syncthing instances on 127.0.0.1 (the harness is `syncthing.rs`) carry
//! the office's folders to the lobby kiosks and the kiosks' reports back to the office.
//!
//! Needs the `syncthing` package (Debian's 1.19): `apt-get install syncthing`.

mod end_to_end;
mod syncthing;

use std::fs;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use syncthing::{wait_until, Kind, Syncthing};

/// How long a file may take to reach a device (on 127.0.0.1 it takes about a second).
const TRAVEL_TIMEOUT: Duration = Duration::from_secs(120);

/// Waits until each of `devices` has `root/<device>/<relative>` holding exactly `bytes`.
fn wait_until_each_has(devices: &[&Syncthing], root: &Path, relative: &str, bytes: &[u8]) {
    for device in devices {
        let path = root.join(&device.name).join(relative);
        wait_until(
            &format!(
                "{} to have {} with the sender's {} bytes",
                device.name,
                path.display(),
                bytes.len()
            ),
            TRAVEL_TIMEOUT,
            || fs::read(&path).is_ok_and(|on_disk| on_disk == bytes),
        );
    }
}

#[test]
fn syncthing_carries_a_folder_from_the_office_to_three_kiosks() {
    let dir = tempfile::tempdir().expect("cannot create a temporary directory");
    let root = dir.path();
    let office = Syncthing::start("office", root);
    let north = Syncthing::start("north", root);
    let mut south = Syncthing::start("south", root);
    let east = Syncthing::start("east", root);

    // A star: each kiosk knows only the office.
    let kiosks = [&north, &south, &east];
    for kiosk in kiosks {
        office.introduce(kiosk);
        kiosk.introduce(&office);
    }
    office.share(
        "schedule",
        &root.join("office/schedule"),
        Kind::SendOnly,
        &kiosks,
    );
    office.share(
        "reports",
        &root.join("office/reports"),
        Kind::ReceiveOnly,
        &kiosks,
    );
    for kiosk in kiosks {
        let own = root.join(&kiosk.name);
        kiosk.share(
            "schedule",
            &own.join("schedule"),
            Kind::ReceiveOnly,
            &[&office],
        );
        kiosk.share("reports", &own.join("reports"), Kind::SendOnly, &[&office]);
    }

    // The office's schedule reaches the three kiosks.
    let hello = b"Today: 10:00 AA, Room 2\n";
    let started = Instant::now();
    fs::write(root.join("office/schedule/hello.txt"), hello).expect("cannot write hello.txt");
    wait_until_each_has(&kiosks, root, "schedule/hello.txt", hello);
    println!(
        "hello.txt reached the three kiosks in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // A kiosk that is off misses a change, and catches up when it is back.
    south.stop();
    let changed = b"Today: 10:00 AA, Room 2; 19:00 NA, Room 5\n";
    let started = Instant::now();
    fs::write(root.join("office/schedule/hello.txt"), changed).expect("cannot change hello.txt");
    wait_until_each_has(&[&north, &east], root, "schedule/hello.txt", changed);
    println!(
        "the change reached north and east in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    south.start_again();
    wait_until_each_has(&[&south], root, "schedule/hello.txt", changed);
    println!(
        "south caught up {:.1} s after it was started again",
        started.elapsed().as_secs_f64()
    );

    // A kiosk's report reaches the office, and only the office: the other kiosks' report
    // folders are send-only, so they learn of the file but never download it.
    let report = b"2 sign-ins\n";
    let started = Instant::now();
    fs::create_dir_all(root.join("north/reports/north")).expect("cannot create north's reports");
    fs::write(root.join("north/reports/north/x.txt"), report).expect("cannot write x.txt");
    wait_until_each_has(&[&office], root, "reports/north/x.txt", report);
    println!(
        "north's report reached the office in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for kiosk in [&south, &east] {
        wait_until(
            &format!("{} to learn of north's report from the office", kiosk.name),
            TRAVEL_TIMEOUT,
            || kiosk.folder_status("reports")["globalFiles"].as_u64() >= Some(1),
        );
    }
    thread::sleep(Duration::from_secs(2));
    for kiosk in [&south, &east] {
        let copy = root.join(&kiosk.name).join("reports/north");
        assert!(
            !copy.exists(),
            "{} downloaded north's report into its send-only folder: {} exists",
            kiosk.name,
            copy.display()
        );
    }
}
