"""Dates as each language writes them (settings.FORMAT_MODULE_PATH).

Django's own locale formats apply, except where a module here overrides them.
Templates and code name a format ("ABBR_DATE_FORMAT") instead of spelling one
("j M Y"): Django's "M" capitalises the month ("6 Dec"), which is right in
English and wrong in Swedish and Norwegian ("6 dec", "6. des").

The names beyond Django's own, defined for every language:
- ABBR_DATE_FORMAT: a day with an abbreviated month and the year (6 dec 2026);
- ABBR_MONTH_DAY_FORMAT: the same without the year (6 dec);
- ABBR_DATETIME_FORMAT: ABBR_DATE_FORMAT with the time (6 dec 2026 14:30);
- WEEKDAY_DATE_FORMAT: the weekday and the full date (söndag 6 december 2026);
- WEEKDAY_MONTH_DAY_FORMAT: the weekday, day and month (söndag 6 december).
Django's DATE_FORMAT, DATETIME_FORMAT and MONTH_DAY_FORMAT write the month in full.
"""
