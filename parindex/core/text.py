"""Text as people type and read it: names as a search compares them, dates as written.

Officials type names the way their keyboard allows ("tu phap", "TU PHAP", "Tư  pháp"); every
search over unit names folds both sides with ``fold`` and compares the results. A date outside
the templates (workbooks, titles, messages) is written by ``day_text``, the way it is typed back.
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


def day_text(day) -> str:
    """Return a date as written and typed in Việt Nam: "01/07/2025"."""
    return f"{day:%d/%m/%Y}"
