//! `lobby-kiosk doctor` through the binary: config problems are named with their fix, and the
//! database is looked at without being changed.

mod common;

#[test]
fn doctor_names_a_bad_screen_setting_and_its_fix() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[screen]\nrotation = 45\n").unwrap();
    let out = common::kiosk(&["--config", config.to_str().unwrap(), "doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(stdout.contains("rotation = 45"), "{stdout}");
    assert!(stdout.contains("fix: correct that line"), "{stdout}");
}

#[test]
fn doctor_checks_a_database_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    lobby_kiosk::store::Store::open(&db).unwrap();
    let before = std::fs::read_dir(dir.path()).unwrap().count();
    let out = common::kiosk(&["--db", db.to_str().unwrap(), "doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("is intact"), "{stdout}");
    assert!(stdout.contains("no schedule imported yet"), "{stdout}");
    let after = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(before, after, "doctor created no files");
}
