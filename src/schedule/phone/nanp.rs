//! Numbers of the North American Numbering Plan (+1: the United States, Canada and the
//! Caribbean) read without libphonenumber's parser.
//!
//! The `phonenumber` crate checks the syntax of every pattern of every country the first time
//! any number is read: about 90 ms on a desktop core, several times that on a Pi, paid by every
//! `lobby-kiosk import` of a feed with conference phones and by the kiosk's first phone. For
//! +1 numbers the reading is simple (ten digits, or eleven after a `1`, or `+1` and ten), and
//! only the validity rules need the metadata: here they are libphonenumber's own patterns for
//! the +1 regions (`nanp_table.rs`, written from the crate's metadata by a test that fails
//! when the two differ), compiled with `regex-lite` (no automata: microseconds to build), and
//! applied the way the crate's validator applies them.
//!
//! Anything this module is not sure of (a `+` with another country code, an international
//! prefix, a `+` inside the digits) is [`Reading::Unsure`], and libphonenumber reads it. The
//! tests compare the two on every phone field of the shared feeds and on random numbers.

use std::sync::OnceLock;

/// What a candidate (digits and `-.()/ +` separators, starting at a digit, `+` or `(`) is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Reading {
    /// A valid +1 number: its ten national digits and the region it belongs to.
    Valid {
        national: String,
        region: &'static str,
    },
    /// Not a valid number, as libphonenumber would also say.
    Invalid,
    /// For libphonenumber to decide.
    Unsure,
}

/// Whether numbers written without `+` in `region` are +1 numbers read here.
pub(super) fn serves(region: &str) -> bool {
    named(region).is_some()
}

/// The +1 region of that ISO 3166 code.
fn named(region: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == region)
}

/// Reads a candidate written in `region`, which [`serves`] says is +1.
pub(super) fn read(candidate: &str, region: &str) -> Reading {
    let plus = candidate.starts_with('+');
    if candidate[usize::from(plus)..].contains('+') {
        return Reading::Unsure;
    }
    let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
    // The plan's numbers have ten digits, or seven (Canada's 310-XXXX); the table's test
    // checks that no type allows another length.
    let national = match (plus, digits.len()) {
        (true, 8 | 11) if digits.starts_with('1') => &digits[1..],
        // Another country code, or +1 and a national prefix: libphonenumber's parser.
        (true, _) => return Reading::Unsure,
        // The international prefix ("011 44 …").
        (false, _) if digits.starts_with("011") => return Reading::Unsure,
        (false, 11) if digits.starts_with('1') => &digits[1..],
        // The national prefix before seven digits, or a seven-digit number and one more.
        (false, 8) if digits.starts_with('1') => return Reading::Unsure,
        // The country code and the national prefix ("1 1 646 …"), which the crate strips.
        (false, 12) if digits.starts_with("11") => return Reading::Unsure,
        (false, 7 | 10) => &digits[..],
        _ => return Reading::Invalid,
    };
    // Most Caribbean regions read a seven-digit number as local, under their own area code
    // ("227-0187" in Barbados is +1 246 227 0187): libphonenumber's rule for it.
    if national.len() == 7 && named(region).is_none_or(|r| r.local_area_code) {
        return Reading::Unsure;
    }
    match region_of(national) {
        Some(region) => Reading::Valid {
            national: national.to_string(),
            region: region.id,
        },
        None => Reading::Invalid,
    }
}

/// The number as a person reads it: "(646) 558-8656" at home, "+1 646-558-8656" from
/// elsewhere (libphonenumber's formats for +1, the same for every region of the plan).
pub(super) fn shown(national: &str, international: bool) -> String {
    let local = match national.len() {
        7 => format!("{}-{}", &national[..3], &national[3..]),
        _ if international => format!("{}-{}-{}", &national[..3], &national[3..6], &national[6..]),
        _ => format!(
            "({}) {}-{}",
            &national[..3],
            &national[3..6],
            &national[6..]
        ),
    };
    if international {
        format!("+1 {local}")
    } else {
        local
    }
}

/// The region whose rules make `national` valid, as libphonenumber's `source_for` and
/// `number_type` decide it: the first region (the United States first) whose leading digits
/// match, or, for a region without leading digits, whose patterns know the number; then the
/// number must be of some type there.
fn region_of(national: &str) -> Option<&'static Region> {
    let chosen = REGIONS
        .iter()
        .enumerate()
        .find(|(i, region)| match region.leading_digits {
            Some(_) => compiled(*i)
                .leading_digits
                .as_ref()
                .is_some_and(|p| p.is_match(national)),
            None => region.has_type(*i, national),
        })?;
    let (i, region) = chosen;
    region.has_type(i, national).then_some(region)
}

/// One +1 region's rules, as libphonenumber's metadata writes them.
pub(super) struct Region {
    pub id: &'static str,
    /// Whether a seven-digit number written in the region gets its area code put in front
    /// (libphonenumber's national prefix transform rule); [`read`] leaves those to the crate.
    pub local_area_code: bool,
    pub leading_digits: Option<&'static str>,
    pub general: Desc,
    /// Every type the region has (fixed line, mobile, toll free, premium, …): a number of
    /// any of them is valid.
    pub types: &'static [Desc],
}

/// A number type's pattern (matched from the start, as the crate does) and the lengths it
/// allows (none listed: any).
pub(super) struct Desc {
    pub pattern: &'static str,
    pub lengths: &'static [usize],
}

impl Region {
    fn has_type(&self, index: usize, national: &str) -> bool {
        let patterns = compiled(index);
        let fits = |desc: &Desc, pattern: &regex_lite::Regex| {
            (desc.lengths.is_empty() || desc.lengths.contains(&national.len()))
                && pattern.is_match(national)
        };
        fits(&self.general, &patterns.general)
            && self
                .types
                .iter()
                .zip(&patterns.types)
                .any(|(desc, pattern)| fits(desc, pattern))
    }
}

/// A region's patterns, compiled once, the first time a number needs them.
struct Compiled {
    leading_digits: Option<regex_lite::Regex>,
    general: regex_lite::Regex,
    types: Vec<regex_lite::Regex>,
}

fn compiled(index: usize) -> &'static Compiled {
    static COMPILED: [OnceLock<Compiled>; REGIONS.len()] =
        [const { OnceLock::new() }; REGIONS.len()];
    COMPILED[index].get_or_init(|| {
        let region = &REGIONS[index];
        Compiled {
            leading_digits: region.leading_digits.map(anchored),
            general: anchored(region.general.pattern),
            types: region.types.iter().map(|d| anchored(d.pattern)).collect(),
        }
    })
}

/// A metadata pattern matched from the start of the number, with whitespace ignored, as
/// the crate builds it. The table's patterns are checked to compile by a test.
fn anchored(pattern: &str) -> regex_lite::Regex {
    regex_lite::Regex::new(&format!("^(?x:{pattern})")).expect("the table's patterns compile")
}

include!("nanp_table.rs");

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::metadata::{Descriptor, DATABASE};
    use phonenumber::Mode;

    /// The table as written from the `phonenumber` crate's metadata.
    fn table_from_metadata() -> String {
        let desc = |d: &Descriptor| {
            format!(
                "Desc {{ pattern: r#\"{}\"#, lengths: &{:?} }}",
                d.national_number().as_str(),
                d.possible_length()
            )
        };
        let mut out = String::from(
            "// libphonenumber's metadata for the +1 regions, from the `phonenumber` crate; written by\n\
             // `UPDATE_NANP_TABLE=1 cargo test --lib nanp`, not by hand (see nanp.rs).\n\
             pub(super) const REGIONS: &[Region] = &[\n",
        );
        for id in DATABASE.region(&1).expect("+1 has regions") {
            let meta = DATABASE.by_id(id).expect("a listed region has metadata");
            let d = meta.descriptors();
            let types: Vec<String> = [
                d.premium_rate(),
                d.toll_free(),
                d.shared_cost(),
                d.voip(),
                d.personal_number(),
                d.pager(),
                d.uan(),
                d.voicemail(),
                d.fixed_line(),
                d.mobile(),
            ]
            .into_iter()
            .flatten()
            .map(desc)
            .collect();
            let leading = meta
                .leading_digits()
                .map(|p| format!("Some(r#\"{}\"#)", p.as_str()))
                .unwrap_or_else(|| "None".into());
            out.push_str(&format!(
                "    Region {{\n        id: {id:?},\n        local_area_code: {},\n        leading_digits: {leading},\n        general: {},\n        types: &[\n",
                meta.national_prefix_transform_rule().is_some(),
                desc(d.general())
            ));
            for t in types {
                out.push_str(&format!("            {t},\n"));
            }
            out.push_str("        ],\n    },\n");
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn the_table_is_libphonenumbers_metadata() {
        let want = table_from_metadata();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/schedule/phone/nanp_table.rs"
        );
        if std::env::var_os("UPDATE_NANP_TABLE").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        assert!(
            include_str!("nanp_table.rs") == want,
            "the phonenumber crate's +1 metadata changed: run UPDATE_NANP_TABLE=1 cargo test --lib nanp"
        );
        for (i, region) in REGIONS.iter().enumerate() {
            compiled(i);
            for desc in region.types {
                assert!(
                    !desc.lengths.is_empty() && desc.lengths.iter().all(|n| [7, 10].contains(n)),
                    "{}",
                    region.id
                );
            }
        }
        // What `read` assumes of how the regions' numbers are written: "1" before a national
        // number, "011" before another country's, and, where a region puts its area code
        // before seven digits, no other rewriting.
        for id in DATABASE.region(&1).unwrap() {
            let meta = DATABASE.by_id(id).unwrap();
            assert_eq!(meta.national_prefix(), Some("1"), "{id}");
            assert_eq!(
                meta.international_prefix().map(|p| p.as_str()),
                Some("011"),
                "{id}"
            );
            let parsing = meta.national_prefix_for_parsing().map(|p| p.as_str());
            match (meta.national_prefix_transform_rule(), meta.leading_digits()) {
                (None, _) => assert!(matches!(parsing, None | Some("1")), "{id}: {parsing:?}"),
                (Some(rule), Some(area)) => {
                    assert_eq!(rule, format!("{}$1", area.as_str()), "{id}");
                    let parsing = parsing.unwrap_or_default();
                    assert!(
                        parsing.starts_with("([") && parsing.ends_with(r"]\d{6})$|1")
                            || parsing == r"(5\d{6})$|1",
                        "{id}: {parsing}"
                    );
                }
                (Some(rule), None) => panic!("{id}: {rule} without leading digits"),
            }
        }
    }

    /// libphonenumber's reading of a candidate, in the same terms.
    fn libphonenumber(candidate: &str, region: phonenumber::country::Id) -> Reading {
        match phonenumber::parse(Some(region), candidate) {
            Ok(n) if n.is_valid() && n.extension().is_none() => {
                if n.code().value() != 1 {
                    return Reading::Unsure;
                }
                let national = n.national().to_string();
                let id = n.country().id().expect("a valid number has a region");
                let region = REGIONS
                    .iter()
                    .find(|r| r.id == id.as_ref())
                    .expect("a +1 region");
                assert_eq!(
                    shown(&national, false),
                    n.format().mode(Mode::National).to_string(),
                    "{candidate}"
                );
                assert_eq!(
                    shown(&national, true),
                    n.format().mode(Mode::International).to_string(),
                    "{candidate}"
                );
                Reading::Valid {
                    national,
                    region: region.id,
                }
            }
            _ => Reading::Invalid,
        }
    }

    /// Agrees with libphonenumber wherever it is sure, for a candidate written in each of
    /// `regions`.
    fn agrees_in(candidate: &str, regions: &[phonenumber::country::Id]) {
        for &region in regions {
            let ours = read(candidate, region.as_ref());
            if ours != Reading::Unsure {
                assert_eq!(
                    ours,
                    libphonenumber(candidate, region),
                    "{candidate:?} in {region:?}"
                );
            }
        }
    }

    /// Every +1 region.
    fn all_regions() -> Vec<phonenumber::country::Id> {
        DATABASE
            .region(&1)
            .unwrap()
            .iter()
            .map(|id| id.parse().unwrap())
            .collect()
    }

    /// Agrees in the regions the plan's rules differ between: the United States, Canada,
    /// Puerto Rico and Jamaica (no local rewriting), Barbados and Sint Maarten (area code put
    /// before seven digits, Sint Maarten's only before a 5).
    fn agrees(candidate: &str) {
        use phonenumber::country::Id;
        agrees_in(candidate, &[Id::US, Id::CA, Id::PR, Id::JM, Id::BB, Id::SX]);
    }

    #[test]
    fn every_regions_example_numbers_read_as_libphonenumber_reads_them() {
        let regions = all_regions();
        let mut tried = 0;
        for id in DATABASE.region(&1).unwrap() {
            let d = DATABASE.by_id(id).unwrap().descriptors();
            for example in [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.voip(),
            ]
            .into_iter()
            .flatten()
            .filter_map(Descriptor::example)
            {
                let (area, rest) = example.split_at(3);
                for written in [
                    example.to_string(),
                    format!("1{example}"),
                    format!("+1{example}"),
                    format!("({area}) {}-{}", &rest[..3], &rest[3..]),
                    format!("1-{area}-{}-{}", &rest[..3], &rest[3..]),
                    format!("+1 {area}.{}.{}", &rest[..3], &rest[3..]),
                ] {
                    assert!(
                        matches!(read(&written, "US"), Reading::Valid { .. }),
                        "{written}"
                    );
                    agrees_in(&written, &regions);
                    tried += 1;
                }
            }
        }
        assert!(tried > 100, "{tried}");
    }

    #[test]
    fn random_numbers_read_as_libphonenumber_reads_them() {
        // A fixed xorshift sequence: ten- and eleven-digit strings across every area code.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut valid, mut invalid) = (0, 0);
        for k in 0..20_000 {
            let n = next() % 10_000_000_000;
            let written = match k % 6 {
                0 => format!("{n:010}"),
                1 => format!("1{n:010}"),
                2 => format!("+1 {n:010}"),
                3 => format!("{:07}", n % 10_000_000),
                4 => format!("+1 310-{:04}", n % 10_000),
                _ => format!(
                    "{:03}-{:03}-{:04}",
                    n / 10_000_000,
                    n / 10_000 % 1000,
                    n % 10_000
                ),
            };
            agrees(&written);
            match read(&written, "US") {
                Reading::Valid { .. } => valid += 1,
                _ => invalid += 1,
            }
        }
        // Both answers were compared, not only one of them.
        assert!(
            valid > 1000 && invalid > 1000,
            "{valid} valid, {invalid} invalid"
        );
    }

    #[test]
    fn other_lengths_and_prefixes() {
        let regions = all_regions();
        for written in [
            "555-1234",
            "646 558 8656 9",
            "1 646 558 865",
            "2 646 558 8656",
            "16465588656869126579",
            "(646) 558-865",
            "1646558865",
        ] {
            assert_eq!(read(written, "US"), Reading::Invalid, "{written}");
            agrees_in(written, &regions);
        }
        // Canada's seven-digit numbers, valid for libphonenumber where +1 is read without
        // a local area code.
        for written in ["310-0000", "310 1234", "+1 310 1234"] {
            for region in ["US", "CA", "PR", "DO", "JM"] {
                assert!(
                    matches!(read(written, region), Reading::Valid { region: "CA", .. }),
                    "{written} in {region}"
                );
            }
            agrees_in(written, &regions);
        }
        for written in [
            "+44 20 7946 0958",
            "011 44 20 7946 0958",
            "+1 1 646 558 8656",
            "1 1 646 558 8656",
            "646+558 8656",
            "1 310 1234",
        ] {
            assert_eq!(read(written, "US"), Reading::Unsure, "{written}");
        }
        // Where a seven-digit number is local ("227-0187" in Barbados is +1 246 227 0187),
        // libphonenumber reads it.
        for (written, region) in [
            ("227-0187", "BB"),
            ("310-1234", "BB"),
            ("+1 310 1234", "TT"),
            ("555-1234", "VI"),
        ] {
            assert_eq!(
                read(written, region),
                Reading::Unsure,
                "{written} in {region}"
            );
        }
        assert_eq!(
            libphonenumber("227-0187", phonenumber::country::Id::BB),
            Reading::Valid {
                national: "2462270187".into(),
                region: "BB"
            }
        );
    }
}
