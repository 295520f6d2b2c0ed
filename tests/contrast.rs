//! WCAG contrast of every text colour against the background it is drawn on, read from
//! ui/theme.slint itself so the check cannot drift from the theme.

use std::collections::HashMap;

/// (text, background) as the screens and widgets draw them.
const PAIRS: &[(&str, &str)] = &[
    ("ink", "background"),
    ("ink", "surface"),
    ("ink-secondary", "background"),
    ("ink-secondary", "surface"),
    ("background", "ink"),     // selected tab, Back button
    ("accent", "accent-soft"), // badges, notices
    ("accent", "background"),  // thanks figures, staff export status
    ("on-accent", "accent"),   // buttons, strong badges, selected chips
    ("sample", "sample-soft"),
    ("problem", "problem-soft"),
    ("problem", "background"), // keypad messages, staff warnings
];

/// Each colour in the default and the high-contrast theme.
fn theme() -> (HashMap<String, [f64; 3]>, HashMap<String, [f64; 3]>) {
    let text = std::fs::read_to_string("ui/theme.slint").expect("ui/theme.slint is readable");
    let (mut default, mut high) = (HashMap::new(), HashMap::new());
    for line in text.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("out property <color> ") else {
            continue;
        };
        let (name, value) = rest.split_once(':').expect("name: value");
        let hexes: Vec<[f64; 3]> = value
            .split(|c: char| !(c == '#' || c.is_ascii_hexdigit()))
            .filter_map(|w| w.strip_prefix('#'))
            .map(rgb)
            .collect();
        let (hc, normal) = match hexes.as_slice() {
            [one] => (*one, *one),
            [hc, normal] => (*hc, *normal),
            _ => panic!("theme colour {name}: expected `#hex` or `high-contrast ? #hc : #default`"),
        };
        high.insert(name.trim().to_string(), hc);
        default.insert(name.trim().to_string(), normal);
    }
    (default, high)
}

fn rgb(hex: &str) -> [f64; 3] {
    assert_eq!(hex.len(), 6, "colour #{hex}: six hex digits");
    let channel = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
    [channel(0), channel(2), channel(4)]
}

/// WCAG 2.x relative luminance.
fn luminance([r, g, b]: [f64; 3]) -> f64 {
    let linear = |c: f64| {
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn failing(colours: &HashMap<String, [f64; 3]>, minimum: f64) -> Vec<String> {
    PAIRS
        .iter()
        .filter_map(|(fg, bg)| {
            let (f, b) = (colours[*fg], colours[*bg]);
            let r = ratio(f, b);
            (r < minimum).then(|| format!("{fg} on {bg}: {r:.2}:1"))
        })
        .collect()
}

#[test]
fn contrast_formula_matches_wcag_reference_values() {
    assert!((ratio([0.0; 3], [1.0; 3]) - 21.0).abs() < 1e-9);
    // #767676 on white is the well-known 4.54:1.
    let grey = rgb("767676");
    assert!((ratio(grey, [1.0; 3]) - 4.54).abs() < 0.01);
}

#[test]
fn every_text_pair_meets_wcag_aa_in_the_default_theme() {
    let (default, _) = theme();
    assert_eq!(failing(&default, 4.5), Vec::<String>::new());
}

#[test]
fn every_text_pair_meets_wcag_aaa_in_the_high_contrast_theme() {
    let (_, high) = theme();
    assert_eq!(failing(&high, 7.0), Vec::<String>::new());
}
