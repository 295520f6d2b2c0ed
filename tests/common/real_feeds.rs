// The real feeds of `../shared/data/`: (source name, file, format). Included (`include!`) by
// the integration tests and by the timetable's unit tests, so both read the same feeds; the
// including file brings `Format` into scope.
&[
    (
        "sepia",
        "meetingguide_sepia_1928_meetings.json",
        Format::MeetingGuide,
    ),
    (
        "kc",
        "meetingguide_kansascity_206_meetings.json",
        Format::MeetingGuide,
    ),
    (
        "benlomond",
        "meetingguide_tsml-wordpress_benlomond_online_35_meetings.json",
        Format::MeetingGuide,
    ),
    (
        "atlanta",
        "meetingguide_tsml-wordpress_atlanta_attendance_option_6_meetings.json",
        Format::MeetingGuide,
    ),
    (
        "sanjose",
        "tsml_csv_import_template_sanjose_36_meetings.csv",
        Format::TsmlCsv,
    ),
    (
        "upstate",
        "bmlt_GetSearchResults_upstate-ny_53_meetings.json",
        Format::Bmlt,
    ),
]
