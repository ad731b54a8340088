"""Run the genetics command line: ``python -m genetics --help``."""

import sys

from genetics.cli import main

sys.exit(main())
