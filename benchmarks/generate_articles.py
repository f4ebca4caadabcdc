"""Generate varied Party-affairs articles for benchmarks: our own sentences
(``article_templates.yaml``), filled with places from the gazetteer, generated names, dates,
ordinals and document numbers.

    .venv/bin/python benchmarks/generate_articles.py --count 20000 --out data/generated

Each article is a page as a reader would save it (title, date stamp, body), from one of a
few templates: a meeting to disseminate a resolution, a party congress, a review conference,
a people's council session. No two articles are the same text; people recur within their
district, holding different roles over the years, as in a real archive. Deterministic for a
given ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.config import get_settings

TEMPLATES = Path(__file__).with_name("article_templates.yaml")


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


@dataclass(frozen=True)
class District:
    name: str
    province: str
    province_level: str  # "province" or "city"


def districts() -> list[District]:
    """The pre-2025 districts of the gazetteer with their provinces."""
    units = json.loads(get_settings().gazetteer.read_text(encoding="utf-8"))["units"]
    provinces = {
        f"{u['era']}:{u['code']}": u
        for u in units
        if u["era"] == "pre-2025" and u["level"] in ("province", "city")
    }
    return [
        District(unit["name"], parent["name"], parent["level"])
        for unit in units
        if unit["era"] == "pre-2025"
        and unit["level"] == "district"
        and (parent := provinces.get(unit["parent"] or "")) is not None
    ]


class Archive:
    """Draws articles; a district keeps its own people, so names recur where they would."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.places = districts()
        self.words: dict[str, Any] = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
        self.people_of: dict[District, list[str]] = {}

    def people(self, district: District, count: int) -> list[str]:
        """``count`` different people of the district: mostly known ones, sometimes a newcomer."""
        known = self.people_of.setdefault(district, [])
        while len(known) < count or (len(known) < 12 and self.random.random() < 0.3):
            name = " ".join(self.random.choice(self.words[part]) for part in ("family", "middle", "given"))
            if name not in known:
                known.append(name)
        return self.random.sample(known, count)

    def article(self, number: int) -> tuple[str, str]:
        r = self.random
        district = r.choice(self.places)
        year, month, day = r.randint(2019, 2026), r.randint(1, 12), r.randint(1, 27)
        term = 2020 if year < 2025 else 2025
        secretary, deputy, chair, head = self.people(district, 4)
        values = {
            "number": number,
            "district": district.name,
            "province": district.province,
            "province_word": self.words["province_word"][district.province_level],
            "ordinal": _roman(r.randint(15, 25)),
            "own_ordinal": _roman(r.randint(18, 30)),
            "term": term,
            "term_end": term + 5,
            "year": year,
            "month": month,
            "day": day,
            "next_day": day + 1,
            "secretary": secretary,
            "deputy": deputy,
            "chair": chair,
            "head": head,
            "plan": r.randint(1, 300),
            "session": r.randint(2, 20),
        }
        template = self.words["templates"][r.choice(sorted(self.words["templates"]))]
        stamp = f"{day:02d}/{month:02d}/{year} {r.randint(7, 17):02d}:{r.randint(0, 59):02d}"
        lines = [template["title"], stamp, *template["body"], self.words["filler"]]
        return f"gen-{number:06d}.txt", "\n".join(line.format(**values) for line in lines)

    def articles(self, count: int) -> Iterator[tuple[str, str]]:
        for number in range(count):
            yield self.article(number)


def write_articles(count: int, out: Path, seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in Archive(seed).articles(count):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("data/generated"))
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    write_articles(options.count, options.out, options.seed)
    print(f"wrote {options.count:,} articles to {options.out}")


if __name__ == "__main__":
    main()
