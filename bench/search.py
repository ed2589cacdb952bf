"""Search over a 20,000-product catalog: index build, snapshot size and load, query latency.

Run: `python bench/search.py [N]`. Pure in-process (the engine and the snapshot codec); the
DynamoDB side of a warm search is counted by `bench/dynamodb_calls.py` (one Query on the
change log + one BatchGetItem for the page).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.catalog.index import Snapshot, _encode, load_index  # noqa: E402
from chalicelib.catalog.schemas import ean_check_digit  # noqa: E402
from chalicelib.catalog.search import Doc, SearchIndex  # noqa: E402

KINDS = [
    ("زيت المائدة", "Huile de table"),
    ("زيت الزيتون", "Huile d'olive"),
    ("قهوة مطحونة", "Café moulu"),
    ("قهوة حبوب", "Café en grains"),
    ("حليب", "Lait"),
    ("لبن", "Lben"),
    ("ياغورت", "Yaourt"),
    ("سميد", "Semoule"),
    ("فرينة", "Farine"),
    ("معكرونة", "Pâtes"),
    ("كسكس", "Couscous"),
    ("أرز", "Riz"),
    ("سكر", "Sucre"),
    ("شاي أخضر", "Thé vert"),
    ("عصير", "Jus"),
    ("مياه معدنية", "Eau minérale"),
    ("مشروب غازي", "Boisson gazeuse"),
    ("مسحوق الغسيل", "Lessive"),
    ("سائل الأواني", "Liquide vaisselle"),
    ("بسكويت", "Biscuits"),
    ("شوكولاطة", "Chocolat"),
    ("طماطم مصبرة", "Concentré de tomate"),
    ("تونة", "Thon"),
    ("مربى", "Confiture"),
]
BRANDS = [
    ("إليو", "Elio"),
    ("فاكتو", "Facto"),
    ("بونال", "Bonal"),
    ("كانديا", "Candia"),
    ("صومام", "Soummam"),
    ("سيم", "SIM"),
    ("الصافية", "Safina"),
    ("عمر بن عمر", "Amor Benamor"),
    ("مطيجي", "Metidji"),
    ("سكور", "Skor"),
    ("رويبة", "Rouiba"),
    ("نقاوس", "N'Gaous"),
    ("إفري", "Ifri"),
    ("إيزيس", "Isis"),
    ("بيمو", "Bimo"),
    ("ديدة", "Dida"),
]
VARIANTS = [
    ("برتقال", "orange"),
    ("تفاح", "pomme"),
    ("فراولة", "fraise"),
    ("رقيق", "fin"),
    ("متوسط", "moyen"),
    ("", ""),
]
SIZES = [
    ("250 غ", "250 g"),
    ("500 غ", "500 g"),
    ("1 كغ", "1 kg"),
    ("1 لتر", "1 L"),
    ("2 لتر", "2 L"),
    ("5 لتر", "5 L"),
    ("25 كغ", "25 kg"),
    ("450 غ", "450 g"),
    ("33 سل", "33 cl"),
    ("1.5 لتر", "1,5 L"),
]

QUERIES = [
    "زيت",
    "قهوة",
    "قهوه",
    "حليب كانديا",
    "سميد 25",
    "الصافية",
    "lait",
    "cafe",
    "Café moulu Facto",
    "huile elio 5 l",
    "semoule",
    "jus orange",
    "٤٥٠",
    "25 kg",
    "soummam fraise",
    "SKU-01234",
    "SKU-1",
    "6130000123",
    "s",
    "ز",
    "confiture fraise 1 kg",
    "zzzz",
    "إيزيس",
    "biscuits bimo",
    "ثاي",
]


def generate(n: int, seed: int = 7) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        (kind_ar, kind_fr), (brand_ar, brand_fr) = rng.choice(KINDS), rng.choice(BRANDS)
        (var_ar, var_fr), (size_ar, size_fr) = rng.choice(VARIANTS), rng.choice(SIZES)
        ar = " ".join(p for p in (kind_ar, brand_ar, var_ar, size_ar) if p)
        fr = " ".join(p for p in (kind_fr, brand_fr, var_fr, size_fr) if p)
        body = f"613{i:09d}"
        cat = f"C{i % 40:02d}"
        docs.append(
            Doc(
                f"P{i:06d}",
                cat,
                f"T{i % 12:02d}",
                i % 17 != 0,
                {"ar": ar, "fr": fr, "en": None},
                f"SKU-{i:05d}",
                body + str(ean_check_digit(body)),
                1,
            )
        )
    return docs


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    docs = generate(n)
    tracemalloc.start()
    started = time.perf_counter()
    index = SearchIndex(docs)
    index.search("warm", "fr")  # sorts the vocabulary once
    build = time.perf_counter() - started
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    data = _encode(Snapshot("2026-11-23T00:00:00.000Z", "2026-11-23T00:01:00.000Z", docs))
    started = time.perf_counter()
    load_index(data)  # what a cold process does once
    load = time.perf_counter() - started

    print(f"search over {n:,} products")
    print(
        f"  index build       {build * 1000:8.1f} ms   memory {current / 1e6:6.1f} MB   terms {len(index._vocabulary()):,}"
    )
    print(
        f"  snapshot          {len(data) / 1e6:8.2f} MB gzip   decode + index {load * 1000:.0f} ms (a cold Lambda, once)"
    )

    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    hits: dict[str, int] = {}
    for _ in range(30):
        for q in QUERIES:
            lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in q) else "fr"
            started = time.perf_counter()
            result = index.search(q, lang, active=True)
            timings[q].append((time.perf_counter() - started) * 1000)
            hits[q] = len(result)
    everything = sorted(t for ts in timings.values() for t in ts)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]

    print(
        f"  query latency     p50 {pct(everything, 50):.2f} ms   p95 {pct(everything, 95):.2f} ms   "
        f"p99 {pct(everything, 99):.2f} ms   ({len(everything)} queries)"
    )
    print("  per query (median ms, hits):")
    for q in QUERIES:
        print(f"    {q!r:28} {statistics.median(timings[q]):7.2f} ms  {hits[q]:6,} hits")
    browse = []
    for _ in range(30):
        started = time.perf_counter()
        index.search("", "fr", category_id="T03")
        browse.append((time.perf_counter() - started) * 1000)
    print(f"  browse a top category (empty q): median {statistics.median(browse):.2f} ms")


if __name__ == "__main__":
    main()
