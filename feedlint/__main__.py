"""``python -m feedlint``."""

from feedlint.cli import main

raise SystemExit(main())
