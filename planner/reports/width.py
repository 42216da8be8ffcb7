"""How many columns a text takes where every character has a fixed width (a console, a spreadsheet's column):
an East Asian wide character (Korean) as two, a dash, an arrow or a no-break space as one (counted as two, they
widened the English compare's and brief's columns)."""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=1 << 16)  # each text of a Korean report is measured once, not in every cell and fit
def display_width(text: str) -> int:
    return len(text) if text.isascii() else sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
