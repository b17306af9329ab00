"""Parse French date expressions at their true precision.

Handles "mercredi 4 décembre 2019", "1er octobre 2018", "décembre 2013",
"printemps 2016", "fin 2013", "2017-2018", "juin-juillet 2016",
"prévue en avril 2020", "2019-12-04". Nothing is filled in from today's date:
a month stays a month, a year a year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .text import fold

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Parts of a year quoted instead of a month; kept as a qualifier of a year.
QUALIFIERS = {
    "printemps": "printemps", "ete": "été", "automne": "automne", "hiver": "hiver",
    "debut": "début", "fin": "fin", "mi": "mi", "courant": "courant", "milieu": "milieu",
    "premier semestre": "premier semestre", "second semestre": "second semestre",
    "deuxieme semestre": "second semestre", "rentree": "rentrée",
}
PLANNED_CUES = ("prevu", "prevue", "prevues", "prevus", "envisage", "envisagee", "a venir",
                "projet", "a terme", "d ici")
WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"

_ISO = re.compile(rf"\b({_YEAR})-(\d\d)-(\d\d)\b")
_NUMERIC = re.compile(rf"(?<![\d/.])(\d{{1,2}})([/.])(\d\d)\2({_YEAR})(?![\d/])")   # 13/06/2019, 13.06.2019
# "les 12 et 13 juin 2019", "les mardi 3 et mercredi 4 octobre 2023", "du 30 novembre au 1er décembre 2020"
_DAY_RANGE = re.compile(rf"\b(?:(?:{WEEKDAYS}) )?(\d{{1,2}})(?: ?er)?(?: ({_MONTH}))? (et|au|a) (?:le )?(?:(?:{WEEKDAYS}) )?"
                        rf"(\d{{1,2}})(?: ?er)? ({_MONTH}) ({_YEAR})\b")
# Two days joined by "et" are one meeting over consecutive days, not two dates far apart.
MAX_DAYS_JOINED_BY_ET = 3
_DAY = re.compile(rf"\b(?:(?:{WEEKDAYS}) )?(\d{{1,2}})(?: ?er)? ({_MONTH}) ({_YEAR})\b")
_MONTH_RANGE = re.compile(rf"\b({_MONTH}) (?:a |au )?({_MONTH}) ({_YEAR})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH}) ({_YEAR})\b")
_QUAL_YEAR = re.compile(rf"\b({_QUAL}) (?:de l |d |de |du |en )?(?:annee )?({_YEAR})\b")
_YEAR_RANGE = re.compile(rf"\b({_YEAR}) (?:a |au )?({_YEAR})\b")
_YEAR_ONLY = re.compile(rf"\b({_YEAR})\b")


@dataclass(frozen=True)
class FrDate:
    """A date as quoted: ISO value at its precision, an optional end and qualifier."""

    value: str                 # "2019-12-04", "2019-12" or "2019"
    precision: str             # "day", "month", "season" or "year"
    text: str                  # the words it was read from
    end: str | None = None     # end of a period ("2017-2018")
    qualifier: str | None = None
    planned: bool = False      # the text itself says it is planned ("prévue en")
    start: int = 0             # offset of the match in the folded text

    @property
    def datatype(self) -> str:
        return {10: "date", 7: "gYearMonth", 4: "gYear"}[len(self.value)]

    def first_day(self) -> date:
        """The earliest day the expression can mean, for ordering."""
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])

    def last_day(self) -> date:
        """The latest day the expression can mean."""
        v = self.end or self.value
        parts = [int(p) for p in v.split("-")]
        if len(parts) == 3:
            return date(*parts)
        if len(parts) == 2:
            nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(parts[0], 12, 31)


def _planned(folded: str, start: int) -> bool:
    before = folded[max(0, start - 25):start]
    return any(re.search(rf"\b{cue}\b", before) for cue in PLANNED_CUES)


def is_real_day(year: str | int, month: int, day: int) -> bool:
    """A day the calendar has (no 31 February)."""
    try:
        date(int(year), month, day)
    except ValueError:
        return False
    return True


def _day_span(d1: int, month1: str | None, joiner: str, d2: int, month2: str, year: int) -> tuple[date, date] | None:
    """First and last day of "d1 [month1] et|au d2 month2 year", or None when it is no span
    (the end not after the start, a day the calendar lacks, days joined by "et" too far apart)."""
    m2 = MONTHS[month2]
    m1 = MONTHS[month1] if month1 else m2
    y1 = year - 1 if m1 > m2 else year                # "du 30 décembre au 2 janvier 2021"
    if not (is_real_day(y1, m1, d1) and is_real_day(year, m2, d2)):
        return None
    first, last = date(y1, m1, d1), date(year, m2, d2)
    if last <= first or joiner == "et" and (last - first).days > MAX_DAYS_JOINED_BY_ET:
        return None
    return first, last


def find_dates(text: str) -> list[FrDate]:
    """All date expressions in a text, left to right, without overlaps."""
    folded = fold(text)
    found: list[FrDate] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    def add(m: re.Match, **kw) -> None:
        taken.append((m.start(), m.end()))
        found.append(FrDate(text=m.group(0), planned=_planned(folded, m.start()),
                            start=m.start(), **kw))

    for m in _ISO.finditer(text):
        y, mo, d = m.groups()
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            found.append(FrDate(value=m.group(0), precision="day", text=m.group(0), start=m.start()))
    if found:
        return found
    for m in _NUMERIC.finditer(text):             # day first, as in French
        d, mo, y = int(m.group(1)), int(m.group(3)), m.group(4)
        if is_real_day(y, mo, d):
            add(m, value=f"{y}-{mo:02d}-{d:02d}", precision="day")
    for m in _DAY_RANGE.finditer(folded):
        span = _day_span(int(m.group(1)), m.group(2), m.group(3), int(m.group(4)), m.group(5), int(m.group(6)))
        if free(m) and span:
            add(m, value=span[0].isoformat(), precision="day", end=span[1].isoformat())
    for m in _DAY.finditer(folded):
        d, mo, y = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
        if free(m) and is_real_day(y, mo, d):
            add(m, value=f"{y}-{mo:02d}-{d:02d}", precision="day")
    for m in _MONTH_RANGE.finditer(folded):
        if free(m):
            y = m.group(3)
            add(m, value=f"{y}-{MONTHS[m.group(1)]:02d}", precision="month",
                end=f"{y}-{MONTHS[m.group(2)]:02d}")
    for m in _MONTH_YEAR.finditer(folded):
        if free(m):
            add(m, value=f"{m.group(2)}-{MONTHS[m.group(1)]:02d}", precision="month")
    for m in _QUAL_YEAR.finditer(folded):
        if free(m):
            add(m, value=m.group(2), precision="season", qualifier=QUALIFIERS[m.group(1)])
    for m in _YEAR_RANGE.finditer(folded):
        if free(m) and int(m.group(2)) > int(m.group(1)):
            add(m, value=m.group(1), precision="year", end=m.group(2))
    for m in _YEAR_ONLY.finditer(folded):
        if free(m):
            add(m, value=m.group(1), precision="year")
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> FrDate | None:
    """The first date expression in a text, or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


_DAY_NO_YEAR = re.compile(rf"\b(?:(?:{WEEKDAYS}) )?(\d{{1,2}})(?: ?er)? ({_MONTH})\b(?! (?:19|20)\d\d)")


def day_without_year(text: str, year: str) -> FrDate | None:
    """"le 1er octobre" read in a year known from elsewhere (title, file name)."""
    m = _DAY_NO_YEAR.search(fold(text))
    if not m or not 1 <= int(m.group(1)) <= 31:
        return None
    return FrDate(value=f"{year}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}", precision="day",
                  text=m.group(0), start=m.start())


# How far from the years a report mentions a weekday may place its undated days: the
# weekday of a date repeats within 6 years at most (5, 6 or 11 years apart).
NEAR_YEARS = 6
WEEKDAY_NUMBERS = {w: i for i, w in enumerate(WEEKDAYS.split("|"))}     # date.weekday(): Monday is 0
# "le mercredi 7 juin", "les 2 et 3 décembre", "le mercredi 7 juin et jeudi 8 juin", "du lundi 30
# novembre au mardi 1er décembre": days whose year the text does not give right there.
_DAYS_NO_YEAR = re.compile(
    rf"\b(?:(?P<w1>{WEEKDAYS}) )?(?P<d1>\d{{1,2}})(?: ?er)?(?: (?P<m1>{_MONTH}))?"
    rf"(?: (?P<j>et|au|a) (?:le )?(?:(?P<w2>{WEEKDAYS}) )?(?P<d2>\d{{1,2}})(?: ?er)?)? (?P<m2>{_MONTH})\b(?! (?:19|20)\d\d)")


def _fits(year: int, month: int, day: int, weekday: str | None) -> bool:
    return is_real_day(year, month, day) and (weekday is None or date(year, month, day).weekday() == WEEKDAY_NUMBERS[weekday])


def days_without_year(text: str, years: list[str]) -> list[FrDate]:
    """Days and spans of days quoted without a year, read in one of ``years`` (the likeliest
    first: the title's or file name's year, then the years the text mentions elsewhere).
    A weekday fixes the year: "mercredi 7 juin" is read in the first candidate year whose
    7 June is a Wednesday, else in the year nearest to a candidate where it is (a report
    that only mentions its "Roadmap 2022" and says "jeudi 14 octobre" was written in 2021;
    the year before wins a tie). Without a weekday, the first candidate year is taken."""
    folded = fold(text)
    out: list[FrDate] = []
    given = [int(y) for y in dict.fromkeys(years)]
    near = [y + k for dist in range(1, NEAR_YEARS + 1) for y in given for k in (-dist, dist)]
    candidates = list(dict.fromkeys(given + near))
    dated = [(d.start, d.start + len(d.text)) for d in find_dates(text)]
    for m in _DAYS_NO_YEAR.finditer(folded):
        if any(m.start() < b and a < m.end() + 6 for a, b in dated):   # part of a dated expression
            continue
        d2 = int(m.group("d2")) if m.group("d2") else None
        d1, m2 = int(m.group("d1")), MONTHS[m.group("m2")]
        m1 = MONTHS[m.group("m1")] if m.group("m1") else m2
        weekdays_given = m.group("w1") or m.group("w2")
        for y in candidates:
            y1 = y - 1 if m1 > m2 else y
            if not _fits(y1, m1, d1, m.group("w1")):
                continue
            if d2 is None:
                out.append(FrDate(value=f"{y1}-{m1:02d}-{d1:02d}", precision="day", text=m.group(0), start=m.start()))
                break
            if not _fits(y, m2, d2, m.group("w2")):
                continue
            span = _day_span(d1, m.group("m1"), m.group("j"), d2, m.group("m2"), y)
            if span:
                out.append(FrDate(value=span[0].isoformat(), precision="day", text=m.group(0),
                                  end=span[1].isoformat(), start=m.start()))
                break
            if not weekdays_given:
                break
    return out
