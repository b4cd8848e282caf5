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


#: Small numbers written in words (English, German, Russian), replaced by digits before parsing.
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "двух": 2,
    "два": 2,
    "трёх": 3,
    "трех": 3,
    "трëх": 3,
    "три": 3,
    "четырёх": 4,
    "четыре": 4,
    "пяти": 5,
    "пять": 5,
}


def _norm(text: str) -> str:
    t = str(text).lower().replace("\u00a0", " ").replace("\u202f", " ")
    t = re.sub(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", lambda m: str(NUMBER_WORDS[m.group(1)]), t)
    # thousands separators between digit groups: 613,029 / 613 029 / 613.029 -> 613029
    t = re.sub(r"(?<=\d)[ ,.'](?=\d{3}(?!\d))", "", t)
    return t.replace(",", ".")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", _norm(text))]


#: Figures stated in words: value -> phrases (any language of the quotes) that state it.
WORDS: dict[float, tuple[str, ...]] = {
    0.0: (
        "no longer",
        "stopped",
        "stop ",
        "halted",
        "complete halt",
        "suspended",
        "ceased",
        "ban ",
        "banned",
        "not a single",
        "completely stopped",
        "kein",
        "nem vásárol",
        "не ",
        "no russian",
        "none",
        "zero",
        "transferred to the transnistria",
    ),
    100.0: (
        "all ",
        "only from russia",
        "только у",
        "только из росси",
        "exclusively",
        "entire",
        "монополист",
        "баары",
        "depend on russia for all",
        "all their",
        "100%",
        "100 per",
    ),
    50.0: ("half", "половин"),
    66.7: ("two-thirds", "two thirds", "две трети"),
    25.0: ("a quarter", "one quarter", "четверть"),
}

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
    if re.fullmatch(r"\d+(?:\.\d+)?\s+of\s+\d+(?:\.\d+)?", s):  # a ratio kept as written: '5.7 of 8.06'
        return all(figure_in_quote(p, quote, rel_tol) for p in s.split(" of "))
    if re.fullmatch(r"\d+(?:\.\d+)?\s*-\s*\d+(?:\.\d+)?", s):
        return all(figure_in_quote(p, quote, rel_tol) for p in re.split(r"\s*-\s*", s))
    try:
        x = float(s)
    except ValueError:
        return s.lower() in str(quote).lower()
    q = " " + str(quote).lower() + " "
    for v, phrases in WORDS.items():
        if abs(x - v) < 0.05 and any(p in q for p in phrases):
            return True
    cands = _numbers(quote) + _scaled_numbers(quote) + _compound_numbers(quote)
    # a figure kept in another unit of the same quantity (tonnes vs million tonnes, mcm vs bcm)
    cands += [c * f for c in _numbers(quote) for f in (1e-9, 1e-6, 1e-3, 1e3, 1e6, 1e9)]
    tol = max(abs(x) * rel_tol, 1e-9)
    return any(abs(c - x) <= tol for c in cands)


_BIG = r"(?:billion|bn|млрд|миллиард\w*|միլիարդ)"
_MID = r"(?:million|mln|млн|миллион\w*|միլիոն\w*)"


def _compound_numbers(text: str) -> list[float]:
    """Amounts written as 'X billion Y million' (e.g. '2 միլիարդ 966 միլիոն'): in millions and in units."""
    out = []
    for a, b in re.findall(rf"(\d+)\s*{_BIG}\s*(\d+)\s*{_MID}", _norm(text)):
        out += [int(a) * 1000 + int(b), (int(a) * 1000 + int(b)) * 1e6]
    return out


def date_supported(date: str, quote: str, title: str = "", url: str = "") -> bool:
    """The date of a cited row is stated by its quote or by the page's own dateline.

    The dateline is the date in the title, e.g. "(RFE/RL, 2013-11-29)", or a dated URL path
    such as ``/2014/06/`` or ``/2024-09-17/`` (a quote saying "on 27 June" gets its year
    there). Every part the row claims (year; month; day) must be stated somewhere in them.
    """
    url_dates = " ".join(
        "-".join(p for p in m if p)
        for m in re.findall(r"[/-]((?:19|20)\d\d)[/-](?:(\d\d)[/-])?(?:(\d\d)\b)?", str(url))
    )
    return date_in_quote(str(date), f"{quote} {title} {url_dates}")


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
