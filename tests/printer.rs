//! Take-away slips end to end: the ESC/POS bytes parsed back (text in the code page, the QR
//! code rebuilt from `GS v 0` and decoded), a network printer on 127.0.0.1 that receives them,
//! answers status queries, runs out of paper or never reads, and the PNG preview.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use lobby_kiosk::config::Config;
use lobby_kiosk::printer::{self, slip, PrintError, PrinterUri, QrMode, Slip};
use lobby_kiosk::schedule::{board, demo, BoardQuery, Filters, Meeting, ProviderList};
use lobby_kiosk::words::{Lang, Locale};

/// Saturday 2026-11-21, 19:10 in New York (the README's moment).
fn evening() -> DateTime<Tz> {
    chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 21, 19, 10, 0)
        .unwrap()
}

fn demo_meeting(id: &str) -> Meeting {
    demo::demo_schedule(evening(), (39.9526, -75.1652))
        .into_iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("the sample schedule has {id}"))
}

fn slip_for(m: &Meeting, config: &Config) -> Slip {
    slip_in(m, config, Lang::En)
}

fn slip_in(m: &Meeting, config: &Config, lang: Lang) -> Slip {
    let providers = ProviderList::default();
    let query = BoardQuery {
        now: evening().with_timezone(&Utc),
        timezone: config.timezone(),
        location: config.location(),
        radius_m: config.radius_m(),
        filters: Filters::default(),
        providers: providers.clone(),
    };
    let b = board(std::slice::from_ref(m), &query);
    let locale = Locale {
        lang,
        hours24: false,
    };
    slip::layout(
        m,
        b.entries.first(),
        &b.now,
        &config.printer,
        &config.code_rules(),
        &locale,
    )
}

/// What a printer would make of the bytes.
#[derive(Debug, Default)]
struct Parsed {
    lines: Vec<Vec<u8>>,
    /// `GS v 0` images: (width in dots, height, data).
    rasters: Vec<(usize, usize, Vec<u8>)>,
    /// Data of native QR codes (`GS ( k` store).
    native_qr: Vec<String>,
    code_page: Option<u8>,
    cut: bool,
}

/// Walks an ESC/POS stream command by command; anything unknown fails the test, so the
/// encoder cannot send something a printer would print as garbage.
fn parse(bytes: &[u8]) -> Parsed {
    let mut p = Parsed::default();
    let mut line = Vec::new();
    let mut i = 0;
    let at = |i: usize, n: usize| -> &[u8] {
        bytes
            .get(i..i + n)
            .unwrap_or_else(|| panic!("stream ends inside a command at {i}"))
    };
    while i < bytes.len() {
        match bytes[i] {
            0x1B => {
                let cmd = at(i, 2)[1];
                match cmd {
                    b'@' => i += 2,
                    b't' => {
                        p.code_page = Some(at(i, 3)[2]);
                        i += 3;
                    }
                    b'a' | b'E' => i += 3,
                    b'd' => {
                        let n = at(i, 3)[2];
                        p.lines.push(std::mem::take(&mut line));
                        for _ in 1..n {
                            p.lines.push(Vec::new());
                        }
                        i += 3;
                    }
                    other => panic!("unknown ESC {other:#04x} at {i}"),
                }
            }
            0x1D => {
                let cmd = at(i, 2)[1];
                match cmd {
                    b'!' => i += 3,
                    b'V' => {
                        p.cut = true;
                        i += if at(i, 3)[2] >= 0x41 { 4 } else { 3 };
                    }
                    b'v' => {
                        let h = at(i, 8);
                        assert_eq!(h[2], b'0', "GS v 0");
                        let x = h[4] as usize + 256 * h[5] as usize;
                        let y = h[6] as usize + 256 * h[7] as usize;
                        let data = at(i + 8, x * y).to_vec();
                        p.rasters.push((x * 8, y, data));
                        i += 8 + x * y;
                    }
                    b'(' => {
                        let h = at(i, 8);
                        assert_eq!(h[2], b'k', "GS ( k");
                        let len = h[3] as usize + 256 * h[4] as usize;
                        let body = at(i + 5, len);
                        // cn = 49 (QR), fn = 80: store the data.
                        if body[0] == 49 && body[1] == 80 {
                            p.native_qr
                                .push(String::from_utf8(body[3..].to_vec()).unwrap());
                        }
                        i += 5 + len;
                    }
                    other => panic!("unknown GS {other:#04x} at {i}"),
                }
            }
            0x0A => {
                p.lines.push(std::mem::take(&mut line));
                i += 1;
            }
            b if b >= 0x20 => {
                line.push(b);
                i += 1;
            }
            b => panic!("control byte {b:#04x} at {i}"),
        }
    }
    p
}

fn ascii_lines(p: &Parsed) -> Vec<String> {
    p.lines
        .iter()
        .map(|l| l.iter().map(|&b| b as char).collect())
        .collect()
}

/// The text of the single QR code in a 1-bit raster.
fn decode_raster(width: usize, height: usize, data: &[u8]) -> String {
    let row = width / 8;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if data[y * row + x / 8] & (0x80 >> (x % 8)) != 0 {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the raster");
    grids[0].decode().expect("the QR code decodes").1
}

#[test]
fn the_raster_qr_in_the_byte_stream_decodes_to_the_meetings_link() {
    let m = demo_meeting("online:online-big-book");
    for paper_mm in [58, 80] {
        let mut config = Config::default();
        config.printer.paper_mm = paper_mm;
        let bytes = printer::encode(&slip_for(&m, &config), &config.printer).unwrap();
        let parsed = parse(&bytes);
        let (w, h, data) = parsed
            .rasters
            .iter()
            .max_by_key(|r| r.1)
            .expect("a raster image");
        assert_eq!(*w as u32, config.printer.paper_dots());
        assert_eq!(decode_raster(*w, *h, data), m.conference_url);
        assert!(parsed.native_qr.is_empty());
        assert!(parsed.cut);
        let lines = ascii_lines(&parsed);
        // The double-size title wraps on 58 mm paper (16 characters a line).
        let title = match paper_mm {
            58 => vec!["Online Big Book", "Study"],
            _ => vec!["Online Big Book Study"],
        };
        assert_eq!(lines[..title.len()], title);
        for expected in ["Online", "Passcode: 1935", "Printed November 21, 2026"] {
            assert!(
                lines.iter().any(|l| l == expected),
                "{expected:?} not in {lines:?}"
            );
        }
    }
}

#[test]
fn an_in_person_meeting_prints_its_address_and_a_directions_code() {
    let m = demo_meeting("nearby:night-owls");
    let mut config = Config::default();
    config.links.directions_template =
        "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}".into();
    let bytes = printer::encode(&slip_for(&m, &config), &config.printer).unwrap();
    let parsed = parse(&bytes);
    let (w, h, data) = parsed.rasters.iter().max_by_key(|r| r.1).unwrap();
    let decoded = decode_raster(*w, *h, data);
    assert!(
        decoded.starts_with("https://www.openstreetmap.org/?mlat="),
        "{decoded}"
    );
    let lines = ascii_lines(&parsed);
    assert!(lines.iter().any(|l| l == &m.address), "{lines:?}");
    assert!(
        lines.iter().any(|l| l == "Scan for directions"),
        "{lines:?}"
    );
}

#[test]
fn the_native_qr_mode_sends_the_link_in_gs_k() {
    let m = demo_meeting("online:online-big-book");
    let mut config = Config::default();
    config.printer.qr = QrMode::Native;
    let parsed = parse(&printer::encode(&slip_for(&m, &config), &config.printer).unwrap());
    assert_eq!(parsed.native_qr, vec![m.conference_url]);
    assert!(
        parsed.rasters.iter().all(|r| r.1 <= 16),
        "only rules as images"
    );
}

#[test]
fn text_is_sent_in_the_code_page_never_as_utf8() {
    let mut m = demo_meeting("online:online-big-book");
    m.name = "Café “Esperanza” — Niños".into();
    let config = Config::default();
    let parsed = parse(&printer::encode(&slip_for(&m, &config), &config.printer).unwrap());
    assert_eq!(parsed.code_page, Some(0), "ESC t 0: PC437");
    // In PC437 é is 0x82 and ñ 0xA4; the quotes and the dash have no place there.
    assert_eq!(parsed.lines[0], b"Caf\x82 \"Esperanza\" - Ni\xA4os");
    // No UTF-8 anywhere: é would be C3 A9, the quotes and the dash start with E2.
    let all: Vec<u8> = parsed.lines.concat();
    assert!(!all.contains(&0xC3) && !all.contains(&0xE2), "{all:?}");
}

/// A network printer on 127.0.0.1 that answers each status query with `answer(n)` and
/// returns, through the join handle, every byte of the slip it received.
fn fake_printer(answer: fn(u8) -> u8) -> (String, thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("tcp://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut received = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            received.extend_from_slice(&buf[..n]);
            // A status query is a whole write of its own, before the slip.
            while received.len() >= 3 && received[..2] == [0x10, 0x04] {
                let n = received[2];
                received.drain(..3);
                stream.write_all(&[answer(n)]).unwrap();
            }
        }
        received
    });
    (uri, handle)
}

#[test]
fn a_network_printer_on_loopback_receives_the_slip() {
    let (uri, printer_thread) = fake_printer(|_| 0x12);
    let m = demo_meeting("online:online-big-book");
    let mut config = Config::default();
    config.printer.uri = Some(PrinterUri::parse(&uri).unwrap());
    let slip = slip_for(&m, &config);
    printer::print(&slip, &config.printer).expect("printed");
    let received = printer_thread.join().unwrap();
    assert_eq!(received, printer::encode(&slip, &config.printer).unwrap());
    let parsed = parse(&received);
    let (w, h, data) = parsed.rasters.iter().max_by_key(|r| r.1).unwrap();
    assert_eq!(decode_raster(*w, *h, data), m.conference_url);
}

#[test]
fn a_printer_out_of_paper_says_so_and_gets_no_slip() {
    // DLE EOT 4: bits 5 and 6, the roll paper end sensor.
    let (uri, printer_thread) = fake_printer(|n| if n == 4 { 0x72 } else { 0x12 });
    let mut config = Config::default();
    config.printer.uri = Some(PrinterUri::parse(&uri).unwrap());
    let err = printer::print(
        &slip_for(&demo_meeting("online:online-big-book"), &config),
        &config.printer,
    )
    .unwrap_err();
    assert!(matches!(err, PrintError::PaperOut(_)), "{err:?}");
    assert_eq!(
        err.for_screen().to_string(),
        "The printer is out of paper — please tell staff."
    );
    assert!(printer_thread.join().unwrap().is_empty());
}

#[test]
fn a_printer_with_its_cover_open_says_so() {
    // Offline (DLE EOT 1, bit 3) because the cover is open (DLE EOT 2, bit 2).
    let (uri, _printer) = fake_printer(|n| match n {
        1 => 0x1A,
        2 => 0x16,
        _ => 0x12,
    });
    let mut config = Config::default();
    config.printer.uri = Some(PrinterUri::parse(&uri).unwrap());
    let err = printer::print(
        &slip_for(&demo_meeting("online:online-big-book"), &config),
        &config.printer,
    )
    .unwrap_err();
    assert!(matches!(err, PrintError::CoverOpen(_)), "{err:?}");
}

#[test]
fn a_printer_that_accepts_and_never_reads_times_out_with_a_clear_message() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let holder = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        // Hold the connection open, never reading, until the kiosk has given up.
        let _ = wait.recv();
        drop::<TcpStream>(stream);
    });
    let mut config = Config::default();
    config.printer.uri = Some(PrinterUri::parse(&format!("tcp://{addr}")).unwrap());
    config.printer.timeout_seconds = 1;
    let err = printer::print(
        &slip_for(&demo_meeting("online:online-big-book"), &config),
        &config.printer,
    )
    .unwrap_err();
    assert!(matches!(err, PrintError::NoAnswer(_)), "{err:?}");
    let staff = err.to_string();
    assert!(
        staff.contains(&format!("tcp://{addr}")) && staff.contains("did not answer"),
        "{staff}"
    );
    assert_eq!(
        err.for_screen().to_string(),
        "The printer is not answering — please tell staff."
    );
    drop(done);
    holder.join().unwrap();
}

#[test]
fn no_printer_listening_is_not_connected() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut config = Config::default();
    config.printer.uri = Some(PrinterUri::parse(&format!("tcp://127.0.0.1:{port}")).unwrap());
    let err = printer::print(
        &slip_for(&demo_meeting("online:online-big-book"), &config),
        &config.printer,
    )
    .unwrap_err();
    assert!(matches!(err, PrintError::NotConnected(_)), "{err:?}");
    config.printer.uri = Some(PrinterUri::parse("/nonexistent/usb/lp0").unwrap());
    let err = printer::print(
        &slip_for(&demo_meeting("online:online-big-book"), &config),
        &config.printer,
    )
    .unwrap_err();
    assert!(matches!(err, PrintError::NotConnected(_)), "{err:?}");
    assert!(err.to_string().contains("plugged in"), "{err}");
}

fn png_size_and_grey(path: &Path) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = buf[..w * h * 3].chunks(3).map(|px| px[0]).collect();
    (w, h, grey)
}

#[test]
fn the_preview_png_is_paper_wide_and_its_code_scans() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_meeting("online:online-big-book");
    for (paper_mm, dots) in [(58, 384), (80, 576)] {
        let mut config = Config::default();
        config.printer.paper_mm = paper_mm;
        let picture = printer::preview::render(&slip_for(&m, &config)).unwrap();
        let path = dir.path().join(format!("slip-{paper_mm}.png"));
        lobby_kiosk::kiosk::headless::write_png(&path, picture.width, picture.height, &picture.rgb)
            .unwrap();
        let (w, h, grey) = png_size_and_grey(&path);
        assert_eq!(w, dots);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, m.conference_url);
    }
}

#[test]
fn the_print_command_writes_a_preview_or_prints_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("slip.png");
    let out = common::kiosk(&[
        "print",
        "--meeting",
        "online:online-big-book",
        "--at",
        "2026-11-21T19:10",
        "--preview",
        png.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(png_size_and_grey(&png).0, 576);

    let spool = dir.path().join("printer.bin");
    let out = common::kiosk(&[
        "print",
        "--meeting",
        "online:online-big-book",
        "--at",
        "2026-11-21T19:10",
        "--printer",
        &format!("file:{}", spool.display()),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed = parse(&std::fs::read(&spool).unwrap());
    let (w, h, data) = parsed.rasters.iter().max_by_key(|r| r.1).unwrap();
    assert_eq!(
        decode_raster(*w, *h, data),
        "https://us02web.zoom.us/j/85512345678"
    );

    let out = common::kiosk(&["print", "--meeting", "nowhere:none", "--preview", "x.png"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lobby-kiosk board"));
    let out = common::kiosk(&["print", "--meeting", "online:online-big-book"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no printer configured"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_print_command_prints_in_spanish_with_lang_es() {
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("printer.bin");
    let out = common::kiosk(&[
        "print",
        "--meeting",
        "online:online-big-book",
        "--at",
        "2026-11-21T19:10",
        "--lang",
        "es",
        "--printer",
        &format!("file:{}", spool.display()),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed = parse(&std::fs::read(&spool).unwrap());
    // "En línea" in PC437, where í is 0xA1.
    assert!(
        parsed.lines.iter().any(|l| l == b"En l\xA1nea"),
        "{:?}",
        ascii_lines(&parsed)
    );
    let lines = ascii_lines(&parsed);
    assert!(
        lines
            .iter()
            .any(|l| l == "Impreso el 21 de noviembre de 2026"),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.starts_with("Printed")), "{lines:?}");
}
