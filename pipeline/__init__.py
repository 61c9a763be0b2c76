"""newsie: information extraction for Chinese economic and industrial news.

``load_pipeline()`` builds the spaCy pipeline of ``configs/default.cfg``:
clean → segment → recognize → normalize → link → check.
"""
from pipeline.language import load_pipeline

__all__ = ["load_pipeline"]
__version__ = "0.1.0"
