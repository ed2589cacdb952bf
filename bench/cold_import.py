"""Cold import of app.py in a fresh interpreter vs the floor (chalice + botocore DynamoDB client + pydantic).

Prints the median of N runs of each and the ratio. Run: `python bench/cold_import.py [runs]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15

TIMER = "import time; t=time.perf_counter(); {body}; print(time.perf_counter()-t)"
FLOOR = "import chalice, pydantic, botocore.session; botocore.session.get_session().create_client('dynamodb', region_name='eu-west-3')"
APP = "import app"


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "LIVRILI_STAGE": "dev",
        "LIVRILI_TABLE_NAME": "bench",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
    }


def once(body: str) -> float:
    """Seconds to run `body` in a fresh interpreter, in milliseconds."""
    run = subprocess.run(
        [sys.executable, "-X", "frozen_modules=on", "-c", TIMER.format(body=body)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(run.stdout.strip()) * 1000


def main() -> None:
    floor, app = [], []
    for _ in range(RUNS):  # alternating, so a change of machine load touches both alike
        floor.append(once(FLOOR))
        app.append(once(APP))
    f, a = statistics.median(floor), statistics.median(app)
    print(f"cold import, median of {RUNS} alternating fresh interpreters each")
    print(f"  floor (chalice + pydantic + botocore dynamodb client): {f:7.1f} ms")
    print(f"  app.py (all routes registered):                        {a:7.1f} ms")
    print(f"  ratio app/floor: {a / f:.2f}x")


if __name__ == "__main__":
    main()
