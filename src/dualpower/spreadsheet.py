"""The one way to write CSV that people open in a spreadsheet.

A cell someone typed that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel, LibreOffice and Google Sheets (CSV injection: ``=HYPERLINK(...)`` sends the
reader's data elsewhere). Such a text cell is written with a leading apostrophe, as OWASP advises,
so the spreadsheet shows it as text. Numbers stay numbers: a negative amount ``-5.00`` is left as
it is, since a spreadsheet reads it as the number it is and runs nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any, Protocol

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class RowWriter(Protocol):
    def writerow(self, row: Iterable[Any]) -> Any: ...

    def writerows(self, rows: Iterable[Iterable[Any]]) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value as the spreadsheet should see it: formulas from typed text are neutralised."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value  # numbers, dates, decimals: written by csv as they print
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, stream: IO[str] | Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str] | Any, **options: Any) -> RowWriter:
    """A ``csv.writer`` over ``stream`` (a file, ``sys.stdout`` or an HttpResponse) whose every
    cell goes through ``safe_cell``. Options are ``csv.writer``'s (delimiter, lineterminator)."""
    return _SafeWriter(stream, **options)
