//! Meeting Guide JSON for the center's website, written from the stored schedule.
//!
//! Meeting Guide knows only weekly meetings: monthly, every-other-week and by-appointment
//! meetings are left out and reported, never squeezed into a weekly shape that would send
//! someone to a meeting that is not on. Skipped dates cannot be said either; a weekly meeting
//! with skipped dates is exported with a note in the report.

use chrono::Weekday;
use serde_json::{json, Map, Value};

use crate::schedule::{Meeting, Recurrence};

/// The feed as pretty JSON, and each meeting left out (or exported with a caveat) with why.
pub fn meeting_guide(meetings: &[Meeting]) -> Result<(String, Vec<(String, String)>), String> {
    let mut out = Vec::new();
    let mut report = Vec::new();
    for m in meetings {
        let days = match &m.recurrence {
            Recurrence::Weekly(days) if !days.is_empty() => days,
            Recurrence::Weekly(_) => {
                report.push((m.id.clone(), "has no meeting day".into()));
                continue;
            }
            Recurrence::Monthly { .. } => {
                report.push((
                    m.id.clone(),
                    "meets monthly, which Meeting Guide cannot represent".into(),
                ));
                continue;
            }
            Recurrence::EveryOtherWeek { .. } => {
                report.push((
                    m.id.clone(),
                    "meets every other week, which Meeting Guide cannot represent".into(),
                ));
                continue;
            }
            Recurrence::ByAppointment => {
                report.push((m.id.clone(), "is by appointment (no day or time)".into()));
                continue;
            }
        };
        if !m.skipped.is_empty() {
            report.push((
                m.id.clone(),
                format!(
                    "exported, but its {} skipped date(s) cannot be said in Meeting Guide",
                    m.skipped.len()
                ),
            ));
        }
        out.push(Value::Object(object(m, days)));
    }
    let text = serde_json::to_string_pretty(&Value::Array(out)).map_err(|e| e.to_string())?;
    Ok((text + "\n", report))
}

fn object(m: &Meeting, days: &[Weekday]) -> Map<String, Value> {
    let mut o = Map::new();
    let mut put = |key: &str, value: Value| {
        let empty = matches!(&value, Value::String(s) if s.is_empty())
            || matches!(&value, Value::Array(a) if a.is_empty())
            || value.is_null();
        if !empty {
            o.insert(key.to_string(), value);
        }
    };
    put("name", json!(m.name));
    put("slug", json!(m.slug()));
    let numbers: Vec<u32> = days.iter().map(|d| d.num_days_from_sunday()).collect();
    put(
        "day",
        if numbers.len() == 1 {
            json!(numbers[0])
        } else {
            json!(numbers)
        },
    );
    put("time", json!(m.start.format("%H:%M").to_string()));
    put(
        "end_time",
        json!(m.end.map(|t| t.format("%H:%M").to_string())),
    );
    put(
        "timezone",
        json!(m.timezone.map(|tz| tz.name().to_string())),
    );
    put("location", json!(m.location));
    put("location_notes", json!(m.location_notes));
    put("formatted_address", json!(m.address));
    put("latitude", json!(m.latitude));
    put("longitude", json!(m.longitude));
    if m.latitude.is_some() {
        put(
            "approximate",
            json!(if m.approximate { "yes" } else { "no" }),
        );
    }
    put("region", json!(m.region));
    put("notes", json!(m.notes));
    put("types", json!(m.types));
    put("conference_url", json!(m.conference_url));
    put("conference_url_notes", json!(m.conference_url_notes));
    put("conference_phone", json!(m.conference_phone));
    put("conference_phone_notes", json!(m.conference_phone_notes));
    put("updated", json!(m.updated));
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{read_all, Format, Options};

    #[test]
    fn weekly_meetings_are_exported_others_reported() {
        let text = include_str!("../../assets/examples/in-house.toml");
        let options = Options {
            source: "in-house".into(),
            ..Options::default()
        };
        let (meetings, _) =
            read_all(Format::InHouse, "in-house.toml", text.as_bytes(), &options).unwrap();
        let (json, report) = meeting_guide(&meetings).unwrap();
        let feed: Vec<Value> = serde_json::from_str(&json).unwrap();
        let slugs: Vec<&str> = feed.iter().map(|m| m["slug"].as_str().unwrap()).collect();
        assert!(slugs.contains(&"alumni-thursday"));
        assert!(!slugs.contains(&"family-night"));
        assert!(!slugs.contains(&"womens-circle"));
        let reported: Vec<&str> = report.iter().map(|(id, _)| id.as_str()).collect();
        assert!(reported.contains(&"in-house:family-night"));
        assert!(reported.contains(&"in-house:womens-circle"));
        assert!(
            reported.contains(&"in-house:alumni-thursday"),
            "skipped dates are reported"
        );
        let late = feed
            .iter()
            .find(|m| m["slug"] == "late-night-online")
            .unwrap();
        assert_eq!(late["day"], json!([5, 6]));
        assert_eq!(late["time"], "22:00");
        assert!(late.get("location").is_none(), "empty fields are left out");
    }
}
