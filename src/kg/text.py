"""Text normalization: one spelling for every Vietnamese word before matching.

Pages mix Unicode forms (precomposed and combining marks) and two conventions
for placing the tone mark in the open syllables ``oa``, ``oe`` and ``uy``:
"uỷ"/"ủy", "hoà"/"hòa", "khoẻ"/"khỏe". Matching, identifiers and the gold
scorer must see them as one word, so everything goes through :func:`normalize`,
which returns NFC with the mark on the first vowel of those syllables (the
spelling of design/MODEL.md: "Quận ủy", "Ủy ban"). Syllables closed by a
consonant ("hoàng", "quyết") and "qu" onsets ("quý") keep their placement,
which is the same in both conventions.

:func:`collation_key` orders names and labels as a Vietnamese dictionary does.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

__all__ = [
    "collation_key",
    "fold",
    "fold_normalized",
    "is_normalized",
    "normalize",
    "normalize_tone_placement",
    "search_form",
]

# The tone on the second vowel of a word-final "oa", "oe" or "uy" ("hoà", "uỷ"),
# moved to the first ("hòa", "ủy"): vowel with tone -> (first vowel's tone, bare vowel).
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
_SECOND = {unicodedata.normalize("NFC", vowel + tone): (tone, vowel) for vowel in "aeyAEY" for tone in _TONES}
# No lookbehind at the front (it would run at every position): the pair and a
# "qu" onset are checked in _move_tone.
_OPEN_SYLLABLE = re.compile(r"([oOuU])([" + "".join(_SECOND) + r"])(?![^\W\d_])")
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Look-alikes some sites type: the Icelandic eth for the Vietnamese "Đ", and en, em and
# minus dashes where names, symbols and lists of roles use a hyphen ("Tuyên giáo – Dân vận").
_LOOK_ALIKES = str.maketrans(
    {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
)
_LOOK_ALIKE_CHARS = re.compile("[\u00d0\u00f0\u2013\u2014\u2212]")


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    tone, bare = _SECOND[second]
    pair_ok = (first in "oO" and bare in "aeAE") or (first in "uU" and bare in "yY")
    at = match.start()
    if not pair_ok or (at >= 1 and match.string[at - 1] in "qQ"):
        return match.group()
    return unicodedata.normalize("NFC", first + tone) + bare


def normalize_tone_placement(text: str) -> str:
    """Write every open ``oa``/``oe``/``uy`` syllable with the tone on its first vowel.

    Expects NFC text.

    >>> normalize_tone_placement("Quận uỷ, hoà bình, khoẻ mạnh, quý, Hoàng, Thuỷ, HOÀ")
    'Quận ủy, hòa bình, khỏe mạnh, quý, Hoàng, Thủy, HÒA'
    """
    return _OPEN_SYLLABLE.sub(_move_tone, text)


_ODD_SPACES = re.compile(r"[\r\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def is_normalized(text: str) -> bool:
    """True when :func:`normalize` would return ``text`` unchanged (checked in C, no copy).

    >>> is_normalized("Quận ủy Đống Đa"), is_normalized("Quận uỷ Đống Đa")
    (True, False)
    """
    return (
        unicodedata.is_normalized("NFC", text)
        and all(_move_tone(m) == m.group() for m in _OPEN_SYLLABLE.finditer(text))
        and not _CONTROLS.search(text)
        and not _LOOK_ALIKE_CHARS.search(text)
        and not _ODD_SPACES.search(text)
        and not any(pair in text for pair in ("  ", " \n", "\n "))
        and text == text.strip(" ")
    )


def normalize(text: str) -> str:
    """NFC, one tone-mark convention, ordinary spaces and hyphens, no stray control characters.

    Line breaks are kept: the article reader needs them.

    >>> normalize("Qua\u0323\u0302n uy\u0309\u00a0 Đống Đa") == "Quận ủy Đống Đa"
    True
    >>> normalize("\u00d0ảng bộ, 2020 \u2013 2025")
    'Đảng bộ, 2020 - 2025'
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _LOOK_ALIKE_CHARS.search(text):  # translate looks every character up in a dict: only when needed
        text = text.translate(_LOOK_ALIKES)
    text = _CONTROLS.sub("", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return normalize_tone_placement(text)


def fold(text: str) -> str:
    """A case-folded, normalized key for comparing names ("Quận Uỷ" == "quận ủy").

    >>> fold("Quận  Uỷ") == fold("quận ủy")
    True
    """
    return " ".join(normalize(text).casefold().split())


@functools.lru_cache(maxsize=16384)  # the same few thousand words and names, article after article
def fold_normalized(text: str) -> str:
    """:func:`fold` for text already through :func:`normalize` (the pipeline's hot path).

    >>> fold_normalized("Quận  Ủy") == fold("Quận Uỷ")
    True
    """
    return " ".join(text.casefold().split())


@functools.lru_cache(maxsize=16384)
def search_form(text: str) -> str:
    """What a search matches on: no tone or vowel marks, no case, "d" for d with stroke.

    >>> search_form("\u0110\u1ed0NG \u0110A") == search_form("dong da") == "dong da"
    True
    """
    bare = _without_marks(unicodedata.normalize("NFD", fold(text)))
    return bare.replace("\u0111", "d")  # d with stroke is no combining mark: decomposition keeps it


def _without_marks(text: str) -> str:
    """``text`` without its combining marks, matched in C (testing each character in Python made
    re-indexing an archive's sentences slow). Marks outside the Basic Multilingual Plane, which
    the regex engine matches slowly, are looked for only in text that has such characters."""
    common, rare, beyond = _combining_marks()
    text = common.sub("", text)
    return rare.sub("", text) if beyond.search(text) else text


@functools.cache
def _combining_marks() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    marks = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
    common = "".join(re.escape(m) for m in marks if m <= "\uffff")
    rare = "".join(re.escape(m) for m in marks if m > "\uffff")
    return re.compile(f"[{common}]+"), re.compile(f"[{rare}]+"), re.compile("[\U00010000-\U0010ffff]")


# Vietnamese alphabetical order, with the f, j, w and z of foreign words in their Latin places:
# a letter with a breve, circumflex, horn or stroke is a letter of its own ("đ" after "d").
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Dictionary order of the tones, which only order words that are otherwise the same.
_TONE_ORDER = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, grave, hook, tilde, acute, dot


def _collation_tables() -> tuple[dict[int, str], dict[int, str]]:
    """Each lower-case letter, with any tone, to a stand-in character whose code point gives
    its place in the alphabet (a private-use range above every other character), and to the
    digit of its tone. Other accented Latin letters ("ç", "ö") go with their base letter."""
    letters: dict[int, str] = {}
    tones: dict[int, str] = {}
    for rank, letter in enumerate(_ALPHABET):
        for digit, tone in enumerate(_TONE_ORDER):
            char = unicodedata.normalize("NFC", letter + tone)
            if len(char) == 1:  # else no character has that letter and tone (a consonant's)
                letters[ord(char)] = chr(0xF0000 + rank)
                tones[ord(char)] = str(digit)
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0]
        if code not in letters and base in _ALPHABET and len(chr(code).casefold()) == 1:
            letters[code] = letters[ord(base)]
            tones[code] = str(len(_TONE_ORDER))
    return letters, tones


_LETTER_OF, _TONE_OF = _collation_tables()


@functools.lru_cache(maxsize=1 << 16)
def collation_key(text: str) -> str:
    """A sort key in Vietnamese alphabetical order: letters, then tones, then the text itself.

    Code-point order would put "Đảng ủy" and "Ủy ban" after every name from A to Z.
    As in ICU's sort keys, the three levels are joined by a separator below every character
    of the text, so that comparing keys is one string comparison. Cached: list pages sort
    the same labels again and again.

    >>> sorted(["Ủy ban", "Đảng ủy", "Dân vận", "Ban", "Ưng", "Uông"], key=collation_key)
    ['Ban', 'Dân vận', 'Đảng ủy', 'Uông', 'Ủy ban', 'Ưng']
    >>> sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=collation_key)
    ['ma', 'mà', 'mả', 'mã', 'má', 'mạ']
    >>> sorted(["Françoise", "Francis", "Zoé", "Ân", "an"], key=collation_key)
    ['an', 'Ân', 'Francis', 'Françoise', 'Zoé']
    """
    folded = unicodedata.normalize("NFC", _CONTROLS.sub("", text).casefold())
    return f"{folded.translate(_LETTER_OF)}\x00{folded.translate(_TONE_OF)}\x00{text}"
