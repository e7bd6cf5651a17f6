"""The year data kinds the engine reads, registered with the rulebook loader when this module is imported.

Each kind names the files it owns in a year folder and the loader that checks them; the loaders are
imported only when a rulebook is validated. A new kind of year data is one more `register` line here.
"""

from __future__ import annotations

from pathlib import Path

from engine.rulebook.datakinds import DataKind, register


def _calendar(folder: Path) -> object:
    from engine.calendar.loader import FILE, load_calendar_file
    return load_calendar_file(folder / FILE)


def _euc(folder: Path) -> object:
    from engine.euc.loader import load_euc_folder
    return load_euc_folder(folder)


def _qrda(folder: Path) -> object:
    from engine.qrda.spec import check_qrda_folder
    return check_qrda_folder(folder)


def _population(folder: Path) -> object:
    from engine.columnar.mapping import check_folder
    return check_folder(folder)


register(DataKind("calendar", ("calendar.yaml",), _calendar))
register(DataKind("euc", ("euc/*",), _euc, reads=("params.euc.",)))
register(DataKind("reference", ("reference/**/*",)))  # checked by engine.reference.loader when read
register(DataKind("qrda", ("qrda.yaml",), _qrda))
register(DataKind("population", ("population/*",), _population))
