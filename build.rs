fn main() {
    // Spanish from assets/translations/es/LC_MESSAGES/lobby-kiosk.po, keyed by the English
    // text alone (no per-component context), so the Rust side (src/kiosk/i18n.rs) can read the
    // same catalogue.
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("assets/translations")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None);
    slint_build::compile_with_config("ui/main.slint", config).expect("the UI in ui/ must compile");
    println!("cargo:rerun-if-changed=assets/translations");
    // The clock check (src/device/clock.rs): the kiosk cannot be running before it was built.
    // build.rs reruns only when the UI changes, so this may be older than the binary — still
    // a lower bound. SOURCE_DATE_EPOCH keeps package builds reproducible.
    let built = std::env::var("SOURCE_DATE_EPOCH").ok().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs().to_string())
            .unwrap_or_default()
    });
    println!("cargo:rustc-env=LOBBY_KIOSK_BUILD_UNIX={built}");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
}
