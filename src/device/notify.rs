//! Telling systemd how the kiosk is (sd_notify): READY=1 once the first frame is on screen,
//! then WATCHDOG=1 from a timer on the UI thread's event loop. If the UI thread hangs the
//! heartbeat stops and systemd (`WatchdogSec=`) restarts the kiosk.
//!
//! A datagram to `$NOTIFY_SOCKET` (a path, or an abstract socket when it starts with '@'),
//! with std only. Outside systemd there is no socket and every call does nothing. The
//! heartbeat deliberately runs on the UI thread and nowhere else: a background thread would
//! keep beating while the screen is frozen.

use std::io;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::path::PathBuf;
use std::time::Duration;

use slint::{Timer, TimerMode};

/// Where systemd listens for this service's notifications.
#[derive(Debug, Clone)]
pub struct Notifier {
    socket: NotifySocket,
    /// Half of `WATCHDOG_USEC`, when systemd asked for a watchdog for this process.
    heartbeat: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum NotifySocket {
    Path(PathBuf),
    Abstract(Vec<u8>),
}

impl Notifier {
    /// From the environment systemd sets (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`);
    /// None when not started by systemd with `Type=notify`.
    pub fn from_env() -> Option<Notifier> {
        let socket = std::env::var_os("NOTIFY_SOCKET")?;
        let usec = std::env::var("WATCHDOG_USEC").ok();
        let pid = std::env::var("WATCHDOG_PID").ok();
        Notifier::new(
            socket.to_str()?,
            usec.as_deref(),
            pid.as_deref(),
            std::process::id(),
        )
    }

    /// `socket` as in `NOTIFY_SOCKET`; the watchdog applies when `watchdog_usec` is set and
    /// `watchdog_pid` is absent or this process.
    pub fn new(
        socket: &str,
        watchdog_usec: Option<&str>,
        watchdog_pid: Option<&str>,
        own_pid: u32,
    ) -> Option<Notifier> {
        let socket = match socket.strip_prefix('@') {
            Some(name) if !name.is_empty() => NotifySocket::Abstract(name.as_bytes().to_vec()),
            Some(_) => return None,
            None if socket.starts_with('/') => NotifySocket::Path(PathBuf::from(socket)),
            None => return None,
        };
        let for_us = watchdog_pid.is_none_or(|p| p.trim().parse::<u32>().ok() == Some(own_pid));
        let heartbeat = watchdog_usec
            .and_then(|u| u.trim().parse::<u64>().ok())
            .filter(|u| *u > 0 && for_us)
            .map(|u| Duration::from_micros(u / 2));
        Some(Notifier { socket, heartbeat })
    }

    /// How often the heartbeat is sent (half the watchdog time), if systemd wants one.
    pub fn heartbeat_interval(&self) -> Option<Duration> {
        self.heartbeat
    }

    /// Sends one notification, e.g. "READY=1" or "STATUS=…".
    pub fn send(&self, state: &str) -> io::Result<()> {
        let sock = UnixDatagram::unbound()?;
        let addr = match &self.socket {
            NotifySocket::Path(p) => SocketAddr::from_pathname(p)?,
            NotifySocket::Abstract(name) => {
                use std::os::linux::net::SocketAddrExt;
                SocketAddr::from_abstract_name(name)?
            }
        };
        sock.send_to_addr(state.as_bytes(), &addr)?;
        Ok(())
    }

    /// Sends READY=1 on the event loop's first turn — after the window shown before it has
    /// been drawn (as `run --exit-after-first-frame` measures it) — and from then on the
    /// watchdog heartbeat on every `heartbeat_interval`. Keep the returned timers alive.
    pub fn start(&self) -> Vec<Timer> {
        let ready = Timer::default();
        let me = self.clone();
        ready.start(TimerMode::SingleShot, Duration::ZERO, move || {
            if let Err(e) = me.send("READY=1\nSTATUS=Showing the board") {
                log::warn!("cannot tell systemd the kiosk is ready: {e}");
            }
        });
        let mut timers = vec![ready];
        if let Some(every) = self.heartbeat {
            timers.push(self.heartbeat(every));
        }
        timers
    }

    /// A repeated timer on this thread's event loop sending WATCHDOG=1.
    pub fn heartbeat(&self, every: Duration) -> Timer {
        let timer = Timer::default();
        let me = self.clone();
        timer.start(TimerMode::Repeated, every, move || {
            // A failed send is not worth a log line every few seconds: systemd will notice.
            let _ = me.send("WATCHDOG=1");
        });
        timer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeat_is_half_the_watchdog_time_and_only_for_this_process() {
        let n = Notifier::new("/run/systemd/notify", Some("10000000"), None, 42).unwrap();
        assert_eq!(n.heartbeat_interval(), Some(Duration::from_secs(5)));
        let n = Notifier::new("/run/systemd/notify", Some("10000000"), Some("42"), 42).unwrap();
        assert_eq!(n.heartbeat_interval(), Some(Duration::from_secs(5)));
        let other = Notifier::new("/run/systemd/notify", Some("10000000"), Some("7"), 42).unwrap();
        assert_eq!(other.heartbeat_interval(), None);
        let none = Notifier::new("/run/systemd/notify", None, None, 42).unwrap();
        assert_eq!(none.heartbeat_interval(), None);
    }

    #[test]
    fn socket_is_a_path_or_an_abstract_name() {
        assert!(Notifier::new("relative/notify", None, None, 1).is_none());
        assert!(Notifier::new("@", None, None, 1).is_none());
        let n = Notifier::new("@/org/freedesktop/systemd1/notify/1", None, None, 1).unwrap();
        assert_eq!(
            n.socket,
            NotifySocket::Abstract(b"/org/freedesktop/systemd1/notify/1".to_vec())
        );
    }

    #[test]
    fn a_real_socket_receives_the_notification() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        let n = Notifier::new(path.to_str().unwrap(), None, None, 1).unwrap();
        n.send("READY=1").unwrap();
        let mut buf = [0u8; 64];
        let len = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..len], b"READY=1");
    }

    #[test]
    fn an_abstract_socket_receives_the_notification() {
        use std::os::linux::net::SocketAddrExt;
        let name = format!("lobby-kiosk-test-{}", std::process::id());
        let addr = SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let listener = UnixDatagram::bind_addr(&addr).unwrap();
        let n = Notifier::new(&format!("@{name}"), None, None, 1).unwrap();
        n.send("WATCHDOG=1").unwrap();
        let mut buf = [0u8; 64];
        let len = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..len], b"WATCHDOG=1");
    }
}
