"""``python -m pipeline`` is ``newsie``."""
import sys

from pipeline.cli import main

sys.exit(main())
