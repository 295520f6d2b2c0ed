#!/usr/bin/env python3
"""Writes the in-house sheet fixtures byte for byte as each program saves them.

Run from this folder: python3 make.py. The files are committed; this says how they were made.

- excel-csv-utf8.csv     Excel (US) "CSV UTF-8 (Comma delimited)": BOM, CRLF, ",", cells quoted
                         only when they hold a comma, quote or line break (a line break inside a
                         cell is LF); dates Excel recognised written as M/D/YYYY, times as h:mm AM;
                         the empty rows below the list that Excel writes once cells were touched.
- excel-european.csv     Excel in a German locale, plain "CSV (Trennzeichen-getrennt)": Windows-1252,
                         CRLF, ";" (so commas inside cells are not quoted), 24-hour times, dates as
                         DD.MM.YYYY, decimal commas; only some of the columns.
- libreoffice.csv        LibreOffice Calc (en-US) "Text CSV" defaults: UTF-8 without BOM, LF, ",";
                         times as HH:MM:SS AM/PM, dates as MM/DD/YY.
- excel-unicode-text.txt Excel "Unicode Text": UTF-16LE with BOM, tabs, CRLF.
- one-bad-row.csv        Excel "CSV UTF-8" with one row whose Start is "7.30".
- no-usable-row.csv      Excel "CSV UTF-8" in which no row can be used.
"""

HEADER = ["Name", "Days", "Start", "End", "Repeats", "Skip dates", "Room", "Program", "Types",
          "Notes", "Online link", "Phone", "ID", "Location", "Address", "Latitude", "Longitude",
          "Time zone", "Online link notes", "Phone notes", "Region", "Approximate location",
          "In house", "Updated"]

CENTER = ["Riverside Recovery Center", "1500 Spring Garden St, Philadelphia, PA 19130",
          "39.9626", "-75.1631", "America/New_York"]


def cell(value, sep):
    if any(c in value for c in (sep, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def sheet(rows, sep, eol):
    return "".join(sep.join(cell(v, sep) for v in row) + eol for row in rows)


def full(name, days, start, end, repeats, skip, room, program, types, notes, link, phone, id_,
         place=CENTER, link_notes="", phone_notes="", approximate="no", in_house="yes"):
    return [name, days, start, end, repeats, skip, room, program, types, notes, link, phone, id_,
            *place, link_notes, phone_notes, "", approximate, in_house, ""]


excel = [
    HEADER,
    full("Thursday Alumni Group", "Thursday", "6:30 PM", "8:00 PM", "every week",
         "11/26/2026, 12/24/2026", "Room 204, second floor", "Alumni", "C, D",
         "Bring a friend from your cohort.", "", "", "alumni-thursday"),
    full("Family Night", "Tuesday", "7:00 PM", "8:30 PM", "2nd Tuesday", "", "Dining hall",
         "Family", "O", "", "", "", "family-night"),
    full("Café Recovery Circle", "Monday, Wednesday", "6:45 PM", "7:45 PM", "every week",
         "12/24/2026", "Café — ground floor", "Alumni", "O, Discussion",
         "Coffee's on us.\nDoors open at 6:30.", "", "", ""),
    full("Grupo de Niños y Familias", "Saturday", "10:00 AM", "11:30 AM", "last Saturday", "",
         "Room 101", "Family", "S, Open", "", "", "", "grupo-ninos"),
    full("Women's Circle", "", "12:00 PM", "1:00 PM", "every other week from 2026-01-06",
         "", "Garden room", "Alumni", "W, C", "", "", "", "womens-circle"),
    full("Sunday Step Study", "Sunday", "10:00 AM", "", "every week", "", "Room 101", "AA",
         "ST, O", "", "https://zoom.us/j/5551234567", "+16465588656,,5551234567#",
         "sunday-step-study", link_notes="Passcode: 1234", phone_notes="Meeting ID 555 123 4567"),
    full("Intake conversation", "", "", "", "by appointment", "", "Front desk", "Family", "",
         "Ask at the front desk.", "", "", "intake"),
    [""] * len(HEADER),
    [""] * len(HEADER),
]
with open("excel-csv-utf8.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + sheet(excel, ",", "\r\n").encode("utf-8"))

european = [
    ["Name", "Days", "Start", "End", "Repeats", "Skip dates", "Room", "Program", "Types",
     "Notes", "Online link", "Phone", "ID", "Latitude", "Longitude"],
    ["Café Recovery Circle", "Monday, Wednesday", "18:45", "19:45", "every week", "24.12.2026",
     "Café – ground floor", "Alumni", "O, D", "", "", "", "cafe-circle", "39,9626", "-75,1631"],
    ["Niños y Familias", "Saturday", "10:00", "11:30", "last Saturday", "", "Sala 101",
     "Family", "S", "Traiga a sus niños – hay juegos.", "", "", "ninos", "", ""],
    ["Women’s Circle", "Tuesday", "12:00", "13:00", "every other week from 2026-01-06",
     "26.11.2026; 24.12.2026", "Garden room", "Alumni", "W, C", "", "", "", "womens-circle",
     "", ""],
    ["Sunday Step Study", "Sunday", "10:00", "", "every week", "", "Room 101", "AA", "ST, O",
     "", "https://zoom.us/j/5551234567", "+16465588656,,5551234567#", "sunday-step-study", "",
     ""],
    [""] * 15,
]
with open("excel-european.csv", "wb") as f:
    f.write(sheet(european, ";", "\r\n").encode("cp1252"))

libreoffice = [
    HEADER,
    full("Thursday Alumni Group", "Thursday", "06:30:00 PM", "08:00:00 PM", "every week",
         "11/26/2026, 12/24/2026", "Room 204, second floor", "Alumni", "C, D",
         "Bring a friend from your cohort.", "", "", "alumni-thursday"),
    full("Late Night Online", "Friday, Saturday", "10:00:00 PM", "11:00:00 PM", "every week",
         "12/31/26", "", "Alumni", "", "", "https://meet.google.com/abc-defg-hij", "",
         "late-night-online", place=["", "", "", "", "America/New_York"], approximate="yes"),
    full("Family Night", "", "07:00:00 PM", "08:30:00 PM", "2nd Tuesday", "", "Dining hall",
         "Family", "O", "", "", "", "family-night"),
    full("Noon Meditation", "Mon-Fri", "12:00:00 PM", "12:30:00 PM", "", "", "Chapel",
         "Alumni", "MED, O", "", "", "", "noon-meditation"),
]
with open("libreoffice.csv", "wb") as f:
    f.write(sheet(libreoffice, ",", "\n").encode("utf-8"))

unicode_text = [
    ["Name", "Days", "Start", "End", "Repeats", "ID"],
    ["Café Recovery Circle", "Monday, Wednesday", "6:45 PM", "7:45 PM", "every week",
     "cafe-circle"],
    ["Niños y Familias", "Saturday", "10:00 AM", "11:30 AM", "last Saturday", "ninos"],
]
with open("excel-unicode-text.txt", "wb") as f:
    f.write(b"\xff\xfe" + sheet(unicode_text, "\t", "\r\n").encode("utf-16-le"))

one_bad = [
    HEADER[:13],
    ["Thursday Alumni Group", "Thursday", "6:30 PM", "8:00 PM", "every week", "", "Room 204",
     "Alumni", "C, D", "", "", "", "alumni-thursday"],
    ["Family Night", "Tuesday", "7:00 PM", "8:30 PM", "2nd Tuesday", "", "Dining hall",
     "Family", "O", "", "", "", "family-night"],
    ["Morning Reflection", "Monday, Friday", "7.30", "8:00 AM", "every week", "", "Chapel",
     "Alumni", "DR", "", "", "", "morning-reflection"],
    ["Women's Circle", "", "12:00 PM", "1:00 PM", "every other week from 2026-01-06", "",
     "Garden room", "Alumni", "W, C", "", "", "", "womens-circle"],
]
with open("one-bad-row.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + sheet(one_bad, ",", "\r\n").encode("utf-8"))

no_usable = [
    HEADER[:13],
    ["Morning Reflection", "Monday, Friday", "7.30", "", "every week", "", "Chapel", "Alumni",
     "", "", "", "", "morning-reflection"],
    ["Family Night", "Tuesday", "7:00 PM", "", "sometimes", "", "Dining hall", "Family", "",
     "", "", "", "family-night"],
    [""] * 13,
]
with open("no-usable-row.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + sheet(no_usable, ",", "\r\n").encode("utf-8"))
