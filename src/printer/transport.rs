//! Getting the bytes to the printer, never waiting longer than the configured timeout.
//!
//! - `tcp://` (a network printer's raw port) is two-way: connect with a deadline, ask the
//!   printer's real-time status (`DLE EOT`) so "out of paper" and "cover open" are said before
//!   a slip is lost, then write with a deadline.
//! - A device (`/dev/usb/lp0`) or a file is one-way. A write to a printer that is out of paper
//!   or switched off can block in the kernel with no way to cancel it, so it runs on a helper
//!   thread that we stop waiting for at the deadline (it ends when the device gives up).
//!
//! Nothing is logged: a print is nobody's business but the person's.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use super::settings::PrinterUri;
use super::PrintError;

/// Sends `bytes` to the printer at `uri`.
pub fn send(
    uri: &PrinterUri,
    bytes: &[u8],
    timeout: Duration,
    ask_status: bool,
) -> Result<(), PrintError> {
    match uri {
        PrinterUri::Tcp { host, port } => send_tcp(uri, host, *port, bytes, timeout, ask_status),
        PrinterUri::Device(path) => send_one_way(uri, path, false, bytes, timeout),
        PrinterUri::File(path) => send_one_way(uri, path, true, bytes, timeout),
    }
}

fn send_tcp(
    uri: &PrinterUri,
    host: &str,
    port: u16,
    bytes: &[u8],
    timeout: Duration,
    ask_status: bool,
) -> Result<(), PrintError> {
    let secs = timeout.as_secs();
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| PrintError::NotConnected(format!("{uri}: cannot find host {host}: {e}")))?
        .collect();
    let mut last = None;
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut stream = stream.ok_or_else(|| match last {
        Some(e) if is_timeout(&e) => PrintError::NoAnswer(format!(
            "{uri}: did not answer within {secs} s (is it switched on and on the network?)"
        )),
        Some(e) => PrintError::NotConnected(format!(
            "{uri}: cannot connect: {e} (is it switched on and on the network?)"
        )),
        None => PrintError::NotConnected(format!("{uri}: host {host} has no address")),
    })?;
    let setup = stream
        .set_write_timeout(Some(timeout))
        .and_then(|_| stream.set_read_timeout(Some(timeout)));
    setup.map_err(|e| PrintError::Failed(format!("{uri}: {e}")))?;
    if ask_status {
        super::status::check(&mut stream).map_err(|e| match e {
            super::status::Problem::Io(e) if is_timeout(&e) => PrintError::NoAnswer(format!(
                "{uri}: accepted the connection but did not answer a status query within {secs} s \
                 (is it online? for a printer that never answers, set [printer] status = false)"
            )),
            super::status::Problem::Io(e) => PrintError::Offline(format!("{uri}: {e}")),
            super::status::Problem::Printer(fault) => PrintError::from_fault(fault, uri),
        })?;
    }
    stream
        .write_all(bytes)
        .and_then(|_| stream.flush())
        .map_err(|e| {
            if is_timeout(&e) {
                PrintError::NoAnswer(format!(
                    "{uri}: did not take the slip within {secs} s (out of paper or offline?)"
                ))
            } else {
                PrintError::Offline(format!("{uri}: the connection broke while printing: {e}"))
            }
        })?;
    // Tell the printer the job is complete; it prints what it has either way.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    Ok(())
}

fn send_one_way(
    uri: &PrinterUri,
    path: &Path,
    is_file: bool,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), PrintError> {
    let (tx, rx) = mpsc::channel();
    let (path_owned, bytes) = (path.to_path_buf(), bytes.to_vec());
    std::thread::Builder::new()
        .name("printer-write".into())
        .spawn(move || {
            let mut options = std::fs::OpenOptions::new();
            // A device is never created: a missing /dev/usb/lp0 means no printer.
            options.append(true).create(is_file);
            let result = options
                .open(&path_owned)
                .and_then(|mut f| f.write_all(&bytes).and_then(|_| f.flush()));
            let _ = tx.send(result);
        })
        .map_err(|e| PrintError::Failed(format!("{uri}: cannot start printing: {e}")))?;
    let result = match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(_) => {
            return Err(PrintError::NoAnswer(format!(
                "{uri}: did not take the slip within {} s (out of paper, or switched off?)",
                timeout.as_secs()
            )))
        }
    };
    result.map_err(|e| match (e.kind(), e.raw_os_error()) {
        (ErrorKind::NotFound, _) | (_, Some(19 | 6)) => PrintError::NotConnected(format!(
            "{uri}: no printer there (is it plugged in and switched on?)"
        )),
        // usblp answers ENOSPC when the printer reports paper out.
        (_, Some(28)) if !is_file => PrintError::PaperOut(format!("{uri}: out of paper")),
        (ErrorKind::PermissionDenied, _) => PrintError::Failed(format!(
            "{uri}: permission denied (the kiosk's user needs to be in the lp group)"
        )),
        _ => PrintError::Offline(format!("{uri}: {e}")),
    })
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
}

/// Reads exactly one status byte.
pub(super) fn read_byte(stream: &mut impl Read) -> std::io::Result<u8> {
    let mut b = [0u8; 1];
    stream.read_exact(&mut b)?;
    Ok(b[0])
}
