#!/usr/bin/env python
"""Django's command-line utility for the charter site."""

import os
import sys
from pathlib import Path

# site/ holds the project configuration; it is an import root, not a package (``site`` is a
# standard-library module), so its modules import as ``settings``, ``urls``, ``wsgi``.
sys.path.insert(1, str(Path(__file__).resolve().parent / "site"))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
