"""Article reading: files and records in, normalized :class:`Article` values out.

Two input shapes are accepted:

- ``.txt``: the raw text of a news page, as in ``corpus/``. The reader finds
  the title (skipping site sections such as "công tác đảng"), the publication
  date in the forms pages print it, the byline, and the body between them.
- ``.json`` (one object or a list) and ``.jsonl`` (one object a line), with
  ``id``, ``url``, ``title``, ``published`` and ``text``.

A source that cannot be read (not UTF-8, empty, binary, malformed JSON) comes
out as an :class:`~kg.errors.ArticleError` in the stream, with its path and
reason, so the caller can report it and go on with the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from kg.dates import worded_date
from kg.errors import ArticleError
from kg.text import fold, fold_normalized, normalize

__all__ = [
    "ARTICLE_SUFFIXES",
    "HTML_SUFFIXES",
    "WARC_SUFFIXES",
    "Article",
    "PageParts",
    "article_suffix",
    "expand_paths",
    "find_published",
    "parse_page",
    "read_articles",
    "read_path",
]

HTML_SUFFIXES = (".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")
ARTICLE_SUFFIXES = (".txt", ".json", ".jsonl", *HTML_SUFFIXES, *WARC_SUFFIXES)
_LONGEST_FIRST = sorted(ARTICLE_SUFFIXES, key=len, reverse=True)  # ".warc.gz" wins over ".warc"
VIETNAM_TIME = timezone(timedelta(hours=7))
HEADER_LINES = 8  # a page's title and date stamp sit within its first few lines
FOOTER_LINES = 12
SECTION_HEADER_WORDS = 6  # a lower-case line longer than this is text, not a section name
FURNITURE_LABEL_WORDS = 6  # "Ảnh:", "Tin liên quan:"; a longer line ending in ":" is text


@dataclass(frozen=True)
class Article:
    """One readable article, its text normalized (:func:`kg.text.normalize`)."""

    identifier: str
    title: str
    body: str
    published: date | datetime | None = None
    byline: str | None = None
    url: str | None = None
    source: str = ""
    month: date | None = None  # the first day of the month a page is dated by, when it gives no day

    @property
    def text(self) -> str:
        """Title and body: everything the extractor reads."""
        return f"{self.title}\n\n{self.body}"


@dataclass(frozen=True)
class PageParts:
    """What :func:`parse_page` finds on a raw page."""

    title: str
    body: str
    published: date | datetime | None
    byline: str | None
    month: date | None = None  # the first day of the month a page is dated by, when it gives no day


@dataclass(frozen=True)
class _Layout:
    section_headers: frozenset[str]
    date_labels: tuple[str, ...]
    date_line_words: tuple[str, ...]
    time_joiners: frozenset[str]
    stamp_prefixes: tuple[str, ...]
    trailing_furniture: tuple[str, ...]
    byline_prefixes: tuple[str, ...]


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    raw = yaml.safe_load(resources.files("kg.data").joinpath("page_layout.yaml").read_text("utf-8"))

    def words(key: str) -> tuple[str, ...]:
        # Longest first, so "ngày cập nhật" wins over "cập nhật".
        return tuple(sorted((fold(w) for w in raw[key]), key=len, reverse=True))

    return _Layout(
        section_headers=frozenset(fold(w) for w in raw["section_headers"]),
        date_labels=words("date_labels"),
        date_line_words=words("date_line_words"),
        time_joiners=frozenset(fold(w) for w in raw["time_joiners"]),
        stamp_prefixes=words("stamp_prefixes"),
        trailing_furniture=words("trailing_furniture"),
        byline_prefixes=words("byline_prefixes"),
    )


def _fold_line(line: str) -> str:
    """:func:`~kg.text.fold` for a line :func:`parse_page` has already normalized, without normalizing
    it again (or filling the word cache of :func:`~kg.text.fold_normalized` with whole lines).

    >>> _fold_line("Ngày  Đăng: 3/8") == fold("ngày đăng: 3/8")
    True
    """
    return " ".join(line.casefold().split())


# ------------------------------------------------------------------- dates

_NUMERIC_DATE = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})"
_ISO_DATE = r"(?P<iy>(?:19|20)\d{2})-(?P<im>\d{2})-(?P<id>\d{2})"
_WORDED_DATE = worded_date("wd", "wm", "wy")
_DATE = re.compile(rf"(?<!\d)(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_WORDED_DATE})(?!\d)", re.IGNORECASE)
_TIME = re.compile(r"(?<!\d)(?P<h>[01]?\d|2[0-3])\s*[:h]\s*(?P<min>[0-5]\d)(?:\s*:\s*[0-5]\d)?(?!\d)")
_TIME_NEAR = 12  # at most this many characters between a date and its time


def _date_of(match: re.Match[str]) -> date | None:
    g = match.groupdict()
    if g["iy"]:
        parts = (g["iy"], g["im"], g["id"])
    elif g["y"]:
        parts = (g["y"], g["m"], g["d"])
    else:
        parts = (g["wy"], g["wm"], g["wd"])
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _time_near(line: str, match: re.Match[str]) -> tuple[time | None, str]:
    """The time stamp printed next to a date, and the line without either."""
    for t in _TIME.finditer(line):
        if t.start() < match.end() and t.end() > match.start():
            continue  # digits of the date itself
        gap = line[t.end() : match.start()] if t.end() <= match.start() else line[match.end() : t.start()]
        gap_words = re.sub(r"[\s,|\-–()\[\]]+", " ", gap).split()
        if len(gap) <= _TIME_NEAR and all(fold_normalized(w) in _layout().time_joiners for w in gap_words):
            rest = line.replace(t.group(), " ").replace(match.group(), " ")
            return time(int(t["h"]), int(t["min"])), rest
    return None, line.replace(match.group(), " ")


def _is_stamp_residue(rest: str) -> bool:
    """True when what is left of a line besides its date is only labels and furniture."""
    text = _fold_line(rest)
    for word in (*_layout().date_labels, *_layout().date_line_words):
        text = text.replace(word, " ")
    leftover = re.sub(r"[\d\W_]+", " ", text).split()
    return len(leftover) <= 2


def find_published(line: str) -> date | datetime | None:
    """The publication date a page prints on one header line, if the line is a date stamp.

    A date counts when it is labelled ("Ngày đăng"), carries a time of day, is
    alone on its line, or closes a title in brackets; a date inside a sentence
    ("Ngày 16/7/2020, tại Hội trường ...") or a bracketed span of years
    ("(3/2/1930 - 3/2/2025)") does not.

    >>> find_published("Ngày đăng 15/09/2020 | 11:04  | Lượt xem: 224")
    datetime.datetime(2020, 9, 15, 11, 4, tzinfo=datetime.timezone(datetime.timedelta(seconds=25200)))
    >>> find_published("Thứ Hai, ngày 15 tháng 9 năm 2020")
    datetime.date(2020, 9, 15)
    >>> find_published("Ngày 16/7/2020, tại Hội trường Trung đoàn 280 Đảng ủy phường tổ chức học tập") is None
    True
    >>> find_published("Kỷ niệm ngày thành lập Hội (12/5/1960 - 12/5/2020)") is None
    True
    """
    stamp = _stamp_of(normalize(line))
    return stamp[0] if stamp else None


def _closes_in_brackets(line: str, match: re.Match[str]) -> bool:
    """True when ``match`` sits in the bracketed span that ends ``line`` ("Title (3/8/2022)").

    >>> _closes_in_brackets("Tin (ngày 3/8/2022) ", _DATE.search("Tin (ngày 3/8/2022) "))
    True
    >>> _closes_in_brackets("(3/8/2022) và (4/8)", _DATE.search("(3/8/2022) và (4/8)"))
    False
    """
    tail = line.rstrip()
    if not tail.endswith(")"):
        return False
    before, after = line[: match.start()], tail[match.end() : -1]
    opened = before.rfind("(")
    return opened >= 0 and ")" not in before[opened:] and "(" not in after and ")" not in after


# A page's header lines are looked at up to three times (the stamp, the title, the title
# without its stamp): remember the last few answers rather than parse the dates again.
@lru_cache(maxsize=256)
def _stamp_of(line: str) -> tuple[date | datetime, bool] | None:
    """The date a stamp line (normalized) prints, and whether a label says it is the publication date."""
    folded = _fold_line(line)
    labelled = any(folded.startswith(label) for label in _layout().date_labels)
    dates = list(_DATE.finditer(line))
    for match in dates:
        day = _date_of(match)
        if day is None:
            continue
        clock, rest = _time_near(line, match)
        bracketed = len(dates) == 1 and _closes_in_brackets(line, match)
        if labelled or clock is not None or bracketed or _is_stamp_residue(rest):
            if clock is None:
                return day, labelled
            return datetime.combine(day, clock, tzinfo=VIETNAM_TIME), labelled
    return None


_MONTH_STAMP = re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})(?![\d-])")


def split_lead_stamp(line: str) -> tuple[date | datetime, str, bool] | None:
    """A metadata stamp glued to the front of a lead sentence ("date 2025-11-02 Ngày 2/11, ..."):
    the date, and the sentence without the stamp.

    A stamp that gives only a month ("date 2024-03") is returned as that month's first day,
    marked as not a full date.

    >>> split_lead_stamp("date 2024-03-05 Sáng 4/3, Huyện ủy tổ chức hội nghị.")
    (datetime.date(2024, 3, 5), 'Sáng 4/3, Huyện ủy tổ chức hội nghị.', True)
    >>> split_lead_stamp("date 2024-03 Sáng 4/3, Huyện ủy tổ chức hội nghị.")
    (datetime.date(2024, 3, 1), 'Sáng 4/3, Huyện ủy tổ chức hội nghị.', False)
    """
    stripped = line.lstrip()
    folded = _fold_line(stripped)
    for label in _layout().stamp_prefixes:
        if not folded.startswith(label) or stripped[len(label) : len(label) + 1] not in (" ", ":"):
            continue
        rest = stripped[len(label) :].lstrip(" :")
        match = _DATE.match(rest)
        day = _date_of(match) if match else None
        if match is not None and day is not None:
            rest = rest[match.end() :].lstrip()
            clock = _TIME.match(rest)
            return day, rest[clock.end() if clock else 0 :].strip(" |-"), True
        month = _MONTH_STAMP.match(rest)
        if month is not None and 1 <= int(month["m"]) <= 12:
            return date(int(month["y"]), int(month["m"]), 1), rest[month.end() :].strip(" |-"), False
        return None
    return None


def _strip_stamp(line: str) -> str:
    """A title line without the bracketed date stamp some sites append to it."""
    return re.sub(r"\s*\([^()]*\d{4}[^()]*\)\s*$", "", line).strip()


# ----------------------------------------------------------- title, byline


def _is_section_header(line: str) -> bool:
    """A site's section name: a listed one, a line of one or two words, or a short line
    in lower case ("công tác đảng"). A title may start with a number ("215 đại biểu ...")."""
    folded = _fold_line(line).strip(" :|-")
    if folded in _layout().section_headers:
        return True
    words = line.split()
    letters = [c for c in words[0] if c.isalpha()] if words else []
    starts_lower = bool(letters) and letters[0].islower()
    return len(words) < 3 or (starts_lower and len(words) <= SECTION_HEADER_WORDS)


def _is_banner(line: str) -> bool:
    """An event ticker set in capitals, its items between asterisks ("BẢN TIN * ... * ...")."""
    if "*" not in line:
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_sentence(line: str) -> bool:
    """A line of running text, which is never page furniture."""
    return len(line.split()) >= 8 and line.rstrip()[-1:] in '.!?…"”' and not _is_banner(line)


def _is_breadcrumb(line: str) -> bool:
    """A site's path ("Trang chủ > Tin tức") or a section set in capitals, often printed twice."""
    if re.search(r"\s[>»›]\s", line) or (line.count(" / ") >= 1 and len(line.split()) < 12):
        return True
    if not line.isupper():  # a quick no: some letter is in lower case, or none has a case
        return False
    letters = [c for c in line if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return False
    words = line.split()
    half = len(words) // 2
    return len(words) % 2 == 0 and words[:half] == words[half:]


def _title_candidates(lines: list[str]) -> list[tuple[int, str]]:
    candidates = []
    for i, line in enumerate(lines[:HEADER_LINES]):
        title = _strip_stamp(line) if _stamp_of(line) else line
        if (
            title
            and not _stamp_of(title)
            and not _is_section_header(title)
            and not _is_breadcrumb(title)
            and not _is_banner(title)
        ):
            candidates.append((i, title))
    return candidates


def _find_title(lines: list[str], stamp_at: int | None) -> tuple[int, str] | None:
    """Index and text of the title.

    Pages print the title just above their date stamp, or, when the stamp
    comes first or is missing, as the first line that is not site furniture.
    """
    candidates = _title_candidates(lines)
    if stamp_at is not None:
        before = [c for c in candidates if c[0] <= stamp_at]
        if before:
            return before[-1]
    return candidates[0] if candidates else None


def _is_furniture(line: str) -> bool:
    folded = _fold_line(line)
    if any(folded.startswith(prefix) for prefix in _layout().byline_prefixes if prefix.endswith(":")):
        return False
    if (folded.endswith(":") and len(folded.split()) <= FURNITURE_LABEL_WORDS) or re.search(
        r"\bảnh\s*:", folded
    ):
        return True
    return any(
        folded == w or folded.startswith((w + " ", w + ":", w + "(")) for w in _layout().trailing_furniture
    )


def _as_byline(line: str) -> str | None:
    text = line.strip()
    folded = _fold_line(text)
    prefixed = False
    for prefix in _layout().byline_prefixes:
        if folded.startswith(prefix + " ") or (prefix.endswith(":") and folded.startswith(prefix)):
            text, prefixed = text[len(prefix) :].strip(" :"), True
            break
    words = text.split()
    if not words or len(words) > 6 or text.endswith((".", ",", ";", "!", "?", "…")):
        return None
    capitalized = all(w[0].isupper() or not w[0].isalpha() for w in words)
    return text if capitalized or prefixed else None


def _find_byline(lines: list[str], start: int) -> tuple[int, str | None]:
    """Where the body ends, and the byline found just before the page furniture."""
    end = len(lines)
    while end > start and len(lines) - end < FOOTER_LINES and _is_furniture(lines[end - 1]):
        end -= 1
    if end > start + 1:
        byline = _as_byline(lines[end - 1])
        if byline:
            return end - 1, byline
    return end, None


def parse_page(raw: str) -> PageParts:
    """Split the raw text of a news page into title, date, byline and body.

    >>> page = parse_page("công tác đảng\\n\\nĐảng ủy xã Tân Lập tổ chức hội nghị sơ kết\\n"
    ...                   "Ngày đăng 03/08/2022 | 09:15\\n\\nSáng 2/8, Đảng ủy xã tổ chức hội nghị.\\n\\nMinh Anh")
    >>> page.title, page.published.date().isoformat(), page.byline
    ('Đảng ủy xã Tân Lập tổ chức hội nghị sơ kết', '2022-08-03', 'Minh Anh')
    """
    lines = [line for line in normalize(raw).split("\n") if line.strip()]
    if not lines:
        raise ValueError("no text")
    stamp_at, published = _find_stamp(lines)
    lead = split_lead_stamp(lines[0])
    month: date | None = None
    if lead is not None:
        stamp, rest, full = lead
        if full:
            published, stamp_at = stamp, None
        else:
            month = stamp if isinstance(stamp, date) else None
        lines = [rest, *lines[1:]] if rest else lines[1:]
        if not lines:
            raise ValueError("no text")
    found = _find_title(lines, stamp_at)
    title_at, title = found if found else (-1, "")
    header_end = max(title_at, stamp_at if stamp_at is not None else -1) + 1
    if published is None:
        for line in lines[-FOOTER_LINES:]:
            if any(_fold_line(line).startswith(label) for label in _layout().date_labels):
                footer = _stamp_of(line)
                if footer:
                    published = footer[0]
                    break
    body_end, byline = _find_byline(lines, header_end)
    # Running text above the title is a lead the page printed first, not furniture.
    prelude = [line for line in lines[: max(title_at, 0)] if _is_sentence(line)]
    body = "\n".join(_join_wrapped([*prelude, *lines[header_end:body_end]]))
    if not title:
        title = _first_sentence(body)
    return PageParts(title=title, body=body, published=published, byline=byline, month=month)


def _find_stamp(lines: list[str]) -> tuple[int | None, date | datetime | None]:
    """The header line with the publication date: a labelled stamp before any other."""
    found: list[tuple[int, date | datetime, bool]] = []
    for i, line in enumerate(lines[:HEADER_LINES]):
        stamp = _stamp_of(line)
        if stamp is not None:
            found.append((i, *stamp))
    if not found:
        return None, None
    labelled = [f for f in found if f[2]]
    at, day, _ = (labelled or found)[0]
    return at, day


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines of a paragraph wrapped at a fixed width, joined again: a line that ends
    without punctuation, followed by one that starts in lower case, goes on with it.

    >>> _join_wrapped(["Ông Lê Văn An, Phó Bí", "thư Huyện ủy dự.", "Ảnh: Minh"])
    ['Ông Lê Văn An, Phó Bí thư Huyện ủy dự.', 'Ảnh: Minh']
    """
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1][-1:].isalnum() and line[:1].islower():
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- sources


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what text files do not hold


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192]:
        raise ArticleError(source, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            source, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    if not text.strip():
        raise ArticleError(source, "empty article")
    controls = len(_CONTROL_CHARACTERS.findall(text))
    if controls > max(8, len(text) // 100):
        raise ArticleError(source, "binary file, not text")
    return text


def _from_text(raw: str, identifier: str, source: str) -> Article:
    try:
        page = parse_page(raw)
    except ValueError as exc:
        raise ArticleError(source, str(exc)) from exc
    return Article(
        identifier=identifier,
        title=page.title,
        body=page.body,
        published=page.published,
        byline=page.byline,
        source=source,
        month=page.month,
    )


def _parse_published(value: object, source: str) -> date | datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        found = find_published(text)
        if found is None:
            raise ArticleError(source, f"cannot read 'published' value {text!r}") from None
        return found
    if len(text) <= 10:
        return stamp.date()
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=VIETNAM_TIME)


def _from_record(record: object, fallback_id: str, source: str) -> Article:
    if not isinstance(record, dict):
        raise ArticleError(source, "a record must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError(source, "record has no 'text'")
    page = parse_page(text)
    title = normalize(str(record.get("title") or "")).strip() or page.title
    published = _parse_published(record.get("published"), source) or page.published
    identifier = str(record.get("id") or fallback_id)
    url = record.get("url")
    body = (
        page.body
        if not record.get("title")
        else "\n".join(line for line in normalize(text).split("\n") if line.strip() and line.strip() != title)
    )
    return Article(
        identifier=identifier,
        title=title,
        body=body,
        published=published,
        byline=page.byline,
        url=str(url) if url else None,
        source=source,
    )


def _read_json(path: Path, text: str) -> Iterator[Article | ArticleError]:
    if path.suffix == ".jsonl":
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                yield _from_record(json.loads(line), f"{path.name}:{number}", where)
            except json.JSONDecodeError as exc:
                yield ArticleError(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            except ArticleError as exc:
                yield exc
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ArticleError(str(path), f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        where = str(path) if len(records) == 1 else f"{path}[{index}]"
        try:
            yield _from_record(record, path.stem if len(records) == 1 else f"{path.name}#{index}", where)
        except ArticleError as exc:
            yield exc


def article_suffix(path: Path) -> str | None:
    """The suffix that says how to read ``path`` (``.warc.gz`` is one), or None for other files."""
    name = path.name.lower()
    return next((suffix for suffix in _LONGEST_FIRST if name.endswith(suffix)), None)


def read_path(path: Path) -> Iterator[Article | ArticleError]:
    """Every article in one file, or the errors that stopped it being read."""
    source = str(path)
    suffix = article_suffix(path)
    if suffix is None:
        yield ArticleError(
            source,
            f"unsupported file type {path.suffix or '(none)'!r}; "
            f"expected one of {', '.join(ARTICLE_SUFFIXES)}",
        )
        return
    if suffix in WARC_SUFFIXES:
        yield from _read_warc(path)
        return
    try:
        data = path.read_bytes()
        if suffix in HTML_SUFFIXES:
            yield page_from_html(data, path.name, source)
            return
        text = _decode(data, source)
    except OSError as exc:
        yield ArticleError(source, exc.strerror or str(exc))
        return
    except ArticleError as exc:
        yield exc
        return
    if suffix == ".txt":
        try:
            yield _from_text(text, path.name, source)
        except ArticleError as exc:
            yield exc
    else:
        yield from _read_json(path, text)


def page_from_html(html: bytes | str, identifier: str, source: str, url: str | None = None) -> Article:
    """An article from a saved web page: its main text, title, date and author as trafilatura
    finds them in the page's metadata and body (a date stamp in the text when the metadata has
    none)."""
    import trafilatura  # only HTML needs it: imported when a page is read

    try:
        found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # a page trafilatura cannot parse is one bad record, not a crash
        raise ArticleError(source, f"cannot read the page: {exc!r}") from exc
    if found is None or isinstance(found, dict) or not (found.text or "").strip():
        raise ArticleError(source, "no article text in the page")
    title = normalize(found.title or "").strip()
    lines = [line for line in normalize(found.text or "").split("\n") if line.strip()]
    if title and lines and lines[0].strip() == title:
        lines = lines[1:]  # the page's heading, which trafilatura keeps in the text
    if not lines or (not title and len(lines) < 2):
        raise ArticleError(source, "no article text in the page, only a heading or a menu")
    page = parse_page("\n".join([title, *lines]) if title else "\n".join(lines))
    published = _parse_published(found.date, source) if found.date else page.published
    return Article(
        identifier=identifier,
        title=title or page.title,
        body=page.body,
        published=published,
        byline=found.author or page.byline,
        url=url or found.url,
        source=source,
        month=page.month,
    )


def _read_warc(path: Path) -> Iterator[Article | ArticleError]:
    """Each HTML response of a WARC (or WARC.gz) crawl archive, with its URL as the source."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                # warcio reads any text as an old ARC record: only WARC records count.
                records += 1 if record.format == "warc" else 0
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower() or record.http_headers.get_statuscode() != "200":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#{number} {url}"
                try:
                    yield page_from_html(
                        record.content_stream().read(), url or f"{path.name}#{number}", where, url
                    )
                except ArticleError as exc:
                    yield exc
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield ArticleError(str(path), f"cannot read the WARC archive: {exc}")
        return
    if records == 0:
        yield ArticleError(str(path), "cannot read the WARC archive: no WARC record in it")


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read: each file as given, each folder's article files, recursively, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and article_suffix(p) is not None)
        else:
            yield path


def read_articles(paths: Iterable[Path]) -> Iterator[Article | ArticleError]:
    """Read files and folders (recursively, ``.txt``/``.json``/``.jsonl``) in a stable order."""
    for path in expand_paths(paths):
        yield from read_path(path)
