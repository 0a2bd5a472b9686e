"""Numbers for reading: three significant digits, the language's decimal mark, no exponents.

The report rounds for the eye; the CSV beside it keeps the exact values.

>>> fmt(0.162712, "de"), fmt(0.162712, "en"), fmt(0.0264473, "de")
('0,163', '0.163', '0,0264')
>>> fmt(1716, "de"), fmt(1716, "en"), fmt(2.147, "de"), fmt(0.0, "en")
('1.716', '1,716', '2,15', '0')
>>> pct(0.8823, "de"), pct(0.8823, "en")
('88 %', '88%')
"""

from __future__ import annotations

import math

__all__ = ["fmt", "pct", "round_sig"]


def round_sig(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _group(whole: str, sep: str) -> str:
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sign + sep.join(parts)


def fmt(value: float | int | None, lang: str = "de") -> str:
    """A number as a reader sees it: counts whole, measures to 3 significant digits."""
    if value is None:
        return "–"
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    if isinstance(value, int) or (float(value).is_integer() and abs(value) >= 1):
        return _group(str(round(value)), thousands)
    value = float(value)
    if value == 0:
        return "0"
    rounded = round_sig(value)
    places = max(0, 2 - math.floor(math.log10(abs(rounded))))
    text = f"{rounded:.{places}f}"
    whole, _, frac = text.partition(".")
    out = _group(whole, thousands)
    return f"{out}{decimal}{frac}" if frac else out


def pct(share: float, lang: str = "de") -> str:
    """A share (0..1) as a whole percentage."""
    number = round(share * 100)
    return f"{number} %" if lang == "de" else f"{number}%"
