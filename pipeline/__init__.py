"""newsie: information extraction for Chinese economic and industrial news.

``load_pipeline()`` builds the spaCy pipeline of ``configs/default.cfg``:
clean → segment → recognize → normalize → link → check.
"""
from __future__ import annotations

from typing import Any

from pipeline.settings import VERSION as __version__

__all__ = ["load_pipeline", "__version__"]


def __getattr__(name: str) -> Any:
    # Imported on first use: spaCy and torch take seconds to import, and the command line
    # starts its worker processes before it needs them (pipeline/settings.py).
    if name == "load_pipeline":
        from pipeline.language import load_pipeline

        return load_pipeline
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
