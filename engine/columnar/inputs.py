"""Read a population file (CSV or Parquet) lazily, check its columns and type them as the mapping says.

Columns keep CMS's names in the file; inside the engine each becomes `col.ALIAS`. A missing column,
a column of the wrong type or a value that is not what its column holds is refused with the file,
the column (and its row) and what to do. Nothing is read in full before scoring starts: the frame
stays lazy, so a file larger than memory streams through.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from engine.errors import MipsError, Problem

from .mapping import COLUMN_PREFIX, Mapping
from .values import NUMBER

ROW = "row"
"""Row number in the file (1 for the first data row), kept through scoring to name rows."""
MAX_SHOWN = 5
_NUMERIC = (pl.Float32, pl.Float64, pl.Decimal, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16,
            pl.UInt32, pl.UInt64)
_INTEGER = _NUMERIC[3:]


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn an error met while reading or scoring a file's rows into a message naming the file."""
    try:
        yield
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise MipsError(f"{path}: cannot be read or scored: {str(exc).splitlines()[0]}") from None


def scan(path: Path) -> pl.LazyFrame:
    """A lazy frame over a CSV (every column read as text) or Parquet file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise MipsError(f"{path}: no such file")
    try:
        if suffix == ".parquet":
            frame = pl.scan_parquet(path)
        elif suffix == ".csv":
            frame = pl.scan_csv(path, infer_schema=False)
        else:
            raise MipsError(f"{path}: unknown file type '{suffix}'; give a .csv or .parquet file")
        frame.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise MipsError(f"{path}: cannot be read as {suffix[1:]}: {str(exc).splitlines()[0]}") from None
    return frame


def typed(path: Path, mapping: Mapping, frame: pl.LazyFrame | None = None, check_values: bool = True) -> pl.LazyFrame:
    """The file with a row number first and its mapped columns added as typed `col.ALIAS` columns.

    Refuses a missing column, a column of the wrong type or (with check_values) a text value that
    does not read as its column's type."""
    frame = scan(path) if frame is None else frame
    schema = frame.collect_schema()
    problems: list[Problem] = []
    exprs: list[pl.Expr] = []
    parsed: list[tuple[str, str, str]] = []   # (alias, column, type) read from text
    for alias, spec in mapping.spec.columns.items():
        target = COLUMN_PREFIX + alias
        where = mapping.where(f"columns.{alias}")
        if spec.name not in schema:
            if spec.optional:
                exprs.append(pl.lit(None, _dtype(spec.type)).alias(target))
                continue
            close = difflib.get_close_matches(spec.name, list(schema), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(str(path), None, None, "", f"missing column '{spec.name}' ({spec.type}, read as "
                                    f"col.{alias} by {where}){hint}"))
            continue
        dtype = schema[spec.name]
        source = pl.col(spec.name)
        if dtype == pl.String:
            exprs.append(_parse(source, spec.type, mapping).alias(target))
            parsed.append((alias, spec.name, spec.type))
        elif spec.type == "number" and isinstance(dtype, _NUMERIC):
            exprs.append(source.cast(NUMBER).alias(target))
        elif spec.type == "boolean" and dtype == pl.Boolean:
            exprs.append(source.alias(target))
        elif spec.type == "string" and isinstance(dtype, (*_INTEGER, pl.Categorical, pl.Enum)):
            exprs.append(source.cast(pl.String).alias(target))
        else:
            problems.append(Problem(str(path), None, None, "", f"column '{spec.name}' holds {dtype} values; "
                                    f"{where} reads it as a {spec.type} ({_expected(spec.type, mapping)})"))
    if problems:
        raise MipsError(problems)
    if ROW in schema:
        raise MipsError(f"{path}: the file has a column named '{ROW}', the name given to row numbers; rename it")
    result = frame.with_row_index(ROW, offset=1).with_columns(*exprs)
    if check_values and parsed:
        with reading(path):
            _check_values(path, frame, parsed, mapping)
    return result


def _parse(source: pl.Expr, kind: str, mapping: Mapping) -> pl.Expr:
    text = source.str.strip_chars()
    blank = text.is_null() | (text == "")
    if kind == "number":
        return pl.when(blank).then(None).otherwise(text.cast(NUMBER, strict=False))
    if kind == "boolean":
        spell = mapping.spec.booleans
        truth = pl.when(text.is_in(spell.true_values)).then(True).when(text.is_in(spell.false_values)).then(False)
        return pl.when(blank).then(None).otherwise(truth)
    return pl.when(blank).then(None).otherwise(text)


def _check_values(path: Path, raw: pl.LazyFrame, parsed: list[tuple[str, str, str]], mapping: Mapping) -> None:
    """Refuse text values that do not read as their column's type, naming the first rows with one."""
    checks = [(alias, column, kind) for alias, column, kind in parsed if kind != "string"]
    if not checks:
        return
    bad = {alias: pl.col(column).str.strip_chars().fill_null("").ne("") & pl.col(COLUMN_PREFIX + alias).is_null()
           for alias, column, kind in checks}
    joined = raw.with_row_index(ROW, offset=1).with_columns(
        **{COLUMN_PREFIX + alias: _parse(pl.col(column), kind, mapping) for alias, column, kind in checks})
    counts = joined.select(**{alias: expr.sum() for alias, expr in bad.items()}).collect()
    problems: list[Problem] = []
    for alias, column, kind in checks:
        count = counts[alias][0]
        if not count:
            continue
        rows = joined.filter(bad[alias]).select(ROW, pl.col(column)).head(MAX_SHOWN).collect()
        shown = ", ".join(f"row {row} '{value}'" for row, value in rows.iter_rows())
        more = f" and {count - rows.height} more" if count > rows.height else ""
        problems.append(Problem(str(path), None, None, "", f"column '{column}': {count} value(s) are not "
                                f"{_expected(kind, mapping)}: {shown}{more}"))
    if problems:
        raise MipsError(problems)


def _expected(kind: str, mapping: Mapping) -> str:
    if kind == "boolean":
        spell = mapping.spec.booleans
        return f"a boolean: one of {', '.join(spell.true_values + spell.false_values)} or empty"
    return "a number (or empty)" if kind == "number" else "a text"


def _dtype(kind: str) -> pl.DataType:
    return {"number": NUMBER, "boolean": pl.Boolean, "string": pl.String}[kind]
