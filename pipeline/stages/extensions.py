"""The attributes newsie's stages write on spaCy's ``Doc`` and ``Span`` (see docs/output.md),
and the key of the mention group in ``doc.spans``.

spaCy extensions are process-wide, so they are set here, once, by whichever stage module is
imported first; a stage loaded on its own (``spacy.load`` through the entry points) has them too.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

# Every mention of every label, TARGETs overlapping the MONEY inside them.
ENTITY_SPANS_KEY = "newsie"
# Gold mentions an annotator may include or leave out (annotations/GUIDELINES.md), on a
# reference Doc for nlp.evaluate: Recognizer.score sets aside the predictions of them.
OPTIONAL_SPANS_KEY = "newsie_optional"

# Document-level results of the stages.
Doc.set_extension("clean_text", default=None, force=True)
Doc.set_extension("boilerplate", default=None, force=True)
Doc.set_extension("paragraphs", default=None, force=True)
Doc.set_extension("warnings", default=None, force=True)
# Normalized attributes of one entity span (value, currency, clusters…).
Span.set_extension("attrs", default=None, force=True)
