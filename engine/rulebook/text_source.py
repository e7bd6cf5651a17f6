"""Reading the text of a YAML or JSON input: a size limit, UTF-8 with the place of the first bad byte,
and the bounds every number and every nesting read from such a text must keep.

Cases, profiles, QPP JSON submissions, rulebook files and the year data files hold small numbers
(points, percentages, counts, years) nested a few levels deep. A number of thousands of digits or a
document nested hundreds of levels deep is no input the engine can use: it is refused where it is
written, before any arithmetic could take forever or print a gigabyte.
"""

from __future__ import annotations

import errno
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

MAX_BYTES = 32 * 1024 * 1024
"""Largest YAML or JSON file read. A QPP submission or a case is a few hundred kilobytes at most."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists read; the engine's files nest about ten levels deep."""
MAX_DIGITS = 60
"""Most significant digits of a number read (more than the engine's own results carry, 50)."""
MAX_EXPONENT = 30
"""Numbers read lie between 10**-MAX_EXPONENT and 10**MAX_EXPONENT in magnitude (or are zero)."""


class SourceError(Exception):
    """A text that cannot be read, with the line and column (1-based) where the problem is."""

    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode(data: bytes) -> str:
    """UTF-8 text of `data`; a SourceError at the line and column of the first byte that is not UTF-8."""
    if len(data) > MAX_BYTES:
        raise SourceError(f"the input holds more than {MAX_BYTES // 1_048_576} MB; {_limit()}", None, None)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8", line,
                          column) from None


def read_text(path: Path) -> str:
    """The UTF-8 text of a file within MAX_BYTES; a SourceError saying what is wrong otherwise."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(too_large(size), None, None)
    return decode(path.read_bytes())


def missing(path: Path, what: str = "file") -> str:
    """Why `path` names no file to read: it does not exist, or a loop of symbolic links or a name too long
    stands in the way."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "the path runs through a loop of symbolic links"
        if exc.errno == errno.ENAMETOOLONG:
            return "the file name is too long"
        if exc.errno == errno.EACCES:
            return "permission denied"
    return f"no such {what}"


def too_large(size: int) -> str:
    """The message for an input above MAX_BYTES."""
    return f"the file is {size / 1_048_576:.1f} MB; {_limit()}"


def _limit() -> str:
    return (f"inputs above {MAX_BYTES // 1_048_576} MB are not read (a case, a profile, a QPP submission or a "
            "rulebook file is a few hundred kilobytes at most)")


def number(text: str, integer: bool) -> int | Decimal:
    """The exact number written `text` (an int when `integer`), within the bounds above; ValueError
    with a message saying why otherwise."""
    digits = text.lstrip("+-").replace("_", "")
    if integer and len(digits) > MAX_DIGITS:
        raise ValueError(f"a number of {len(digits)} digits is not read; numbers have at most {MAX_DIGITS} digits")
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a finite number")
    if value:
        if len(value.as_tuple().digits) > MAX_DIGITS:
            raise ValueError(f"'{_short(text)}' has more than {MAX_DIGITS} digits; write it with fewer")
        if not -MAX_EXPONENT <= value.adjusted() < MAX_EXPONENT:
            raise ValueError(f"'{_short(text)}' is out of the range of numbers read (magnitudes from "
                             f"1e-{MAX_EXPONENT} to 1e{MAX_EXPONENT})")
    if integer:
        return int(value)
    return value


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:20] + "..." + text[-10:]
