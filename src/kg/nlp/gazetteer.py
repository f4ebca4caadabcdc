"""The gazetteer: Vietnam's administrative units before and after the July 2025 reform.

Built from the PyPI package ``vietnam-provinces`` (data of the General
Statistics Office): version 0.5.0 for the units before the reform (the last
release that still lists every ward, Sài Đồng among them) and 2025.10.1 for the
units after it. Both releases are GPL-licensed, so their data is not committed
here: ``kg gazetteer build`` (run by ``make setup``) downloads the two wheels
with pip and writes one JSON file (``$KG_GAZETTEER``, default
``~/.cache/kg/gazetteer-1.json``), which the pipeline's config names. Without it, places still come from the text.

Codes were reused by the reform, so every unit records its code together with
the version of the code list it comes from.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from kg.errors import KGError
from kg.records import Place
from kg.text import fold, normalize

__all__ = [
    "DEFAULT_GAZETTEER",
    "REFORM_DATE",
    "SOURCES",
    "Gazetteer",
    "Unit",
    "build_gazetteer",
    "era_of",
    "initials",
    "load_gazetteer",
]

REFORM_DATE = date(2025, 7, 1)
# era -> (pip requirement, code-list version recorded on each unit)
SOURCES = {
    "pre-2025": ("vietnam-provinces==0.5.0", "vietnam-provinces 0.5.0"),
    "post-2025": ("vietnam-provinces==2025.10.1", "vietnam-provinces 2025.10.1"),
}
FORMAT_VERSION = 1
# Where ``kg gazetteer build`` writes by default; ``$KG_GAZETTEER`` (kg.config) may say otherwise.
DEFAULT_GAZETTEER = Path.home() / ".cache" / "kg" / f"gazetteer-{FORMAT_VERSION}.json"
_LEVELS = {
    "thành phố trung ương": "city",
    "tỉnh": "province",
    "quận": "district",
    "huyện": "district",
    "thị xã": "district",
    "thành phố": "district",  # a city inside a province sits at district level
    "phường": "ward",
    "xã": "commune",
    "đặc khu": "commune",
    "thị trấn": "town",
}
_PREFIXES = ("thành phố ", "tỉnh ", "quận ", "huyện ", "thị xã ", "phường ", "xã ", "thị trấn ", "đặc khu ")


@dataclass(frozen=True)
class Unit:
    """An administrative unit of one era of the code list."""

    name: str
    level: str
    code: str
    era: str
    parent: str | None = None  # the key of the enclosing unit

    @property
    def key(self) -> str:
        return f"{self.era}:{self.code}"

    @property
    def code_list_version(self) -> str:
        return SOURCES[self.era][1]


def _bare_name(full: str) -> str:
    name = normalize(full).strip()
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def _units_of(era: str, divisions: list[dict[str, object]]) -> Iterator[Unit]:
    """Flatten the nested JSON of vietnam-provinces into units (province codes 2 digits, etc.)."""

    def unit(item: dict[str, object], width: int, parent: Unit | None) -> Unit:
        level = _LEVELS.get(str(item["division_type"]), "commune")
        if parent is None and level == "district":
            level = "city"
        code = str(item["code"]).zfill(width)
        return Unit(_bare_name(str(item["name"])), level, code, era, parent.key if parent else None)

    for province_item in divisions:
        province = unit(province_item, 2, None)
        yield province
        for district_item in province_item.get("districts", []) or []:  # type: ignore[attr-defined]
            district = unit(district_item, 3, province)
            yield district
            for ward_item in district_item.get("wards", []) or []:
                yield unit(ward_item, 5, district)
        for ward_item in province_item.get("wards", []) or []:  # type: ignore[attr-defined]
            yield unit(ward_item, 5, province)


class Gazetteer:
    """Units by key and by folded bare name.

    >>> g = Gazetteer([Unit("Hà Nội", "city", "01", "pre-2025"),
    ...                Unit("Đống Đa", "district", "006", "pre-2025", "pre-2025:01")])
    >>> g.find("đống đa", level="district").name
    'Đống Đa'
    >>> g.parent(g.find("Đống Đa")).name
    'Hà Nội'
    """

    def __init__(self, units: list[Unit]) -> None:
        self.units = {u.key: u for u in units}
        self._by_name: dict[str, list[Unit]] = defaultdict(list)
        self._by_initials: dict[str, list[Unit]] = defaultdict(list)
        for u in units:
            self._by_name[_key(u.name)].append(u)
            if u.level in _INITIALED_LEVELS and len(u.name.split()) > 1:
                self._by_initials[initials(u.name)].append(u)
        self.longest_name = max((len(n.split()) for n in self._by_name), default=0)
        self._ancestors: dict[str, frozenset[str]] = {}
        self._places: dict[str, Place] = {}

    def __len__(self) -> int:
        return len(self.units)

    def parent(self, unit: Unit) -> Unit | None:
        return self.units.get(unit.parent) if unit.parent else None

    def place_of(self, unit: Unit) -> Place:
        """The unit as a :class:`Place`, with its enclosing units (built once per unit)."""
        place = self._places.get(unit.key)
        if place is None:
            parent_unit = self.parent(unit)
            parent = self.place_of(parent_unit) if parent_unit else None
            place = Place(unit.name, unit.level, parent, unit.code, unit.code_list_version)
            self._places[unit.key] = place
        return place

    def ancestors(self, unit: Unit) -> list[Unit]:
        chain = []
        current = self.parent(unit)
        while current is not None:
            chain.append(current)
            current = self.parent(current)
        return chain

    def _ancestor_keys(self, unit: Unit) -> frozenset[str]:
        known = self._ancestors.get(unit.key)
        if known is None:
            known = self._ancestors[unit.key] = frozenset(a.key for a in self.ancestors(unit))
        return known

    def knows(self, name: str) -> bool:
        return _key(name) in self._by_name

    def by_initials(self, letters: str) -> list[Unit]:
        """Cities, provinces and districts whose name has these initials ("HCM", "NĐ")."""
        return list(self._by_initials.get(letters.upper(), []))

    def find(
        self,
        name: str,
        *,
        level: str | tuple[str, ...] | None = None,
        era: str = "pre-2025",
        within: tuple[Unit, ...] = (),
    ) -> Unit | None:
        """The unit called ``name``, preferring ``era`` and units inside ``within``.

        An ambiguous name (many communes share one) resolves only when the
        context singles one out.
        """
        levels = (level,) if isinstance(level, str) else level
        candidates = [u for u in self._by_name.get(_key(name), []) if levels is None or u.level in levels]
        if not candidates:
            return None
        # Higher levels first: "Hà Nội" is the city before any ward of that name.
        order = ("country", "city", "province", "district", "town", "ward", "commune")
        candidates.sort(key=lambda u: (u.era != era, order.index(u.level)))
        pools = [[u for u in candidates if u.era == era], [u for u in candidates if u.era != era]]
        if within:
            # A unit the article named, or one inside them, of either era, before any guess.
            keys = {w.key for w in within}
            for pool in pools:
                named = [u for u in pool if u.key in keys]
                if named:
                    return named[0]
            for pool in pools:
                inside = [u for u in pool if keys & self._ancestor_keys(u)]
                best = [u for u in inside if inside and u.level == inside[0].level]
                if best:
                    return best[0]
        pool = pools[0] or pools[1]  # the other era only for a name the article's era lacks
        best = [u for u in pool if u.level == pool[0].level]
        if len(best) == 1 or within:
            return best[0]  # with context, the first namesake is a better guess than none
        return None


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    """Names compare folded, with hyphens unspaced ("Phan Rang - Tháp Chàm" = "Phan Rang-Tháp Chàm")."""
    return _HYPHEN.sub("-", fold(name))


_HYPHEN = re.compile(r"\s*-\s*")
_INITIALED_LEVELS = ("city", "province", "district")


def initials(name: str) -> str:
    """ "Hồ Chí Minh" -> "HCM", "Nam Định" -> "NĐ".

    >>> initials("Hồ Chí Minh"), initials("Phan Rang-Tháp Chàm")
    ('HCM', 'PRTC')
    """
    return "".join(word[0] for word in re.split(r"[\s-]+", normalize(name)) if word).upper()


def _download_divisions(requirement: str, workdir: Path) -> list[dict[str, object]]:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary",
        ":all:",
        "--dest",
        str(workdir),
        requirement,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(workdir.glob("vietnam_provinces-*.whl"))
    if done.returncode != 0 or not wheels:
        raise KGError(f"cannot download {requirement}: {done.stderr.strip() or 'no wheel'}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        data: list[dict[str, object]] = json.loads(wheel.read("vietnam_provinces/data/nested-divisions.json"))
    return data


def build_gazetteer(target: Path) -> int:
    """Download both code-list versions and write the gazetteer file; returns the number of units."""
    units: list[Unit] = []
    for era, (requirement, _) in SOURCES.items():
        with tempfile.TemporaryDirectory() as tmp:
            units.extend(_units_of(era, _download_divisions(requirement, Path(tmp))))
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT_VERSION,
        "sources": {k: v[0] for k, v in SOURCES.items()},
        "units": [asdict(u) for u in units],
    }
    tmp_target = target.with_suffix(".tmp")
    tmp_target.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    tmp_target.replace(target)
    return len(units)


@lru_cache(maxsize=4)
def load_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer at ``path``; an empty one when the file is missing."""
    if not path.is_file():
        return Gazetteer([])
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("format") != FORMAT_VERSION:
        return Gazetteer([])
    return Gazetteer([Unit(**u) for u in payload["units"]])


def era_of(published: date | None) -> str:
    """Which code list an article's places belong to."""
    return "post-2025" if published is not None and published >= REFORM_DATE else "pre-2025"
