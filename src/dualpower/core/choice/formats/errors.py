"""The one error every file reader raises, so the CLI can print it and exit 2."""

from __future__ import annotations


class FormatError(ValueError):
    """A malformed input file: says where (line number) and what is wrong."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path
        if line is not None:
            where = f"{where}, line {line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
