import pytest

from publik_kg.frdates import find_dates, parse_date

CASES = [
    ("mercredi 4 décembre 2019", "2019-12-04", "day", None, None, False),
    ("1er octobre 2018", "2018-10-01", "day", None, None, False),
    ("décembre 2013", "2013-12", "month", None, None, False),
    ("ouverture au printemps 2016", "2016", "season", "printemps", None, False),
    ("Fin 2013 : APA en ligne", "2013", "season", "fin", None, False),
    ("2017-2018 : mise en ligne", "2017", "year", None, "2018", False),
    ("juin-juillet 2016", "2016-06", "month", None, "2016-07", False),
    ("ouverture prévue en avril 2020", "2020-04", "month", None, None, True),
    ("début 2021", "2021", "season", "début", None, False),
    ("le 3 mars 2022", "2022-03-03", "day", None, None, False),
    ("Jeudi 3 mars 2022", "2022-03-03", "day", None, None, False),
    ("2019-12-04", "2019-12-04", "day", None, None, False),
    ("en 2018", "2018", "year", None, None, False),
    ("Décembre 2016 : phase opérationnelle", "2016-12", "month", None, None, False),
    ("Compte rendu du club du 13/06/2019", "2019-06-13", "day", None, None, False),
    ("réunion du 13.06.2019", "2019-06-13", "day", None, None, False),
    ("les 12 et 13 juin 2019", "2019-06-12", "day", None, "2019-06-13", False),
    ("du 1er au 3 juin 2021", "2021-06-01", "day", None, "2021-06-03", False),
]


@pytest.mark.parametrize("text,value,precision,qualifier,end,planned", CASES)
def test_forms(text, value, precision, qualifier, end, planned):
    d = parse_date(text)
    assert (d.value, d.precision, d.qualifier, d.end, d.planned) == (value, precision, qualifier, end, planned)


def test_datatype_follows_precision():
    assert [parse_date(t).datatype for t in ("4 mai 2019", "mai 2019", "2019")] == ["date", "gYearMonth", "gYear"]


def test_nothing_is_filled_from_today():
    assert parse_date("le 1er octobre") is None
    assert parse_date("sans date") is None


def test_invalid_day_is_not_a_date():
    assert parse_date("45 mars 2020").precision == "month"
    assert parse_date("31 février 2019").precision == "month"
    assert parse_date("31/02/2019").precision == "year"
    assert parse_date("version 1.2.2019").precision == "year"          # not a day/month/year


def test_several_dates_in_order():
    assert [d.value for d in find_dates("de janvier 2018 à mars 2019, puis 2020")] == ["2018-01", "2019-03", "2020"]


def test_bounds():
    d = parse_date("juin-juillet 2016")
    assert (d.first_day().isoformat(), d.last_day().isoformat()) == ("2016-06-01", "2016-07-31")


def test_day_without_year_takes_the_year_given():
    from publik_kg.frdates import day_without_year
    assert day_without_year("la réunion du lundi 1er octobre", "2018").value == "2018-10-01"
    assert day_without_year("le 4 décembre 2019", "2018") is None
