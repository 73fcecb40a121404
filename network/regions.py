"""Administrative regions (INSEE codes) and departments: reference data read once from network/data/.

A fund's region follows from its departments; each overseas department is its own region."""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    region: str


def _read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def regions() -> dict[str, str]:
    """INSEE region code -> name, in code order."""
    return {row["code"]: row["name"] for row in _read("regions.csv")}


@functools.cache
def departments() -> dict[str, Department]:
    """Department code ('01' … '95', '2A', '2B', '971' … '976') -> Department, in code order."""
    return {row["code"]: Department(row["code"], row["name"], row["region"]) for row in _read("departments.csv")}


def region_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {name}") for code, name in regions().items()]


def region_name(code: str) -> str:
    return regions().get(code, "")


def region_of(department_codes: list[str]) -> str:
    """The region of a fund serving these departments ('' when none is known). A fund serves one region."""
    found = sorted({departments()[code].region for code in department_codes if code in departments()})
    return found[0] if found else ""
