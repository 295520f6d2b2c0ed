fn main() {
    slint_build::compile("ui/main.slint").expect("the UI in ui/ must compile");
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
