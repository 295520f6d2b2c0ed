//! How far a meeting is from the kiosk: the great-circle distance between two points.
//!
//! Only the arithmetic; which distances count (an approximate place does not, the radius of
//! "nearby") is the board's rule, in `board.rs`.

/// The Earth's mean radius (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two points given in degrees (haversine formula).
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::haversine_m;

    #[test]
    fn philadelphia_city_hall_to_new_york_city_hall_is_about_130_km() {
        let d = haversine_m(39.9526, -75.1652, 40.7128, -74.0060);
        assert!((d - 129_600.0).abs() < 1_000.0, "{d} m");
        assert_eq!(haversine_m(39.9526, -75.1652, 39.9526, -75.1652), 0.0);
    }
}
