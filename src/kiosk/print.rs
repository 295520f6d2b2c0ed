//! The detail screen's Print button: lays out the slip, prints it on a worker thread, and
//! polls for the result with a timer so the screen never waits on the printer.
//!
//! One print at a time; a tap while one is under way does nothing. The result is shown only
//! if the same meeting is still open, and navigating away or the idle reset clears it.
//! Nothing is logged or stored: not the tap, not the meeting, not the time.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use slint::{ComponentHandle, Timer, TimerMode};

use super::ui::{DetailAdapter, KioskWindow};
use super::{Inner, Wiring};
use crate::printer::{self, slip, PrintError};
use crate::schedule::{board, BoardQuery, Filters};

struct Job {
    meeting: String,
    result: Receiver<Result<(), PrintError>>,
    /// The worker keeps its own timeouts; this is the UI's backstop if it never reports.
    give_up_at: Instant,
}

/// What must stay alive for the Print button to work.
pub(super) struct Printing {
    _job: Rc<RefCell<Option<Job>>>,
    _poll: Rc<Timer>,
}

/// Shows the Print button when a printer is configured and wires it.
pub(super) fn setup(window: &KioskWindow, wire: Wiring) -> Printing {
    let job: Rc<RefCell<Option<Job>>> = Rc::new(RefCell::new(None));
    let poll = Rc::new(Timer::default());
    let adapter = window.global::<DetailAdapter>();
    let configured = wire
        .inner
        .upgrade()
        .is_some_and(|inner| inner.borrow().config.printer.is_configured());
    adapter.set_can_print(configured);
    adapter.set_print_status("".into());
    {
        let (job, poll) = (job.clone(), poll.clone());
        let w = wire.clone();
        adapter.on_print(move || {
            w.with(|win, inner| start(win, inner, &job, &poll, &w));
        });
    }
    Printing {
        _job: job,
        _poll: poll,
    }
}

/// Clears what the last print said (on leaving the meeting and on the idle reset).
pub(super) fn clear(win: &KioskWindow) {
    win.global::<DetailAdapter>().set_print_status("".into());
}

fn start(
    win: &KioskWindow,
    inner: &mut Inner,
    job: &Rc<RefCell<Option<Job>>>,
    poll: &Rc<Timer>,
    wire: &Wiring,
) {
    if job.borrow().is_some() || !inner.config.printer.is_configured() {
        return;
    }
    let Some(id) = inner.open_meeting().map(str::to_string) else {
        return;
    };
    let Some(m) = inner.timetable.find(&id) else {
        return;
    };
    // Today's occurrence as the detail screen has it, whatever the board's filters.
    let query = BoardQuery {
        filters: Filters::default(),
        ..inner.query()
    };
    let b = board(std::slice::from_ref(m), &query);
    // In the language the person is reading the screen in.
    let slip = slip::layout(
        m,
        b.entries.first(),
        &b.now,
        &inner.config.printer,
        &inner.config.code_rules(),
        &inner.locale(),
    );
    let settings = inner.config.printer.clone();
    let give_up_at = Instant::now() + 2 * settings.timeout() + Duration::from_secs(5);
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("print-slip".into())
        .spawn(move || {
            let _ = tx.send(printer::print(&slip, &settings));
        });
    let adapter = win.global::<DetailAdapter>();
    if spawned.is_err() {
        let failed = PrintError::Failed(String::new()).for_screen();
        adapter.set_print_status(inner.locale().say(&failed).into());
        return;
    }
    adapter.set_print_status(inner.locale().tr("Printing…").into());
    *job.borrow_mut() = Some(Job {
        meeting: id,
        result: rx,
        give_up_at,
    });
    let (job, window, inner_weak) = (job.clone(), wire.window.clone(), wire.inner.clone());
    let poll_weak = Rc::downgrade(poll);
    poll.start(TimerMode::Repeated, Duration::from_millis(200), move || {
        let outcome = match job.borrow().as_ref() {
            None => None,
            Some(j) => match j.result.try_recv() {
                Ok(result) => Some(result),
                Err(TryRecvError::Empty) if Instant::now() < j.give_up_at => return,
                Err(TryRecvError::Empty) => Some(Err(PrintError::NoAnswer(String::new()))),
                Err(TryRecvError::Disconnected) => Some(Err(PrintError::Failed(String::new()))),
            },
        };
        let finished = job.borrow_mut().take();
        if let Some(t) = poll_weak.upgrade() {
            t.stop();
        }
        let (Some(outcome), Some(finished)) = (outcome, finished) else {
            return;
        };
        let (Some(win), Some(inner)) = (window.upgrade(), inner_weak.upgrade()) else {
            return;
        };
        // The person may have gone back or on to another meeting: say nothing then.
        if inner.borrow().open_meeting() != Some(finished.meeting.as_str()) {
            return;
        }
        let locale = inner.borrow().locale();
        let text = match outcome {
            Ok(()) => locale.tr("Take your slip from the printer."),
            Err(e) => locale.say(&e.for_screen()),
        };
        win.global::<DetailAdapter>().set_print_status(text.into());
    });
}
