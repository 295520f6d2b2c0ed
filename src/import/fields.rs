//! Lenient readers for the fields real feeds send: days, times, type codes, coordinates.
