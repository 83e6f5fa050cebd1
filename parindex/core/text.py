"""Text as a search compares it: Vietnamese without diacritics, case or repeated spaces.

Officials type names the way their keyboard allows ("tu phap", "TU PHAP", "Tư  pháp"); every
search over unit names folds both sides with ``fold`` and compares the results.
"""

from __future__ import annotations

import unicodedata

# "đ" is a letter of its own, not "d" with a combining mark: NFD does not split it.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Return ``text`` without diacritics, in lower case, with single spaces, for comparing.

    "Sở Tư pháp" → "so tu phap"; "Đống  Đa" → "dong da".
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())
