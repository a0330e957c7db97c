"""`python -m cmforge.cli`: the command line, as the `cmforge` script runs it."""

import sys

from . import main

sys.exit(main())
