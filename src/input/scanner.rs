//! Turns a keyboard-wedge scanner's key events into codes: digits and letters (with Shift),
//! Enter ends a code. Key-up and auto-repeat events are ignored, as are keys that cannot be
//! part of a card code. Nothing here keeps a code after handing it on.

/// `EV_KEY` values: 0 up, 1 down, 2 repeat.
pub const KEY_UP: i32 = 0;
pub const KEY_DOWN: i32 = 1;
pub const KEY_REPEAT: i32 = 2;

// Linux input key codes (linux/input-event-codes.h).
const KEY_1: u16 = 2;
const KEY_0: u16 = 11;
const KEY_MINUS: u16 = 12;
const KEY_ENTER: u16 = 28;
const KEY_KPENTER: u16 = 96;
const KEY_LEFTSHIFT: u16 = 42;
const KEY_RIGHTSHIFT: u16 = 54;
const KEY_SPACE: u16 = 57;

/// Letters by key code, in QWERTY positions.
const LETTERS: &[(u16, char)] = &[
    (16, 'q'),
    (17, 'w'),
    (18, 'e'),
    (19, 'r'),
    (20, 't'),
    (21, 'y'),
    (22, 'u'),
    (23, 'i'),
    (24, 'o'),
    (25, 'p'),
    (30, 'a'),
    (31, 's'),
    (32, 'd'),
    (33, 'f'),
    (34, 'g'),
    (35, 'h'),
    (36, 'j'),
    (37, 'k'),
    (38, 'l'),
    (44, 'z'),
    (45, 'x'),
    (46, 'c'),
    (47, 'v'),
    (48, 'b'),
    (49, 'n'),
    (50, 'm'),
];

/// A code longer than this is not a card: the buffer is dropped (a stuck key, a wrong device).
const MAX_LEN: usize = 64;

#[derive(Debug, Default)]
pub struct Decoder {
    shift: bool,
    buffer: String,
}

impl Decoder {
    /// Feeds one `EV_KEY` event; returns a finished code when Enter is pressed.
    pub fn key(&mut self, code: u16, value: i32) -> Option<String> {
        if code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT {
            self.shift = value != KEY_UP;
            return None;
        }
        if value != KEY_DOWN {
            return None;
        }
        if code == KEY_ENTER || code == KEY_KPENTER {
            let code = std::mem::take(&mut self.buffer);
            return (!code.is_empty()).then_some(code);
        }
        let c = match code {
            KEY_1..=10 => char::from(b'1' + (code - KEY_1) as u8),
            KEY_0 => '0',
            KEY_MINUS => '-',
            KEY_SPACE => ' ',
            _ => match LETTERS.iter().find(|(k, _)| *k == code) {
                Some((_, c)) if self.shift => c.to_ascii_uppercase(),
                Some((_, c)) => *c,
                None => return None,
            },
        };
        if self.buffer.len() >= MAX_LEN {
            self.buffer.clear();
        }
        self.buffer.push(c);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a scanner sends for `text`: press and release per key, Shift around capitals.
    fn typed(text: &str) -> Vec<(u16, i32)> {
        let mut events = Vec::new();
        for c in text.chars() {
            let (code, shift) = match c {
                '1'..='9' => (KEY_1 + (c as u16 - '1' as u16), false),
                '0' => (KEY_0, false),
                '\n' => (KEY_ENTER, false),
                c => {
                    let lower = c.to_ascii_lowercase();
                    let code = LETTERS.iter().find(|(_, l)| *l == lower).unwrap().0;
                    (code, c.is_ascii_uppercase())
                }
            };
            if shift {
                events.push((KEY_LEFTSHIFT, KEY_DOWN));
            }
            events.push((code, KEY_DOWN));
            events.push((code, KEY_UP));
            if shift {
                events.push((KEY_LEFTSHIFT, KEY_UP));
            }
        }
        events
    }

    fn decode(events: &[(u16, i32)]) -> Vec<String> {
        let mut d = Decoder::default();
        events.iter().filter_map(|(c, v)| d.key(*c, *v)).collect()
    }

    #[test]
    fn shifted_letters_and_digits_make_a_code_ended_by_enter() {
        assert_eq!(decode(&typed("7K3MQ9TX2HV\n")), ["7K3MQ9TX2HV"]);
        assert_eq!(decode(&typed("ab1\nCD2\n")), ["ab1", "CD2"]);
    }

    #[test]
    fn key_up_and_repeat_are_ignored() {
        let mut events = typed("AB");
        events.insert(2, (30, KEY_REPEAT));
        events.push((KEY_ENTER, KEY_DOWN));
        events.push((KEY_ENTER, KEY_UP));
        assert_eq!(decode(&events), ["AB"]);
    }

    #[test]
    fn enter_alone_and_unknown_keys_give_nothing() {
        assert!(decode(&[(KEY_ENTER, KEY_DOWN)]).is_empty());
        // F1 (59) and Tab (15) are not part of a code.
        assert_eq!(
            decode(&[
                (59, KEY_DOWN),
                (15, KEY_DOWN),
                (2, KEY_DOWN),
                (KEY_ENTER, KEY_DOWN)
            ]),
            ["1"]
        );
    }
}
