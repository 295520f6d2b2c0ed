//! Lenient readers for the values real feeds send, shared by the three feed importers:
//! day names and numbers, free-text times, type codes and type names, coordinates, slugs,
//! time zones, addresses.
//!
//! The plain readers answer "what does this value mean" and return `None` (or a reason) for
//! what they cannot read. The `*_noted` readers at the end also note on the row what they
//! changed or dropped, for the fields every format treats alike. Nothing here fails a file,
//! and nothing here knows a format's field names: that is the importers' business.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;

use super::Output;
use crate::schedule::types;
use crate::schedule::weekday_from_number;
use crate::schedule::{Meeting, Recurrence};

/// Meeting Guide type codes the kiosk knows, in their canonical spelling (`12x12` is not
/// upper case). Labels live in `schedule::types`; the languages after `Y` are the spec's
/// "and others" list, which have no label there but are real codes.
const KNOWN_CODES: &[&str] = &[
    "11", "12x12", "A", "ABSI", "AL", "AL-AN", "ASL", "B", "BA", "BE", "BI", "BRK", "C", "CAN",
    "CF", "D", "DB", "DD", "DR", "FF", "G", "GR", "H", "L", "LGBTQ", "LIT", "LS", "M", "MED", "N",
    "NB", "NDG", "O", "OUT", "P", "POA", "POC", "SEN", "SM", "SP", "ST", "T", "TC", "TR", "W", "X",
    "XB", "XT", "Y", "ONL", "BEG", "BT", "CPT", "CW", "DISC", "GL", "IP", "IW", "JFT", "LC", "NS",
    "QA", "RA", "SMOK", "SPAD", "SPK", "STEP", "SWG", "TOP", "TRAD", "VAR", "EN", "S", "FR", "DE",
    "ITA", "POR", "RUS", "POL", "KOR", "JA", "AR", "FA", "HI", "PUN", "TL", "UK", "TUR", "HE",
    "NL", "EL", "AF", "AM", "BG", "DA", "FI", "HR", "HU", "IS", "KA", "LT", "ML", "MT", "NE", "NO",
    "SK", "SL", "SV", "TH",
];

/// Type names the 12 Step Meeting List plugin writes into its CSV export that differ from the
/// labels in `schedule::types` (its own template says "Step Meeting", "Temporary Closure").
const NAME_ALIASES: &[(&str, &str)] = &[
    ("step meeting", "ST"),
    ("temporary closure", "TC"),
    ("temporarily closed", "TC"),
    ("online meeting", "ONL"),
    ("wheelchair accessible", "X"),
    ("beginners", "BE"),
    ("newcomers", "BE"),
    ("child friendly", "CF"),
    ("men only", "M"),
    ("women only", "W"),
    ("sign language", "ASL"),
    ("cross talk", "XT"),
];

/// The canonical spelling of a known type code, matched case-insensitively (`onl` → `ONL`).
pub fn known_code(code: &str) -> Option<&'static str> {
    let code = code.trim();
    KNOWN_CODES
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(code))
}

/// The code for a type name ("Wheelchair Access" → `X`), case-insensitive. Where AA and NA
/// labels coincide ("Speaker"), the AA code wins: it comes first in the table.
pub fn code_for_name(name: &str) -> Option<&'static str> {
    let name = name.trim();
    KNOWN_CODES
        .iter()
        .copied()
        .find(|c| types::label(c).eq_ignore_ascii_case(name))
        .or_else(|| {
            NAME_ALIASES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, c)| *c)
        })
}

/// A byte of Windows-1252, the code page Excel on Windows saves "CSV" in: Latin-1 plus
/// the curly quotes, dashes, € and Š/Ž of 0x80–0x9F (the five bytes it leaves undefined are
/// kept as the control characters Latin-1 has there).
pub fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// A day given as a number, 0 = Sunday (Meeting Guide). Accepts "3" as well as 3.
pub fn day_from_number_text(text: &str) -> Option<Weekday> {
    let n: u32 = text.trim().parse().ok()?;
    weekday_from_number(n)
}

/// A day given as a word: English names and three/four-letter abbreviations, Spanish names
/// (bilingual intergroup sheets), or a digit 0–6 with 0 = Sunday. "Mondays" is not a day.
pub fn day_from_name(text: &str) -> Option<Weekday> {
    let t = text.trim().trim_end_matches('.').to_lowercase();
    if let Some(day) = day_from_number_text(&t) {
        return Some(day);
    }
    let day = match t.as_str() {
        "sunday" | "sun" | "domingo" => Weekday::Sun,
        "monday" | "mon" | "lunes" => Weekday::Mon,
        "tuesday" | "tue" | "tues" | "martes" => Weekday::Tue,
        "wednesday" | "wed" | "weds" | "miércoles" | "miercoles" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" | "jueves" => Weekday::Thu,
        "friday" | "fri" | "viernes" => Weekday::Fri,
        "saturday" | "sat" | "sábado" | "sabado" => Weekday::Sat,
        _ => return None,
    };
    Some(day)
}

/// The 0–6 (Sunday = 0) number of a weekday, for slugs like `<slug>-<day>`.
pub fn day_number(day: Weekday) -> u32 {
    day.num_days_from_sunday()
}

/// A clock time as feeds write it: "18:00", "18:00:00", "6:00 PM", "6 pm", "7:30am",
/// "06:00", "noon", "midnight". "24:00" is midnight. Anything else is `None`.
pub fn time_of_day(text: &str) -> Option<NaiveTime> {
    let t: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    match t.as_str() {
        "noon" | "12noon" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" | "12midnight" => return NaiveTime::from_hms_opt(0, 0, 0),
        _ => {}
    }
    let (clock, pm) = if let Some(c) = t.strip_suffix("am").or_else(|| t.strip_suffix('a')) {
        (c, Some(false))
    } else if let Some(c) = t.strip_suffix("pm").or_else(|| t.strip_suffix('p')) {
        (c, Some(true))
    } else {
        (t.as_str(), None)
    };
    let mut parts = clock.split(':');
    let h = number(parts.next()?, 2)?;
    let m = parts.next().map_or(Some(0), |p| number(p, 2))?;
    let s = parts.next().map_or(Some(0), |p| number(p, 2))?;
    if parts.next().is_some() || m > 59 || s > 59 {
        return None;
    }
    // A bare hour ("18") is too ambiguous to be a time unless it says am/pm ("6 pm").
    if pm.is_none() && !clock.contains(':') {
        return None;
    }
    let h = match pm {
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None if h == 24 && m == 0 && s == 0 => 0,
        None if h <= 23 => h,
        None => return None,
    };
    NaiveTime::from_hms_opt(h, m, s)
}

/// 1–`max_len` ASCII digits.
fn number(text: &str, max_len: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A BMLT duration "HH:MM:SS" (or "HH:MM") in minutes; `None` when unreadable.
pub fn duration_minutes(text: &str) -> Option<i64> {
    let mut parts = text.trim().split(':');
    let h = number(parts.next()?, 2)?;
    let m = parts.next().map_or(Some(0), |p| number(p, 2))?;
    let s = parts.next().map_or(Some(0), |p| number(p, 2))?;
    if parts.next().is_some() || m > 59 || s > 59 {
        return None;
    }
    Some(i64::from(h) * 60 + i64::from(m))
}

/// An IANA zone name ("America/New_York"); `None` when the kiosk does not know it.
pub fn time_zone(text: &str) -> Option<Tz> {
    text.trim().parse::<Tz>().ok()
}

/// A coordinate written as a number or a string ("40.0115742").
pub fn coordinate(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Checks a latitude/longitude pair; the reason when it cannot be a place on the map.
/// 0,0 is what geocoders answer when they fail (a point in the Gulf of Guinea).
pub fn check_coordinates(lat: f64, lon: f64) -> Result<(f64, f64), &'static str> {
    if !(-90.0..=90.0).contains(&lat) {
        Err("latitude is outside -90…90")
    } else if !(-180.0..=180.0).contains(&lon) {
        Err("longitude is outside -180…180")
    } else if lat == 0.0 && lon == 0.0 {
        Err("0,0 is a failed geocode, not a place")
    } else {
        Ok((lat, lon))
    }
}

/// `approximate` as feeds write it: "yes"/"no", true/false, "1"/"0"; `None` if neither.
pub fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Whether a conference link is an `https:` URL; anything else is kept as text only.
pub fn is_https(url: &str) -> bool {
    url.trim()
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

/// Lower-case ASCII letters and digits joined by single hyphens, at most 64 characters
/// (the Meeting Guide slug limit). Header names go through this too (`Conference URL` →
/// `conference_url` uses `_`, see `header_key`).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(64);
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A CSV column name as a key: "Conference URL" → `conference_url`, "\u{feff}Time" → `time`.
pub fn header_key(text: &str) -> String {
    slugify(text).replace('-', "_")
}

/// A slug for a listing that has none, stable across imports of the same data: the name
/// made readable plus a short hash of what tells two meetings apart (name, day, time, place).
pub fn derived_slug(name: &str, parts: &[&str]) -> String {
    // FNV-1a: fixed, simple, and unlike std's hasher guaranteed not to change between builds.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in std::iter::once(&name).chain(parts) {
        for b in part.bytes().chain([0x1f]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut base = slugify(name);
    base.truncate(48);
    let base = base.trim_end_matches('-');
    let base = if base.is_empty() { "meeting" } else { base };
    format!("{base}-{:08x}", hash as u32)
}

/// "address, city, state postal_code, country" from the parts present.
pub fn assemble_address(
    address: &str,
    city: &str,
    state: &str,
    postal: &str,
    country: &str,
) -> String {
    let state_postal = join_present(&[state, postal], " ");
    join_present(&[address, city, &state_postal, country], ", ")
}

/// Regions general → specific, joined " › ", repeats and blanks left out.
pub fn region_path<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts.into_iter().map(str::trim) {
        if !p.is_empty() && !seen.iter().any(|s| s.eq_ignore_ascii_case(p)) {
            seen.push(p);
        }
    }
    seen.join(" › ")
}

fn join_present(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Whether `updated` has the spec's shape "YYYY-MM-DD HH:MM:SS".
pub fn is_timestamp(text: &str) -> bool {
    // chrono lets a space in the pattern match no space at all, so check the shape first.
    let t = text.trim();
    t.len() == 19
        && t.as_bytes()[10] == b' '
        && chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").is_ok()
}

/// Repairs the 12 Step Meeting List export's "2020-04-0416:50:58" (space lost between date
/// and time) to "2020-04-04 16:50:58"; `None` when it is not that either.
pub fn repaired_timestamp(text: &str) -> Option<String> {
    let t = text.trim();
    let (date, time) = (t.get(..10)?, t.get(10..)?);
    let fixed = format!("{date} {time}");
    is_timestamp(&fixed).then_some(fixed)
}

/// The zone `text` names; one the kiosk does not know is noted and left to the kiosk's zone.
pub fn zone_noted(out: &mut Output<'_>, row: &str, field: &str, text: &str) -> Option<Tz> {
    if text.is_empty() {
        return None;
    }
    let zone = time_zone(text);
    if zone.is_none() {
        out.note(
            row,
            field,
            text,
            "not a time zone name the kiosk knows (e.g. America/New_York); the kiosk's own zone is used",
        );
    }
    zone
}

/// A conference link kept as given; one that is not `https:` is noted, since it will only
/// ever be shown as text, never as a QR code.
pub fn conference_url_noted(out: &mut Output<'_>, row: &str, field: &str, url: &str) -> String {
    if !url.is_empty() && !is_https(url) {
        out.note(
            row,
            field,
            url,
            "not an https link: kept, shown as text only, never as a QR code",
        );
    }
    url.to_string()
}

/// What one item of a types list means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeItem {
    /// A known code, canonically spelled: `O`, `12x12`.
    Code(&'static str),
    /// Words the kiosk has no code for ("Literature Study"): shown as written.
    Words(String),
    /// A code the kiosk does not know ("XQ"): it would mean nothing to a visitor.
    Unknown(String),
}

/// Reads one types item as real feeds write them: a code in any case (`onl`), a name ("Open",
/// "Wheelchair Access"), in brackets or quotes (`"[open]"`).
pub fn type_item(item: &str) -> Option<TypeItem> {
    let item = item
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || "[](){}\"'`".contains(c))
        .trim();
    if item.is_empty() {
        return None;
    }
    if let Some(code) = known_code(item).or_else(|| code_for_name(item)) {
        return Some(TypeItem::Code(code));
    }
    // Words have a space or lower-case letters beyond a short code's length.
    let words =
        item.contains(' ') || (item.chars().count() > 4 && item.chars().any(char::is_lowercase));
    Some(if words {
        TypeItem::Words(item.to_string())
    } else {
        TypeItem::Unknown(item.to_string())
    })
}

/// Type codes or names → canonical codes, repeats left out. An item may hold several codes
/// ("C,M" inside one array element). Words the kiosk has no code for are kept as written;
/// unknown codes are left out. Both are noted, grouped across rows.
pub fn types_noted<'a>(
    out: &mut Output<'_>,
    row: &str,
    field: &str,
    items: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for item in items.into_iter().flat_map(|i| i.split([',', ';'])) {
        let code = match type_item(item) {
            None => continue,
            Some(TypeItem::Code(code)) => code.to_string(),
            Some(TypeItem::Words(words)) => {
                out.note_grouped(
                    row,
                    field,
                    &words,
                    "not a meeting type the kiosk has a code for: shown as written",
                    format!("rows: type \"{words}\" has no code — shown as written"),
                );
                words
            }
            Some(TypeItem::Unknown(code)) => {
                out.note_grouped(
                    row,
                    field,
                    &code,
                    "not a type code the kiosk knows: not shown",
                    format!("rows: type code \"{code}\" is not one the kiosk knows — not shown"),
                );
                continue;
            }
        };
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// A US-style date and time as WordPress sites and Excel write `updated`: "8/25/2022
/// 11:17:07 AM", "9/10/16 5:16" (two-digit years are 20xx). With the shape it was written
/// in, for the report.
pub fn us_timestamp(text: &str) -> Option<(String, &'static str)> {
    let t = text.trim();
    let (date, time) = t.split_once(' ')?;
    let mut parts = date.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (month, day) = (number(m, 2)?, number(d, 2)?);
    let (year, shape_year) = match y.len() {
        4 => (number(y, 4)? as i32, "YYYY"),
        2 => (2000 + number(y, 2)? as i32, "YY"),
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let time_text = time.trim();
    let clock = time_of_day(time_text)?;
    let has_seconds = time_text.matches(':').count() == 2;
    let has_ampm = time_text.to_ascii_lowercase().ends_with('m');
    let shape = match (shape_year, has_seconds, has_ampm) {
        ("YYYY", true, true) => "M/D/YYYY h:mm:ss AM",
        ("YYYY", false, true) => "M/D/YYYY h:mm AM",
        ("YYYY", true, false) => "M/D/YYYY h:mm:ss",
        ("YYYY", false, false) => "M/D/YYYY h:mm",
        (_, true, true) => "M/D/YY h:mm:ss AM",
        (_, false, true) => "M/D/YY h:mm AM",
        (_, true, false) => "M/D/YY h:mm:ss",
        _ => "M/D/YY h:mm",
    };
    Some((
        date.and_time(clock).format("%Y-%m-%d %H:%M:%S").to_string(),
        shape,
    ))
}

/// `updated` kept when it reads "YYYY-MM-DD HH:MM:SS"; the plugin's lost-space form and the
/// US form are read as such; anything else is kept as given. Each is noted, grouped.
pub fn updated_noted(out: &mut Output<'_>, row: &str, field: &str, text: &str) -> String {
    if text.is_empty() || is_timestamp(text) {
        return text.to_string();
    }
    if let Some(fixed) = repaired_timestamp(text) {
        out.note_grouped(
            row,
            field,
            text,
            format!("read as \"{fixed}\""),
            format!("rows: {field} without the space between date and time — read as such"),
        );
        return fixed;
    }
    if let Some((fixed, shape)) = us_timestamp(text) {
        out.note_grouped(
            row,
            field,
            text,
            format!("read as \"{fixed}\""),
            format!("rows: {field} as {shape} — read as such"),
        );
        return fixed;
    }
    out.note_grouped(
        row,
        field,
        text,
        "not a date and time (YYYY-MM-DD HH:MM:SS): kept as given",
        format!("rows: {field} is not a date and time (YYYY-MM-DD HH:MM:SS) — kept as given"),
    );
    text.to_string()
}

/// Levenshtein distance between two short strings (header names), by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Of the names a file has that the importer does not know, the one closest to `wanted`
/// (what a damaged header most likely was: `:q` where the sample had `Time`).
pub fn nearest<'a>(wanted: &str, unknown: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    unknown
        .into_iter()
        .min_by_key(|name| edit_distance(&name.to_lowercase(), wanted))
}

/// Latitude and longitude from their text; a pair that cannot be a place is dropped and noted.
pub fn coordinates_noted(
    out: &mut Output<'_>,
    row: &str,
    lat: &str,
    lon: &str,
) -> Option<(f64, f64)> {
    if lat.is_empty() && lon.is_empty() {
        return None;
    }
    let why = match (coordinate(lat), coordinate(lon)) {
        (Some(a), Some(b)) => match check_coordinates(a, b) {
            Ok(pair) => return Some(pair),
            Err(why) => why,
        },
        _ if lat.is_empty() || lon.is_empty() => "only one of latitude and longitude is given",
        _ => "not a number",
    };
    out.note(
        row,
        "latitude,longitude",
        &format!("{lat},{lon}"),
        format!("coordinates dropped ({why}); the meeting shows no distance"),
    );
    None
}

/// The meetings a listing becomes: one per listed day (slug `<slug>-<day>` when there are
/// several, as Meeting Guide apps do), or a single by-appointment one when there is no
/// usable day or start time. `template` carries everything but the schedule.
pub fn by_day(template: Meeting, days: &[Weekday], start: Option<NaiveTime>) -> Vec<Meeting> {
    let Some(start) = start.filter(|_| !days.is_empty()) else {
        let mut m = template;
        m.recurrence = Recurrence::ByAppointment;
        return vec![m];
    };
    if let [day] = days {
        let mut m = template;
        m.recurrence = Recurrence::Weekly(vec![*day]);
        m.start = start;
        return vec![m];
    }
    let slug = template.slug().to_string();
    days.iter()
        .map(|day| {
            let mut m = template.clone();
            m.id = format!("{}:{slug}-{}", m.source, day_number(*day));
            m.recurrence = Recurrence::Weekly(vec![*day]);
            m.start = start;
            m
        })
        .collect()
}

/// A row label: `row 14`, or `row 14 (slug "step-study")` once the slug is known.
pub fn row_label(n: usize, slug: &str) -> String {
    if slug.is_empty() {
        format!("row {n}")
    } else {
        format!("row {n} (slug \"{slug}\")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn times_are_read_as_feeds_write_them() {
        for (text, want) in [
            ("18:00", hm(18, 0)),
            ("18:00:00", hm(18, 0)),
            ("6:00 PM", hm(18, 0)),
            ("6 pm", hm(18, 0)),
            ("7:30am", hm(7, 30)),
            ("12:00 PM", hm(12, 0)),
            ("12:15 a.m.", hm(0, 15)),
            ("06:00", hm(6, 0)),
            ("noon", hm(12, 0)),
            ("Midnight", hm(0, 0)),
            ("24:00", hm(0, 0)),
        ] {
            assert_eq!(time_of_day(text), want, "{text}");
        }
        for bad in ["25:61", "18", "13 pm", "", "6:0x", "1:2:3:4"] {
            assert_eq!(time_of_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_read_from_names_abbreviations_spanish_and_digits() {
        assert_eq!(day_from_name("Monday"), Some(Weekday::Mon));
        assert_eq!(day_from_name("thurs."), Some(Weekday::Thu));
        assert_eq!(day_from_name("Sábado"), Some(Weekday::Sat));
        assert_eq!(day_from_name("0"), Some(Weekday::Sun));
        assert_eq!(day_from_name("Mondays"), None);
        assert_eq!(day_from_number_text("7"), None);
    }

    #[test]
    fn us_dates_in_updated_are_read_with_their_shape() {
        assert_eq!(
            us_timestamp("8/25/2022 11:17:07 AM"),
            Some(("2022-08-25 11:17:07".into(), "M/D/YYYY h:mm:ss AM"))
        );
        assert_eq!(
            us_timestamp("9/10/16 5:16"),
            Some(("2016-09-10 05:16:00".into(), "M/D/YY h:mm"))
        );
        assert_eq!(us_timestamp("25/8/2022 11:17"), None);
        assert_eq!(us_timestamp("yesterday"), None);
    }

    #[test]
    fn types_written_in_brackets_lists_or_words_become_codes() {
        assert_eq!(type_item("[open]"), Some(TypeItem::Code("O")));
        assert_eq!(type_item("\"C\""), Some(TypeItem::Code("C")));
        assert_eq!(type_item("Wheelchair Access"), Some(TypeItem::Code("X")));
        assert_eq!(type_item("onl"), Some(TypeItem::Code("ONL")));
        assert_eq!(
            type_item("Literature Study"),
            Some(TypeItem::Words("Literature Study".into()))
        );
        assert_eq!(type_item("XQ"), Some(TypeItem::Unknown("XQ".into())));
        assert_eq!(type_item(" [] "), None);
    }

    #[test]
    fn the_nearest_unknown_header_is_found() {
        assert_eq!(nearest("time", [":q", "mailing_address"]), Some(":q"));
        assert_eq!(nearest("time", ["tme", "zzzzzz"]), Some("tme"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn type_codes_and_names_map_to_canonical_codes() {
        assert_eq!(known_code("onl"), Some("ONL"));
        assert_eq!(known_code("12X12"), Some("12x12"));
        assert_eq!(code_for_name("wheelchair access"), Some("X"));
        assert_eq!(code_for_name("Step Meeting"), Some("ST"));
        assert_eq!(code_for_name("Spanish"), Some("S"));
        assert_eq!(code_for_name("Speaker"), Some("SP"));
        assert_eq!(code_for_name("Fellowship Hall"), None);
    }

    #[test]
    fn slugs_headers_and_derived_slugs_are_stable_and_tidy() {
        assert_eq!(slugify("  Life on Life's Terms! "), "life-on-life-s-terms");
        assert_eq!(header_key("\u{feff}Conference URL"), "conference_url");
        let a = derived_slug("Step Study", &["Monday", "6:00 PM", "Hall"]);
        assert_eq!(
            a,
            derived_slug("Step Study", &["Monday", "6:00 PM", "Hall"])
        );
        assert_ne!(
            a,
            derived_slug("Step Study", &["Tuesday", "6:00 PM", "Hall"])
        );
        assert!(a.starts_with("step-study-"));
    }

    #[test]
    fn coordinates_out_of_range_or_zero_are_refused() {
        assert!(check_coordinates(40.0, -75.0).is_ok());
        assert!(check_coordinates(999.0, -75.0).is_err());
        assert!(check_coordinates(0.0, 0.0).is_err());
        assert_eq!(coordinate(" 40.5 "), Some(40.5));
        assert_eq!(coordinate("NaN"), None);
    }

    #[test]
    fn timestamps_with_the_lost_space_are_repaired() {
        assert!(is_timestamp("2020-04-04 16:50:58"));
        assert!(!is_timestamp("2020-04-0416:50:58"));
        assert_eq!(
            repaired_timestamp("2020-04-0416:50:58").as_deref(),
            Some("2020-04-04 16:50:58")
        );
        assert_eq!(duration_minutes("01:30:00"), Some(90));
        assert_eq!(duration_minutes("1h"), None);
    }
}
