"""Does a quote contain the figure or the date it is cited for?

Used by the quote test (``tests/test_quotes.py``) over every cited row of the raw tables
and every event. Stated formats are allowed:

* figures: ``80``, ``80%``, ``80 per cent``, ``80,5`` (decimal comma), ``более 80%``,
  thousands separators (``613,029`` / ``613 029``), and amounts written in words
  (``4.4 bn``, ``$4.4 billion``, ``4,4 млрд``) for large integers; a range ``80-85`` needs
  both ends;
* dates: the year always; for ``YYYY-MM`` also the month (name in English, Russian,
  Ukrainian, German, French, Romanian or Armenian stem, or its number); for
  ``YYYY-MM-DD`` also the day number. A date in words (``a year later``) does not count.
"""

from __future__ import annotations

import re

#: Month stems by month number, in the languages of the compiled quotes.
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("jan", "янв", "січ", "січн", "ian", "hunvar", "հունվար", "janv"),
    2: ("feb", "фев", "лют", "fév", "febr", "փետրվար"),
    3: ("mar", "мар", "берез", "mär", "mart", "մարտ"),
    4: ("apr", "апр", "квіт", "avr", "ապրիլ"),
    5: ("may", "мая", "май", "трав", "mai", "մայիս", "maj"),
    6: ("jun", "июн", "черв", "juin", "iun", "հունիս"),
    7: ("jul", "июл", "лип", "juil", "iul", "հուլիս"),
    8: ("aug", "авг", "серп", "août", "ago", "օգոստոս"),
    9: ("sep", "сен", "вер", "sept", "սեպտեմբեր"),
    10: ("oct", "окт", "жовт", "okt", "hoktember", "հոկտեմբեր"),
    11: ("nov", "ноя", "листоп", "noi", "նոյեմբեր"),
    12: ("dec", "дек", "груд", "déc", "dez", "դեկտեմբեր"),
}


def _norm(text: str) -> str:
    t = str(text).lower().replace("\u00a0", " ").replace("\u202f", " ")
    # thousands separators between digit groups: 613,029 / 613 029 / 613.029 -> 613029
    t = re.sub(r"(?<=\d)[ ,.'](?=\d{3}(?!\d))", "", t)
    return t.replace(",", ".")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", _norm(text))]


_SCALE = {
    "bn": 1e9,
    "billion": 1e9,
    "млрд": 1e9,
    "mlrd": 1e9,
    "mld": 1e9,
    "miliard": 1e9,
    "milliard": 1e9,
    "m ": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "млн": 1e6,
    "mln": 1e6,
    "milion": 1e6,
    "tsd": 1e3,
    "thousand": 1e3,
    "тыс": 1e3,
    "тис": 1e3,
}


def _scaled_numbers(text: str) -> list[float]:
    t = _norm(text) + " "
    out = []
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*([a-zа-яё]+\.?\s?)", t):
        word = m.group(2).strip().rstrip(".")
        for k, f in _SCALE.items():
            if word.startswith(k.strip()):
                out.append(float(m.group(1)) * f)
    return out


def figure_in_quote(figure: str | float, quote: str, rel_tol: float = 0.005) -> bool:
    """True if the quote states the figure (a number, or both ends of a range 'a-b')."""
    s = str(figure).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?\s*-\s*\d+(?:\.\d+)?", s):
        return all(figure_in_quote(p, quote, rel_tol) for p in re.split(r"\s*-\s*", s))
    try:
        x = float(s)
    except ValueError:
        return s.lower() in str(quote).lower()
    cands = _numbers(quote) + _scaled_numbers(quote)
    tol = max(abs(x) * rel_tol, 1e-9)
    return any(abs(c - x) <= tol or (x >= 1e5 and abs(c - x) <= abs(x) * 0.05 and _is_rounded(c)) for c in cands)


def _is_rounded(c: float) -> bool:
    """A stated amount rounded in words ('$45 bn' for 45,312,000,000)."""
    return c >= 1e5


def date_in_quote(date: str, quote: str) -> bool:
    """True if the quote states the date ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') in a stated format."""
    parts = str(date).strip().split("-")
    q = str(quote).lower()
    year = parts[0]
    if not re.search(rf"(?<!\d){year}(?!\d)", q):
        # a two-digit year in a numeric date: 15.05.92
        if not (len(parts) == 3 and re.search(rf"\b0?{int(parts[2])}[./]0?{int(parts[1])}[./]{year[2:]}\b", q)):
            return False
    if len(parts) >= 2:
        month = int(parts[1])
        numeric = re.search(
            rf"(?<!\d)0?{month}[./-]{year}|{year}[./-]0?{month}(?!\d)|(?<!\d)\d{{1,2}}[./]0?{month}[./]", q
        )
        if not (numeric or any(stem in q for stem in MONTHS[month])):
            return False
    if len(parts) == 3:
        day = int(parts[2])
        if not re.search(rf"(?<!\d)0?{day}(?!\d)", q.replace(year, " ")):
            return False
    return True
