"""Create the first admin of a stage (works against a real deployment with AWS credentials).

python -m chalicelib.accounts.cli create-admin --stage dev --username admin
(password from LIVRILI_ADMIN_PASSWORD, or asked for)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from chalicelib.core.config import ConfigError, stage_environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="livrili-admin", description="Livrili account administration")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-admin", help="create a platform admin (idempotent)")
    create.add_argument("--stage", required=True)
    create.add_argument("--username", required=True)
    create.add_argument("--full-name", default="Livrili Admin")
    args = parser.parse_args(argv)

    try:
        env = stage_environment(args.stage)
    except ConfigError as exc:
        raise SystemExit(str(exc)) from exc
    for name, value in env.items():
        os.environ.setdefault(name, value)
    password = os.environ.get("LIVRILI_ADMIN_PASSWORD") or getpass.getpass("password for the new admin: ")

    from pydantic_core import PydanticCustomError

    from chalicelib.accounts import staff as accounts_staff

    try:
        user, created = accounts_staff.create_staff_user(args.username, password, args.full_name)
    except PydanticCustomError as exc:
        print(f"refused: {exc.type} (usernames: 3-32 of a-z 0-9 . _ -; passwords: 10+ with letters and digits)")
        return 2
    print(f"{'created' if created else 'already exists'}: {user.username} ({user.role}, id {user.user_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
