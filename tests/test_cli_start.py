"""The command line starts without spaCy, torch or the models, so that `newsie run --workers N`
starts its workers before anything else (pipeline/settings.py)."""
import subprocess
import sys

HEAVY = ("spacy", "torch", "hanlp", "sklearn", "pipeline.language", "pipeline.models.org.tagger")


def test_the_command_line_module_imports_nothing_heavy():
    code = ("import sys, pipeline.cli, pipeline.corpus.workers, pipeline.settings; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_load_pipeline_is_still_there_from_the_package():
    import pipeline
    from pipeline.language import load_pipeline

    assert pipeline.load_pipeline is load_pipeline
