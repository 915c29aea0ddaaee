"""`python -m bot.cli`: the same as the `briefbot` console script."""

from __future__ import annotations

import sys

from bot.cli import main

sys.exit(main())
