"""Write the API's OpenAPI document to a file, without a server: the web build generates the
portals' client types from it (`web/shared/api/schema.gen.ts`), so a contract change that
breaks a screen breaks the build.

    python scripts/openapi_export.py web/shared/api/openapi.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(target: str) -> None:
    os.environ.setdefault("LIVRILI_STAGE", "local")
    import app  # noqa: F401  (registers every route)
    from chalicelib.core.openapi import build_document

    text = json.dumps(build_document(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path = Path(target)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
