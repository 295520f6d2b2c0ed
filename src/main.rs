//! The command line: run the kiosk, print the board, render a screenshot.

fn main() {
    std::process::exit(lobby_kiosk::cli::main());
}
