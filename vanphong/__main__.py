"""The ``vanphong`` command: Django's manage.py, with commands spelled either way
(``vanphong seed-demo`` or ``vanphong seed_demo``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "vanphong"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
