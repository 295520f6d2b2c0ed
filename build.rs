fn main() {
    slint_build::compile("ui/main.slint").expect("the UI in ui/ must compile");
}
