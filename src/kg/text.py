"""Text normalization: one spelling for every Vietnamese word before matching.

Pages mix Unicode forms (precomposed and combining marks) and two conventions
for placing the tone mark in the open syllables ``oa``, ``oe`` and ``uy``:
"uỷ"/"ủy", "hoà"/"hòa", "khoẻ"/"khỏe". Matching, identifiers and the gold
scorer must see them as one word, so everything goes through :func:`normalize`,
which returns NFC with the mark on the first vowel of those syllables (the
spelling of design/MODEL.md: "Quận ủy", "Ủy ban"). Syllables closed by a
consonant ("hoàng", "quyết") and "qu" onsets ("quý") keep their placement,
which is the same in both conventions.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_normalized", "is_normalized", "normalize", "normalize_tone_placement"]

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
        and not _ODD_SPACES.search(text)
        and not any(pair in text for pair in ("  ", " \n", "\n "))
        and text == text.strip(" ")
    )


def normalize(text: str) -> str:
    """NFC, one tone-mark convention, ordinary spaces, no stray control characters.

    Line breaks are kept: the article reader needs them.

    >>> normalize("Qua\u0323\u0302n uy\u0309\u00a0 Đống Đa") == "Quận ủy Đống Đa"
    True
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROLS.sub("", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return normalize_tone_placement(text)


def fold(text: str) -> str:
    """A case-folded, normalized key for comparing names ("Quận Uỷ" == "quận ủy").

    >>> fold("Quận  Uỷ") == fold("quận ủy")
    True
    """
    return " ".join(normalize(text).casefold().split())


def fold_normalized(text: str) -> str:
    """:func:`fold` for text already through :func:`normalize` (the pipeline's hot path).

    >>> fold_normalized("Quận  Ủy") == fold("Quận Uỷ")
    True
    """
    return " ".join(text.casefold().split())
