"""Money rules with worked examples (the README quotes them): stamp duty, amounts in words,
order totals with VAT per rate."""

from __future__ import annotations

import pytest

from chalicelib.core.money import amount_in_words, format_dzd, percent
from chalicelib.credit.rules import stamp_duty
from chalicelib.orders.rules import totals


@pytest.mark.parametrize(
    ("paid_da", "duty_da"),
    [
        (0, 0),
        (300, 0),  # nothing up to 300 DA
        (300.01, 5),  # 4 slices of 100 DA = 4 DA, raised to the 5 DA minimum
        (450, 5),
        (500, 5),
        (501, 6),  # a started slice counts: 6 slices
        (1_250, 13),
        (30_000, 300),  # 300 slices at 1 DA
        (30_000.01, 451.5),  # above 30,000 DA: 301 slices at 1.50 DA
        (100_000, 1_500),  # 1,000 slices at 1.50 DA
        (100_050, 2_002),  # above 100,000 DA: 1,001 slices at 2 DA
        (250_000, 5_000),
    ],
)
def test_stamp_duty_worked_examples(paid_da, duty_da):
    assert stamp_duty(round(paid_da * 100)) == round(duty_da * 100)


def test_stamp_duty_never_decreases_with_the_amount():
    previous = 0
    for centimes in range(0, 20_000_000, 9_973):
        duty = stamp_duty(centimes)
        assert duty >= previous or centimes in (30_000_01, 100_000_01)
        previous = duty


@pytest.mark.parametrize(
    ("centimes", "lang", "words"),
    [
        (125_050, "fr", "mille deux cent cinquante dinars algériens et cinquante centimes"),
        (100, "fr", "un dinar algérien"),
        (2_092_80, "fr", "deux mille quatre-vingt-douze dinars algériens et quatre-vingts centimes"),
        (125_050, "en", "one thousand, two hundred and fifty Algerian dinars and fifty centimes"),
        (3_000_000, "ar", "ثلاثون ألف دينار جزائري"),
        (125_050, "ar", "ألف و مئتان و خمسون دينار جزائري و خمسون سنتيم"),
    ],
)
def test_amounts_in_words(centimes, lang, words):
    assert amount_in_words(centimes, lang) == words


def test_amounts_by_locale_keep_latin_digits():
    assert format_dzd(125_000, "fr") == "1\u202f250,00 DA"
    assert format_dzd(125_000, "ar") == "1\u202f250,00 DA"
    assert format_dzd(125_000, "en") == "1,250.00 DA"


def test_vat_is_rounded_half_up_per_rate():
    assert percent(50, 9) == 5  # 4.5 -> 5
    assert percent(49, 9) == 4  # 4.41 -> 4
    result = totals([(3, 333, 19), (1, 1, 19), (2, 12345, 9), (5, 100, 0)])
    assert result.vat_breakdown == [
        {"rate": 0, "base": 500, "vat": 0},
        {"rate": 9, "base": 24690, "vat": 2222},  # 2222.1
        {"rate": 19, "base": 1000, "vat": 190},
    ]
    assert (result.subtotal, result.vat_total, result.total) == (26190, 2412, 28602)
