"""Search normalization for Arabic and French product names (pure functions, no I/O).

The same function normalizes the indexed names and the query, so the two meet:

* Unicode NFKD, then every combining mark dropped: French accents (é → e), Arabic harakat
  (fatha, damma, kasra, shadda, sukun, tanwin), hamza above/below and madda on their carriers
  (أ إ آ → ا, ؤ → و, ئ → ي); Arabic presentation forms become the base letters.
* ٱ (alef wasla) → ا, ى → ي, ة → ه, lone ء and tatweel (ـ) removed, œ → oe, æ → ae.
* Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits → ASCII digits.
* Case folded (ß → ss).

Tokens are the runs of letters and digits. A token mixing digits and letters (``450g``,
``5l``) is also indexed as its parts (``450``, ``g``) so "450" and "5 l" find it, and an
Arabic token carrying the definite article (``الزيت``, ``والحليب``, ``بالليمون``) is also
indexed without it, so "زيت" finds "الزيت".
"""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ء": None,
        "ـ": None,
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# combining marks left by NFKD: Latin diacritics, Arabic harakat/hamza/madda, Quranic marks
_MARKS_RE = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u20d0-\u20ff]")
_TOKEN_RE = re.compile(r"[^\W_]+")
_PARTS_RE = re.compile(r"\d+|[^\W\d_]+")
# the definite article with the proclitics that commonly precede it (longest first),
# removed only when at least two letters remain
_ARTICLE_RE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=[^\W_]{2})")
_DIGIT_LETTER_RE = re.compile(r"\d[^\W\d_]|[^\W\d_]\d")


def normalize(text: str) -> str:
    """Fold `text` for matching: accents, harakat, hamza carriers, letter variants, digits, case."""
    if text.isascii():
        return text.casefold()
    stripped = _MARKS_RE.sub("", unicodedata.normalize("NFKD", text))
    return stripped.translate(_TRANSLATE).casefold()


def strip_article(token: str) -> str:
    """`الزيت` → `زيت`; a token that is only (or mostly) the article stays as it is."""
    return token if token.isascii() else _ARTICLE_RE.sub("", token, count=1)


def tokens(text: str) -> list[str]:
    """The normalized tokens of a query, in order, article removed (``"زيت الزيتون"`` → ``[زيت, زيتون]``)."""
    return [strip_article(t) for t in _TOKEN_RE.findall(normalize(text))]


def index_terms(text: str) -> set[str]:
    """Every term a document is found by: the tokens, their article-less form, their digit/letter parts."""
    return terms_of_normalized(normalize(text))


def terms_of_normalized(normalized: str) -> set[str]:
    """`index_terms` of a string already passed through `normalize`."""
    terms: set[str] = set()
    for token in _TOKEN_RE.findall(normalized):
        terms.add(token)
        if not token.isascii():
            terms.add(_ARTICLE_RE.sub("", token, count=1))
        if _DIGIT_LETTER_RE.search(token):
            terms.update(_PARTS_RE.findall(token))
    return terms


def sort_key(text: str) -> str:
    """A collation key for name order in listings (normalized, spaces collapsed)."""
    return sort_key_of_normalized(normalize(text))


def sort_key_of_normalized(normalized: str) -> str:
    return " ".join(_TOKEN_RE.findall(normalized))
