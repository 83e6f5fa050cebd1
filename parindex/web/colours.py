"""Readable text on a colour that is data (a grade band's colour, set per period and group)."""

import re

HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
FALLBACK = "#777777"
DARK_INK = "#000000"
LIGHT_INK = "#ffffff"


def _luminance(colour: str) -> float:
    """Return the WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """Return the WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def band_colours(colour: str | None) -> tuple[str, str]:
    """Return (background, text) for a badge: the band's colour and whichever of black or white
    reads better on it (at least 4.58:1 for any background)."""
    background = colour if colour and HEX.match(colour) else FALLBACK
    ink = max((LIGHT_INK, DARK_INK), key=lambda candidate: contrast(background, candidate))
    return background, ink
