"""Livrili's CDK app. Synthesize offline: `make synth` (= `python app.py` with CDK_OUTDIR).

Stages come from the context (`cdk.json` → `stages`); `-c stage=prod` picks one, the default
synthesizes both. cdk-nag's AwsSolutions checks run as a validation plugin: an
unacknowledged finding fails the synthesis.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the project first (chalicelib, and the Chalice `app` the construct packages — not this file),
# then this folder (livrili_infra)
sys.path[:] = [str(HERE.parent), *(p for p in sys.path if Path(p or ".").resolve() != HERE), str(HERE)]
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")

import aws_cdk as cdk  # noqa: E402
import cdk_nag  # noqa: E402
from chalice import config as chalice_config  # noqa: E402
from livrili_infra import bundle  # noqa: E402
from livrili_infra.edge import EdgeStack  # noqa: E402
from livrili_infra.settings import STAGES, StageSettings  # noqa: E402
from livrili_infra.stack import LivriliStack  # noqa: E402

# Lambda's python3.11 can no longer create functions (deprecated 2026-06-30). Chalice takes the
# runtime from the interpreter running it; the bundle (livrili_infra/bundle.py) carries the
# dependencies built for the runtime named here.
chalice_config.Config.lambda_python_version = property(lambda self: f"python{bundle.LAMBDA_PYTHON}")  # type: ignore[assignment]


def build(app: cdk.App) -> list[LivriliStack]:
    stages = app.node.try_get_context("stages")
    wanted = app.node.try_get_context("stage")
    stages_wanted = [wanted] if wanted else list(STAGES)
    # the Chalice construct names its stage after its own path: `livrili-<stage>/Api`
    source = bundle.build(HERE.parent, HERE / "build" / "app", [f"livrili-{s}/Api" for s in stages_wanted])
    stacks = []
    for stage in stages_wanted:
        settings = StageSettings.from_context(stage, stages)
        env = cdk.Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION", "eu-west-3")
        )
        # CloudFront's web ACL lives in us-east-1: a stack of its own, read across regions
        edge_env = cdk.Environment(account=env.account, region="us-east-1")
        edge = EdgeStack(
            app, f"{settings.prefix}-edge", prefix=settings.prefix, env=edge_env, cross_region_references=True
        )
        stack = LivriliStack(
            app,
            settings.prefix,
            settings=settings,
            source_dir=source,
            web_acl_arn=edge.web_acl.attr_arn,
            env=env,
            cross_region_references=True,
        )
        stacks.append(stack)  # after its edge stack: the reference orders them
    cdk.Validations.of(app).add_plugins(cdk_nag.AwsSolutionsChecks(app))
    return stacks


def new_app(**context: object) -> cdk.App:
    """An app with `cdk.json`'s context (the cdk CLI passes it; `python app.py` alone does not)."""
    defaults = json.loads((HERE / "cdk.json").read_text())["context"]
    return cdk.App(context={**defaults, **context})


if __name__ == "__main__":
    app = new_app()
    build(app)
    app.synth()
