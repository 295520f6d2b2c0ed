//! The device package's files: the systemd unit passes `systemd-analyze verify` (where
//! systemd is installed) and says what the issue asks of it; the udev rules mount sticks
//! read-only; the package metadata ships every file it names.

use std::path::Path;
use std::process::Command;

const UNIT: &str = include_str!("../packaging/lobby-kiosk.service");

#[test]
fn unit_file_passes_systemd_analyze_verify() {
    let available = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        println!("skipped: systemd-analyze is not installed here (apt-get install systemd)");
        return;
    }
    // verify checks that ExecStart exists: point it at the binary this test built.
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("lobby-kiosk.service");
    std::fs::write(
        &unit,
        UNIT.replace("/usr/bin/lobby-kiosk", env!("CARGO_BIN_EXE_lobby-kiosk")),
    )
    .unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Unknown keys are only warnings (exit 0): any line about this unit is a failure.
    let about_unit: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("lobby-kiosk.service"))
        .collect();
    assert!(
        out.status.success() && about_unit.is_empty(),
        "systemd-analyze verify: {stderr}"
    );
}

#[test]
fn unit_restarts_always_and_is_watched_by_the_watchdog() {
    for line in [
        "Type=notify",
        "Restart=always",
        "WatchdogSec=30",
        "User=lobby-kiosk",
        "SupplementaryGroups=video input render lp",
        "StateDirectory=lobby-kiosk",
    ] {
        assert!(UNIT.lines().any(|l| l == line), "missing {line}");
    }
}

#[test]
fn usb_sticks_are_mounted_read_only_where_the_kiosk_looks() {
    let rule = include_str!("../packaging/udev/61-lobby-kiosk-usb.rules");
    assert!(rule.contains("--options=ro,nosuid,nodev,noexec"));
    assert!(rule.contains("/media/lobby-kiosk/%k"));
    let config = lobby_kiosk::config::Config::default();
    assert!(config
        .usb
        .mount_roots
        .iter()
        .any(|r| r == Path::new("/media")));
}

#[test]
fn every_file_the_package_ships_exists() {
    let manifest: toml::Value =
        toml::from_str(include_str!("../Cargo.toml")).expect("Cargo.toml parses");
    let deb = &manifest["package"]["metadata"]["deb"];
    let assets = deb["assets"].as_array().expect("deb assets");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for asset in assets {
        let source = asset[0].as_str().unwrap();
        if source.starts_with("target/") {
            continue;
        }
        assert!(root.join(source).is_file(), "{source} is missing");
    }
    let scripts = deb["maintainer-scripts"].as_str().unwrap();
    assert!(root.join(scripts).join("postinst").is_file());
    assert!(root.join("packaging/lobby-kiosk.service").is_file());
}

#[test]
fn usb_report_helper_refuses_targets_outside_the_automount_folder() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("usb-outbox");
    std::fs::create_dir_all(&outbox).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(
        outbox.join("a.report"),
        format!("# target: {}\nreport\n", victim.display()),
    )
    .unwrap();
    std::fs::write(
        outbox.join("b.report"),
        "# target: /media/lobby-kiosk/../../etc/x/lobby-kiosk/import-report.txt\nreport\n",
    )
    .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/write-usb-report");
    let out = Command::new("sh")
        .arg(&script)
        .arg(&outbox)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing"), "{stderr}");
    assert!(
        !victim.exists(),
        "nothing written outside the automount folder"
    );
    assert_eq!(
        std::fs::read_dir(&outbox).unwrap().count(),
        0,
        "refused entries are dropped"
    );
    // And the kiosk learns it, so staff are not told "safe to remove".
    let said = std::fs::read_to_string(dir.path().join("usb-done").join("a.report")).unwrap();
    assert!(said.starts_with("failed: "), "{said}");
}
