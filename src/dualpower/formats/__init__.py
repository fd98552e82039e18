"""The named date and time formats, one set per language (``FORMAT_MODULE_PATH`` in settings).

Every page writes a moment the same way in a language, through Django's named formats:

- ``DATE_FORMAT`` (and ``SHORT_DATE_FORMAT``, the same): a day with its weekday, "Sat 12 Dec 2026",
  "sáb 12 dic 2026";
- ``TIME_FORMAT``: the 24-hour clock, "13:40";
- ``DATETIME_FORMAT`` (and ``SHORT_DATETIME_FORMAT``, the same): "Sat 12 Dec 2026, 13:40";
- ``MONTH_DAY_FORMAT``, only where a row of days has no room (a chart's axis): "12 Dec", "12 dic".

Templates write ``{{ when|date:"DATETIME_FORMAT" }}``, ``{{ day|date:"DATE_FORMAT" }}``,
``{{ when|time:"TIME_FORMAT" }}`` (or a value alone: Django localises it with these); Python code
calls ``dualpower.formatting.format_date``/``format_datetime``/``format_time``. Only machine text
(``<time datetime="{{ x|date:'c' }}">``, file names, CSV) may use another format.

Numbers keep Django's separators for the language ("1,234.56"; "1 234,56" with a no-break
space). The first input formats are ISO, what ``<input type="date">`` and
``<input type="datetime-local">`` read and write in every language.
"""
