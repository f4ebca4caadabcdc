"""Date patterns of Vietnamese text, built from the words in ``kg/data/dates.yaml``.

The page reader (publication stamps), the meeting finder (the day a meeting
took place) and the year counter share them, so a date is written in one way
everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

__all__ = ["DateWords", "date_words", "span_pattern", "worded_date", "year_mention"]

YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class DateWords:
    day: str
    month: str
    year: str
    quarter: str
    span_joiners: tuple[str, ...]


@cache
def date_words() -> DateWords:
    raw = yaml.safe_load(resources.files("kg.data").joinpath("dates.yaml").read_text("utf-8"))
    return DateWords(raw["day"], raw["month"], raw["year"], raw["quarter"], tuple(raw["span_joiners"]))


def worded_date(day: str = "d", month: str = "m", year: str = "y", *, year_optional: bool = False) -> str:
    """The pattern of "ngày 15 tháng 9 năm 2020", with named groups (match it ignoring case).

    >>> bool(re.fullmatch(worded_date(year_optional=True), "ngày 5 tháng 10", re.IGNORECASE))
    True
    """
    w = date_words()
    year_part = rf"\s+{w.year}\s+(?P<{year}>{YEAR})"
    if year_optional:
        year_part = f"(?:{year_part})?"
    return rf"{w.day}\s+(?P<{day}>\d{{1,2}})\s+{w.month}\s+(?P<{month}>\d{{1,2}}){year_part}"


def span_pattern() -> str:
    """The first day of a span of days ("12 và 13/4", "12-13/4/2022"), with groups d, m, y."""
    joiners = "|".join(re.escape(j) for j in date_words().span_joiners)
    return (
        rf"(?<![\d/.-])(?P<d>\d{{1,2}})\s*(?:{joiners}|,|-)\s*\d{{1,2}}\s*/\s*(?P<m>\d{{1,2}})"
        rf"(?:\s*/\s*(?P<y>{YEAR}))?(?![\d/])"
    )


def year_mention() -> re.Pattern[str]:
    """A single year the text names ("năm 2024", "/2024", "Quý I/2024"), not a span of years."""
    w = date_words()
    return re.compile(rf"(?:{w.year}|/|{w.quarter} [IV]+/)\s*({YEAR})\b(?!\s*-\s*{YEAR})", re.IGNORECASE)
