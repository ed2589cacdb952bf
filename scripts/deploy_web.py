"""Upload a build of the web apps (web/dist) to its stage's bucket, each file with the
Cache-Control of `core.headers.web_cache_control` and its content type, hashed assets first and
the HTML, service worker and manifest last (so no page ever names a file not yet there), then
ask CloudFront to forget the few files that are not hashed. Old hashed files are kept: a tab
opened before the deploy still loads its chunks.

    python scripts/deploy_web.py --stage dev        # bucket and distribution from the stack's outputs
    python scripts/deploy_web.py --bucket B [--distribution D] [--dist web/dist]
"""

from __future__ import annotations

import argparse
import mimetypes
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.core.headers import IMMUTABLE, web_cache_control  # noqa: E402

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")
SKIP = (".vite/",)  # the build's chunk graph: for bench/, not for users


def plan(dist: Path) -> list[tuple[str, Path, str, str]]:
    """(key, file, content type, cache control) for every file, immutable ones first."""
    files = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        key = path.relative_to(dist).as_posix()
        if key.startswith(SKIP):
            continue
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json", "+json", "+xml")):
            kind += "; charset=utf-8"
        files.append((key, path, kind, web_cache_control("/" + key)))
    return sorted(files, key=lambda f: f[3] != IMMUTABLE)


def upload(s3: Any, bucket: str, dist: Path) -> list[str]:
    """Upload the build; returns the keys that are not immutable (to invalidate)."""
    changing = []
    for key, path, kind, cache in plan(dist):
        s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=kind, CacheControl=cache)
        if cache != IMMUTABLE:
            changing.append("/" + key)
    return changing


def stack_outputs(stage: str) -> dict[str, str]:
    import boto3

    stack = boto3.client("cloudformation").describe_stacks(StackName=f"livrili-{stage}")["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def main() -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage")
    parser.add_argument("--bucket")
    parser.add_argument("--distribution")
    parser.add_argument("--dist", default=str(ROOT / "web" / "dist"))
    args = parser.parse_args()
    dist = Path(args.dist)
    if not (dist / "index.html").is_file():
        sys.exit(f"{dist} has no index.html: run `make web` first")
    bucket, distribution = args.bucket, args.distribution
    if args.stage:
        outputs = stack_outputs(args.stage)
        bucket, distribution = outputs["WebBucket"], outputs["WebDistributionId"]
    if not bucket:
        sys.exit("--stage or --bucket is required")
    changing = upload(boto3.client("s3"), bucket, dist)
    print(f"uploaded {len(plan(dist))} files to s3://{bucket}", flush=True)
    if distribution:
        boto3.client("cloudfront").create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={
                "Paths": {"Quantity": len(changing), "Items": changing},
                "CallerReference": f"deploy-{time.time_ns()}",
            },
        )
        print(f"invalidated {len(changing)} paths on {distribution}", flush=True)


if __name__ == "__main__":
    main()
