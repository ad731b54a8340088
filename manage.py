#!/usr/bin/env python
"""Django's command-line utility for Kinship."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinship_site.settings")
    from kinship_site.embedded import embedded_data_prepare

    # The explicit first-run step of the embedded default; the settings themselves only read the key.
    embedded_data_prepare()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
