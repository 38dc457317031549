"""The question bank's tolerant matchers: each fact kind against replies it must and must not
accept (Babel's forms in the six locales, quoted source wording, Arabic-Indic digits)."""

from datetime import date

import pytest

from bench.answer_checks import KINDS, MATCHERS, check_value, describe, matches

D = date(2023, 6, 14)

POSITIVE = [
    # text: folded, whole words, a list = any of them
    ("text", "Coompanion", "Contact COOMPANION Västerbotten."),
    ("text", "næringshage", "Voss naeringshage tilbyr"),
    ("text", "Québec", "in QUEBEC!"),
    ("text", ["closed", "is over"], "The call is over."),
    ("text", "Kommunal- og moderniseringsdepartementet", "kommunal og moderniseringsdepartementet"),
    ("text", "centre de compétences", "un Centre de Competences régional"),
    ("text", "3", "٣ fylker"),
    ("text", "sociaal-economische", "Sociaaleconomische organisaties"),
    ("text", "جديدة", "القائمة والجديدة"),
    ("text", "علامة", "حصلت على العلامة"),
    # number
    ("number", 31, "31 days left"),
    ("number", 31, "the 31st"),
    ("number", 31, "(31)"),
    ("number", 6000000, "6 000 000 kr"),
    ("number", 6000000, "6\u00a0000\u00a0000 kr"),
    ("number", 6000000, "6\u202f000\u202f000 $"),
    ("number", 6000000, "6,000,000"),
    ("number", 6000000, "6.000.000"),
    ("number", 6000000, "6'000'000"),
    ("number", 6000000, "6000000"),
    ("number", 6000000, "6 millioner"),
    ("number", 6000000, "6 million"),
    ("number", 6000000, "6 miljoen"),
    ("number", 6000000, "6 miljoner"),
    ("number", 6000000, "6 مليون"),
    ("number", 6000000, "٦ ملايين"),
    ("number", 3500000, "3,5 millions"),
    ("number", 3500000, "3.5 million"),
    ("number", 3500000, "3 500 000"),
    ("number", 3500000, "٣٫٥ مليون"),
    ("number", 32000000, "32 M$"),
    ("number", 400000, "400 000 $ par an"),
    ("number", 400000, "400 000,00 $"),
    ("number", 2017, "2017–2022"),
    ("number", 13, "١٣ يوما"),
    ("number", 13, "۱۳ روز"),
    ("number", "28800000", "28,8 millions"),
    # date
    ("date", D, "14 juin 2023"),
    ("date", D, "June 14, 2023"),
    ("date", D, "June 14th, 2023 at 3:00 PM"),
    ("date", D, "14. juni 2023"),
    ("date", D, "den 14 juni 2023"),
    ("date", D, "den 14:e juni 2023"),
    ("date", D, "14th of June 2023"),
    ("date", D, "14 Jun 2023"),
    ("date", D, "١٤ يونيو ٢٠٢٣"),
    ("date", D, "14 يونيو 2023"),
    ("date", D, "14 حزيران 2023"),
    ("date", D, "2023-06-14"),
    ("date", D, "14/06/2023"),
    ("date", D, "14.06.2023"),
    ("date", D, "14-06-2023"),
    ("date", D, "14.6.2023"),
    ("date", D, "14\u200f/6\u200f/2023"),
    ("date", "2018-04-30", "30 avril 2018"),
    ("date", "2018-04-30", "30 أبريل 2018"),
    ("date", date(2023, 6, 1), "1er juin 2023"),
    ("date", date(2018, 3, 5), "5 mrt 2018"),
    ("date", date(2018, 2, 7), "7 févr. 2018"),
    # month
    ("month", "2018-05", "mai 2018"),
    ("month", "2018-05", "i maj 2018"),
    ("month", "2018-05", "31 May 2018"),
    ("month", "2018-05", "May 31, 2018"),
    ("month", "2018-05", "31/05/2018"),
    ("month", "2018-05", "2018-05-31"),
    ("month", "2018-05", "05/2018"),
    ("month", "2018-02", "février 2018"),
    ("month", "2018-02", "فبراير 2018"),
    ("month", 5, "en mai"),
    ("month", 5, "31 May"),
    ("month", 5, "31.05.2018"),
    ("month", 5, "مايو"),
    # time
    ("time", "15:00", "15:00"),
    ("time", "15:00", "15h00"),
    ("time", "15:00", "15 h 00"),
    ("time", "15:00", "15.00"),
    ("time", "15:00", "15 h"),
    ("time", "15:00", "à 15h (heure du Maroc)"),
    ("time", "15:00", "kl. 15"),
    ("time", "15:00", "klockan 15.00"),
    ("time", "15:00", "3:00 PM"),
    ("time", "15:00", "3:00\u202fPM"),
    ("time", "15:00", "3 PM"),
    ("time", "15:00", "3pm"),
    ("time", "15:00", "3:00 p.m."),
    ("time", "15:00", "3:00 م"),
    ("time", "09:00", "09:00"),
    ("time", "09:00", "9:00"),
    ("time", "09:00", "9 a.m."),
    ("time", "09:30", "kl. 9.30"),
    # phone
    ("phone", "070-666 49 95", "070 666 49 95"),
    ("phone", "070-666 49 95", "070-6664995"),
    ("phone", "070-666 49 95", "+46 70 666 49 95"),
    ("phone", "05 37 73 93 46", "+212 5 37 73 93 46"),
    ("phone", "22 24 25 00", "+47 22242500"),
    ("phone", "22 24 25 00", "tlf. 22 24 25 00."),
    # email / url
    ("email", "a.b@region.se", "Mail: A.B@Region.SE."),
    ("url", "https://ssl.astride.fr/innoveurometropolis", "see ssl.astride.fr/innoveurometropolis"),
    ("url", "https://example.org/", "HTTPS://EXAMPLE.ORG/apply"),
]

NEGATIVE = [
    ("text", "pole", "the poles"),
    ("text", "علامة", "علامات"),
    ("text", "جديدة", "تجديدة"),
    ("text", "Voss", "Vossevangen"),
    ("text", ["closed", "ended"], "still open"),
    ("number", 31, "2031"),
    ("number", 31, "310"),
    ("number", 31, "3.1"),
    ("number", 31, "31,5"),
    ("number", 31, "31 000"),
    ("number", 6, "6 millions"),
    ("number", 6000000, "16 millions"),
    ("number", 6000000, "6 000"),
    ("number", 6000000, "60 000 000"),
    ("number", 3500000, "35 millions"),
    ("number", 400000, "6 400 000"),
    ("number", 13, "2013"),
    ("date", D, "14 juin 2022"),
    ("date", D, "24 juin 2023"),
    ("date", D, "15 June 2023"),
    ("date", D, "14 July 2023"),
    ("date", D, "14/06-2023"),
    ("date", D, "114/06/2023"),
    ("date", D, "June 2023"),
    ("month", "2018-05", "June 2018"),
    ("month", "2018-05", "May 2019"),
    ("month", "2018-05", "15/2018"),
    ("month", 5, "you may apply"),
    ("month", 5, "juni"),
    ("time", "15:00", "3:00 AM"),
    ("time", "15:00", "15:30"),
    ("time", "15:00", "kl. 15.30"),
    ("time", "15:00", "115:00"),
    ("time", "15:00", "5:00"),
    ("time", "15:00", "15 hubs"),
    ("time", "03:00", "3:00 PM"),
    ("time", "09:00", "19:00"),
    ("phone", "070-666 49 95", "070 666 49 96"),
    ("phone", "070-666 49 95", "70 666 49 95"),
    ("email", "a.b@region.se", "b@region.se"),
    ("url", "https://ssl.astride.fr/innoveurometropolis", "ssl.astride.fr"),
]


@pytest.mark.parametrize(("kind", "value", "reply"), POSITIVE)
def test_matches(kind, value, reply):
    assert matches(kind, value, reply)


@pytest.mark.parametrize(("kind", "value", "reply"), NEGATIVE)
def test_does_not_match(kind, value, reply):
    assert not matches(kind, value, reply)


def test_every_kind_has_a_matcher_and_cases():
    assert set(MATCHERS) == set(KINDS)
    assert {kind for kind, _, _ in POSITIVE} == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("number", "many"),
        ("number", True),
        ("date", "14 June 2023"),
        ("month", 13),
        ("month", "2018-5-1"),
        ("time", 900),  # an unquoted 15:00 in YAML 1.1
        ("time", "25:00"),
        ("phone", "12"),
        ("email", ""),
        ("text", []),
        ("text", "--"),
        ("colour", "red"),
    ],
)
def test_check_value_rejects(kind, value):
    with pytest.raises(ValueError):
        check_value(kind, value)


def test_time_hint_names_quoting():
    with pytest.raises(ValueError, match="quote"):
        check_value("time", 900)


def test_unknown_kind_in_matches():
    with pytest.raises(ValueError, match="unknown fact kind"):
        matches("colour", "red", "red")


def test_describe():
    assert describe("date", D) == "date 2023-06-14"
    assert describe("text", ["a", "b"]) == "text [a | b]"
