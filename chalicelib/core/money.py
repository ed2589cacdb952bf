"""Money: integer centimes of DZD, never floats; shown per locale (`1 250,00 DA`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# 10 billion DA is far above any shop's credit; the bound keeps sums well inside int64.
MAX_CENTIMES = 1_000_000_000_000

Centimes = Annotated[int, Field(ge=0, le=MAX_CENTIMES, strict=True, description="Integer centimes of DZD")]


def format_dzd(centimes: int, lang: str = "fr") -> str:
    """`125000` -> `1 250,00 DA` (fr), `1,250.00 DA` (en); Latin digits in every language."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    locale = {"fr": "fr_DZ", "ar": "fr_DZ", "en": "en"}.get(lang, "fr_DZ")
    amount = format_decimal(Decimal(centimes).scaleb(-2), format="#,##0.00", locale=locale)
    return f"{amount} DA"


def percent(centimes: int, rate: int) -> int:
    """`rate`% of an amount, rounded half up to the centime (VAT): integers only."""
    return (centimes * rate + 50) // 100


_CURRENCY_WORDS = {
    "fr": ("dinars algériens", "dinar algérien", "et", "centimes"),
    "en": ("Algerian dinars", "Algerian dinar", "and", "centimes"),
    "ar": ("دينار جزائري", "دينار جزائري", "و", "سنتيم"),
}


def amount_in_words(centimes: int, lang: str = "fr") -> str:
    """`125050` -> `mille deux cent cinquante dinars algériens et cinquante centimes` (invoices,
    receipts: the amount written out, as Algerian commercial documents carry it)."""
    from num2words import num2words

    lang = lang if lang in _CURRENCY_WORDS else "fr"
    plural, singular, joiner, cents_word = _CURRENCY_WORDS[lang]
    dinars, cents = divmod(centimes, 100)
    text = f"{num2words(dinars, lang=lang)} {singular if dinars == 1 else plural}"
    if cents:
        text += f" {joiner} {num2words(cents, lang=lang)} {cents_word}"
    return text
