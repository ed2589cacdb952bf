"""Cold import of app.py in a fresh interpreter vs the floor (chalice + botocore DynamoDB client + pydantic).

Prints the median of N runs of each and the ratio, then what a cold start's first request adds:
app.py loads no service, model or schema (`chalicelib.core.lazy`); a request loads what its own
route uses. Run: `python bench/cold_import.py [runs]`.

Both sides run from bytecode: the project's modules are compiled once into a private cache
(PYTHONPYCACHEPREFIX) before timing, as the installed packages of the floor already are — so
the ratio compares import work, not the compiler (a machine with PYTHONDONTWRITEBYTECODE would
otherwise time the compilation of every project module and none of the floor's).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15

TIMER = "import time; t=time.perf_counter(); {body}; print(time.perf_counter()-t)"
FLOOR = "import chalice, pydantic, botocore.session; botocore.session.get_session().create_client('dynamodb', region_name='eu-west-3')"
APP = "import app"
# what `POST /v1/orders` loads on a cold start, before its first DynamoDB call: the session
# check, the order's schemas (validators built) and the services that place it
FIRST_ORDER = (
    "import app; from chalicelib.accounts import sessions; from chalicelib.db import idempotency; "
    "from chalicelib.orders import placing, schemas, views; "
    "schemas.OrderCreateIn.model_rebuild(); schemas.OrderOut.model_rebuild()"
)
EVERYTHING = (
    "import app, pkgutil, importlib, chalicelib; "
    "[importlib.import_module(m.name) for m in pkgutil.walk_packages(chalicelib.__path__, 'chalicelib.') "
    "if not m.name.endswith(('.cli', '.provision'))]"
)


def _env(cache: str) -> dict[str, str]:
    env = {
        **os.environ,
        "LIVRILI_STAGE": "dev",
        "LIVRILI_TABLE_NAME": "bench",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "PYTHONPYCACHEPREFIX": cache,
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def once(body: str, cache: str) -> float:
    """Milliseconds to run `body` in a fresh interpreter."""
    run = subprocess.run(
        [sys.executable, "-X", "frozen_modules=on", "-c", TIMER.format(body=body)],
        cwd=ROOT,
        env=_env(cache),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(run.stdout.strip()) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="livrili-pyc-") as cache:
        bodies = {"floor": FLOOR, "app": APP, "first order": FIRST_ORDER, "everything": EVERYTHING}
        for body in bodies.values():
            once(body, cache)  # compiles what it imports into the cache
        times: dict[str, list[float]] = {name: [] for name in bodies}
        for _ in range(RUNS):  # alternating, so a change of machine load touches all alike
            for name, body in bodies.items():
                times[name].append(once(body, cache))
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"cold import, median of {RUNS} alternating fresh interpreters each (bytecode cached for all)")
    print(f"  floor (chalice + pydantic + botocore dynamodb client): {med['floor']:7.1f} ms")
    print(f"  app.py (all routes and handlers registered):           {med['app']:7.1f} ms")
    print(f"  ratio app/floor: {med['app'] / med['floor']:.2f}x")
    print("what a cold start's first request adds (loaded by that request, not at import):")
    print(f"  app.py + what placing an order loads:                  {med['first order']:7.1f} ms")
    print(f"  app.py + every module of chalicelib:                   {med['everything']:7.1f} ms")


if __name__ == "__main__":
    main()
