"""Convert CMS's automatic-EUC county lists (CMSgov/qpp-eu-data) into rulebooks/YEAR/euc/places.csv.

    python scripts/convert_euc_data.py --shared ../shared

For every year with both `staging/YEAR/euc_counties.csv` and `data/YEAR/euc_county_zipcode_crosswalk.csv`
it writes `places.csv` (state_code, county_name, zipcode; sorted; county names as the staging list
spells them; a county without ZIP codes gets one row with an empty zipcode) and `SOURCE.yaml` (the
repository, commit, files, the citation scoring shows and this script). The crosswalk spells some names differently ('de soto',
'st johns', 'hills'): they are matched to the staging list by comparison key, else by a unique prefix,
and each such match is recorded in SOURCE.yaml. Output depends on the input only; files are replaced
atomically. Re-run it when shared/qpp-eu-data is updated.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.atomic import write_atomically  # noqa: E402
from engine.euc.names import county_key  # noqa: E402
from engine.rulebook.registry import rulebooks_root  # noqa: E402

REPOSITORY, URL = "CMSgov/qpp-eu-data", "https://github.com/CMSgov/qpp-eu-data"
CITE_KEY = "cms-qpp-eu-data"  # the repository's key in rulebooks/sources/cms-data.yaml
STAGING, CROSSWALK = "staging/{year}/euc_counties.csv", "data/{year}/euc_county_zipcode_crosswalk.csv"


class ConversionError(Exception):
    """The input cannot be converted as it is; the message says what to fix."""


def read_csv(path: Path, header: list[str]) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [[cell.strip() for cell in row] for row in csv.reader(stream) if row]
    if not rows or rows[0] != header:
        raise ConversionError(f"{path}: expected the header {','.join(header)}")
    return rows[1:]


def match(state: str, county: str, names: dict[tuple[str, str], str]) -> tuple[str, str | None]:
    """The staging name of a crosswalk county, and how it was matched when not by exact key."""
    key = county_key(county)
    if (state, key) in names:
        exact = names[(state, key)].lower() == county.lower()
        return names[(state, key)], None if exact else "comparison key"
    prefixed = [name for (s, k), name in names.items() if s == state and k.startswith(key)]
    if len(prefixed) == 1:
        return prefixed[0], "unique prefix"
    raise ConversionError(f"{state} county '{county}' of the crosswalk matches {len(prefixed)} staging counties")


def convert_year(root: Path, year: int) -> tuple[list[tuple[str, str, str]], list[dict]]:
    """Rows of places.csv and the name matches made, for one year."""
    names: dict[tuple[str, str], str] = {}
    for state, county in read_csv(root / STAGING.format(year=year), ["state_code", "county_name"]):
        names[(state.upper(), county_key(county))] = county
    rows, matches, seen = set(), {}, set()
    for state, county, zipcode in read_csv(root / CROSSWALK.format(year=year), ["state_code", "county_name", "zipcode"]):
        state = state.upper()
        name, method = match(state, county, names)
        if method:
            matches[(state, county)] = {"state": state, "crosswalk": county, "staging": name, "method": method}
        rows.add((state, name, zipcode))
        seen.add((state, county_key(name)))
    rows |= {(state, name, "") for (state, key), name in names.items() if (state, key) not in seen}
    return sorted(rows), [matches[k] for k in sorted(matches)]


def places_csv(rows: list[tuple[str, str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["state_code", "county_name", "zipcode"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def source_yaml(year: int, commit: str, commit_date: str, rows: list[tuple[str, str, str]],
                matches: list[dict]) -> bytes:
    document = {
        "description": "Where places.csv comes from. Written by scripts/convert_euc_data.py; do not edit by hand.",
        "year": year,
        "source": {"repository": REPOSITORY, "url": URL, "commit": commit, "commit_date": commit_date,
                   "files": [STAGING.format(year=year), CROSSWALK.format(year=year)]},
        "cite": f"{CITE_KEY} {STAGING.format(year=year)}, {CROSSWALK.format(year=year)} at commit {commit[:12]}",
        "converted_by": "scripts/convert_euc_data.py",
        "status": "confirmed",
        "rows": len(rows),
        "counties": len({(state, county) for state, county, _ in rows}),
        "name_matches": matches,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def convert(shared: Path, rulebooks: Path) -> list[str]:
    """Convert every year found; return one summary line per year."""
    root = shared / "qpp-eu-data"
    commit_file = root / "SOURCE_COMMIT"
    if not commit_file.is_file():
        raise ConversionError(f"{commit_file} is missing: it names the CMSgov/qpp-eu-data commit the copy is of")
    commit, _, commit_date = commit_file.read_text(encoding="utf-8").strip().partition(" ")
    years = sorted(int(p.name) for p in (root / "staging").iterdir()
                   if p.name.isdigit() and (root / CROSSWALK.format(year=p.name)).is_file())
    if not years:
        raise ConversionError(f"{root}: no year has both {STAGING} and {CROSSWALK}")
    lines = []
    for year in years:
        rows, matches = convert_year(root, year)
        target = rulebooks / str(year) / "euc"
        write_atomically(target / "places.csv", places_csv(rows))
        write_atomically(target / "SOURCE.yaml", source_yaml(year, commit, commit_date.strip(), rows, matches))
        lines.append(f"{year}: {len(rows)} rows, {len({(s, c) for s, c, _ in rows})} counties, "
                     f"{len(matches)} spelling matches -> {target}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared folder (holds qpp-eu-data/)")
    parser.add_argument("--rulebooks", type=Path, default=None, help="rulebooks folder (default: the project's)")
    args = parser.parse_args(argv)
    try:
        for line in convert(args.shared, args.rulebooks or rulebooks_root()):
            print(line)
    except (ConversionError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
