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

__all__ = ["fold", "normalize", "normalize_tone_placement"]

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
# Letters that may carry a diacritic other than a tone (circumflex, breve, horn).
_SYLLABLE = re.compile(r"[^\W\d_]+")
_OPEN_PAIRS = ("oa", "oe", "uy")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _move_tone(word: str) -> str:
    """Put the tone mark of an open ``oa``/``oe``/``uy`` syllable on its first vowel."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) != 1:
        return word
    bare = "".join(c for c in decomposed if c not in _TONE_MARKS)
    base = unicodedata.normalize("NFC", bare)
    lower = base.lower()
    if not lower.endswith(_OPEN_PAIRS) or lower.endswith(("qua", "que", "quy")):
        return word
    # The pair's two letters must be plain (no circumflex/breve/horn): "hoà" yes, "thuở" no.
    if len(base) < 2 or any(not base[i].isascii() for i in (-2, -1)):
        return word
    first = len(base) - 2
    rebuilt = base[: first + 1] + tones[0] + base[first + 1 :]
    return unicodedata.normalize("NFC", rebuilt)


def normalize_tone_placement(text: str) -> str:
    """Write every open ``oa``/``oe``/``uy`` syllable with the tone on its first vowel.

    >>> normalize_tone_placement("Quận uỷ, hoà bình, khoẻ mạnh, quý, Hoàng, Thuỷ")
    'Quận ủy, hòa bình, khỏe mạnh, quý, Hoàng, Thủy'
    """
    return _SYLLABLE.sub(lambda m: _move_tone(m.group()), text)


def normalize(text: str) -> str:
    """NFC, one tone-mark convention, ordinary spaces, no stray control characters.

    Line breaks are kept: the article reader needs them.

    >>> normalize("Qua\u0323\u0302n uy\u0309\u00a0 Đống Đa") == "Quận ủy Đống Đa"
    True
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return normalize_tone_placement(text)


def fold(text: str) -> str:
    """A case-folded, normalized key for comparing names ("Quận Uỷ" == "quận ủy").

    >>> fold("Quận  Uỷ") == fold("quận ủy")
    True
    """
    return " ".join(normalize(text).casefold().split())
