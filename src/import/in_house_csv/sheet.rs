//! A sheet as spreadsheets save it as text: the bytes decoded, the separator found, and the
//! cells of every row, numbered as the spreadsheet shows them (a cell holding a line break is
//! still one row).
//!
//! What real programs write: Excel's "CSV UTF-8" (BOM, CRLF, `,`), its plain "CSV" (Windows-1252,
//! and `;` where the decimal point is a comma), its "Unicode Text" (UTF-16LE with BOM, tabs),
//! LibreOffice's default (UTF-8 without BOM, LF). Quoting is RFC 4180 and as lenient as Excel
//! about what follows a closing quote.
//!
//! It knows nothing of meetings or column names: that is `in_house_csv`'s business.

use crate::import::fields::windows_1252;

/// How the bytes were text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a BOM.
    Utf8,
    /// Not valid UTF-8: read as Windows-1252, Excel's "CSV" on Windows.
    Windows1252,
    /// UTF-16 with its BOM (Excel's "Unicode Text").
    Utf16,
}

#[derive(Debug)]
pub struct Sheet {
    pub encoding: Encoding,
    /// Row 1 (the header) first: spreadsheet row n is `rows[n - 1]`.
    pub rows: Vec<Vec<String>>,
}

/// Why a sheet cannot be read at all, and on which row if one is to blame.
#[derive(Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub row: Option<usize>,
    pub why: String,
}

/// Decodes and splits a whole file.
pub fn read(bytes: &[u8]) -> Result<Sheet, Unreadable> {
    let (text, encoding) = decode(bytes, false).map_err(|why| Unreadable { row: None, why })?;
    let (text, separator) = separator(&text);
    let rows = split_rows(text, separator)?;
    Ok(Sheet { encoding, rows })
}

/// The cells of the first row of `head`, the start of a file (possibly cut anywhere): what
/// `Format::detect` looks at.
pub fn first_row(head: &[u8]) -> Vec<String> {
    let Ok((text, _)) = decode(head, true) else {
        return Vec::new();
    };
    let (text, separator) = separator(&text);
    let mut rows = split_rows_until(text, separator, 1).unwrap_or_default();
    rows.pop().unwrap_or_default()
}

/// The text of `bytes`. With `cut`, the bytes may end in the middle of a character.
fn decode(bytes: &[u8], cut: bool) -> Result<(String, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, cut, u16::from_le_bytes).map(|t| (t, Encoding::Utf16));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, cut, u16::from_be_bytes).map(|t| (t, Encoding::Utf16));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        // Only the last character was cut off: the rest is UTF-8.
        Err(e) if cut && e.error_len().is_none() => Ok((
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
            Encoding::Utf8,
        )),
        Err(_) => Ok((
            bytes.iter().map(|b| windows_1252(*b)).collect(),
            Encoding::Windows1252,
        )),
    }
}

fn utf16(bytes: &[u8], cut: bool, unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    if cut {
        return Ok(char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect());
    }
    if !bytes.len().is_multiple_of(2) {
        return Err(
            "starts as UTF-16 text (Excel's \"Unicode Text\") but ends in half a \
                    character: the file is damaged; save it again"
                .into(),
        );
    }
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| {
            "starts as UTF-16 text (Excel's \"Unicode Text\") but is not valid UTF-16: the file \
         is damaged; save it again"
                .to_string()
        })
}

/// The separator and the text after any `sep=` line. Excel honours a first line `sep=;`
/// and shows the row after it as row 1; otherwise the header row says: whichever of `,`
/// `;` and tab it has most of outside quotes (a header of one column is `,`).
fn separator(text: &str) -> (&str, char) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = text.strip_prefix("sep=") {
        let mut chars = rest.chars();
        if let (Some(sep), Some('\r' | '\n')) = (chars.next(), chars.next()) {
            let rest = chars.as_str();
            return (rest.strip_prefix('\n').unwrap_or(rest), sep);
        }
    }
    let (mut commas, mut semicolons, mut tabs) = (0, 0, 0);
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            '\r' | '\n' if !quoted => break,
            _ => {}
        }
    }
    let separator = if tabs > commas && tabs >= semicolons {
        '\t'
    } else if semicolons > commas {
        ';'
    } else {
        ','
    };
    (text, separator)
}

fn split_rows(text: &str, separator: char) -> Result<Vec<Vec<String>>, Unreadable> {
    split_rows_until(text, separator, usize::MAX)
}

/// Rows of cells, at most `limit`. A row ends at CRLF, LF or a lone CR (Excel for Mac's
/// old "CSV") outside quotes; the line break after the last row makes no row of its own.
fn split_rows_until(
    text: &str,
    separator: char,
    limit: usize,
) -> Result<Vec<Vec<String>>, Unreadable> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    // Nothing of the current cell read yet: only there does a quote open a quoted cell.
    let mut at_start = true;
    let mut quoted_since: Option<usize> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted_since.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted_since = None,
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted_since = Some(rows.len() + 1);
                at_start = false;
            }
            c if c == separator => {
                row.push(std::mem::take(&mut cell));
                at_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_start = true;
                if rows.len() == limit {
                    return Ok(rows);
                }
            }
            _ => {
                cell.push(c);
                at_start = false;
            }
        }
    }
    if let Some(opened) = quoted_since {
        if limit != usize::MAX {
            // A head cut inside a quoted cell: what was read of the row is still the row.
            row.push(cell);
            rows.push(row);
            return Ok(rows);
        }
        return Err(Unreadable {
            row: Some(opened),
            why: "a cell here starts with a quote mark (\") that is never closed, so the rest of \
                  the file would be one cell; close the quote or remove it, then save again"
                .into(),
        });
    }
    if !at_start || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn excel_csv_utf8_has_a_bom_crlf_and_quotes_cells_with_commas() {
        let sheet = read(b"\xef\xbb\xbfName,Days\r\nCaf\xc3\xa9,\"Monday, Thursday\"\r\n").unwrap();
        assert_eq!(sheet.encoding, Encoding::Utf8);
        assert_eq!(
            sheet.rows,
            cells(&[&["Name", "Days"], &["Café", "Monday, Thursday"]])
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_read_as_windows_1252() {
        // "Café" and "Niños – 1" as Excel's plain "CSV" saves them on Windows.
        let sheet = read(b"Name;Notes\r\nCaf\xe9;Ni\xf1os \x96 1\r\n").unwrap();
        assert_eq!(sheet.encoding, Encoding::Windows1252);
        assert_eq!(sheet.rows[1], ["Café", "Niños – 1"]);
    }

    #[test]
    fn utf16_with_its_bom_is_read_and_its_tabs_separate() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Name\tStart\r\nNiños\t6:45 PM\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.encoding, Encoding::Utf16);
        assert_eq!(sheet.rows[1], ["Niños", "6:45 PM"]);
        assert!(read(&bytes[..bytes.len() - 1]).is_err(), "half a character");
    }

    #[test]
    fn the_separator_is_counted_outside_quotes_on_the_header_line_only() {
        let (_, sep) = separator("\"Name, or title\";Days;Start\n\"a,b,c,d,e\";x;y\n");
        assert_eq!(sep, ';');
        let (_, sep) = separator("Name,Days,Start\na;b;c;d;e;f\n");
        assert_eq!(sep, ',');
        let (rest, sep) = separator("sep=;\r\nName;Start\r\n");
        assert_eq!((rest, sep), ("Name;Start\r\n", ';'));
        assert_eq!(separator("Name\n").1, ',');
    }

    #[test]
    fn quoted_cells_keep_line_breaks_and_doubled_quotes_and_stay_one_row() {
        let sheet =
            read(b"Name,Notes\n\"The \"\"Big\"\" Book\",\"line one\nline two\"\nNext,\n").unwrap();
        assert_eq!(
            sheet.rows,
            cells(&[
                &["Name", "Notes"],
                &["The \"Big\" Book", "line one\nline two"],
                &["Next", ""],
            ])
        );
    }

    #[test]
    fn lf_crlf_and_lone_cr_end_rows_and_blank_lines_keep_their_row_number() {
        let sheet = read(b"A\r\n1\n\n2\r3").unwrap();
        assert_eq!(sheet.rows, cells(&[&["A"], &["1"], &[""], &["2"], &["3"]]));
    }

    #[test]
    fn a_quote_never_closed_refuses_the_file_naming_its_row() {
        let err = read(b"Name,Notes\nA,ok\nB,\"never closed\nC,x\n").unwrap_err();
        assert_eq!(err.row, Some(3));
        assert!(err.why.contains("never closed"), "{}", err.why);
    }

    #[test]
    fn the_first_row_of_a_cut_head_is_read() {
        assert_eq!(
            first_row(b"\xef\xbb\xbfName;Days;Start\r\nCaf"),
            ["Name", "Days", "Start"]
        );
        // Cut in the middle of "é" (0xC3 0xA9): still UTF-8, not Windows-1252.
        assert_eq!(first_row(b"Caf\xc3"), ["Caf"]);
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "Name\tDays\tStart\r\nx".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        utf16.pop();
        assert_eq!(first_row(&utf16), ["Name", "Days", "Start"]);
    }
}
