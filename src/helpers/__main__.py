"""`python -m helpers`: the `ai-war` command."""

import sys

from helpers.cli import main

sys.exit(main())
