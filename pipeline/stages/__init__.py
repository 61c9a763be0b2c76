"""The six spaCy components of the pipeline, one module each, in pipeline order:

clean → segment → recognize → normalize → link → check

Each module registers its factory (``newsie_clean`` …) when imported; ``pipeline.language``
imports them all, and the package's ``spacy_factories`` entry points name them for spaCy.
"""
