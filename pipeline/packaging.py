"""``newsie package OUT``: the pipeline as an installable spaCy package, ``zh_newsie``.

spaCy's own ``spacy package`` makes the package from what ``nlp.to_disk`` writes: each stage
copies the files it loads (ORG models, name lists, taxonomy, linking model) into its folder
(pipeline.stages.resources). The code stays in newsie's own wheel, built next to it: the
package requires ``newsie``, whose entry points (``spacy_factories``, ``spacy_tokenizers``)
register the stages and the tokenizer, so ``spacy.load("zh_newsie")`` needs no ``--code``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pipeline.language import load_pipeline
from pipeline.settings import DEFAULT_CONFIG, PROJECT_ROOT, VERSION

PACKAGE_NAME = "newsie"  # spaCy puts the language first: zh_newsie


def build_package(out_dir: str | Path, config: str | Path = DEFAULT_CONFIG, overrides: dict[str, Any] | None = None,
                  name: str = PACKAGE_NAME, version: str = VERSION, with_newsie: bool = True) -> list[Path]:
    """Build the wheel of the spaCy package of ``config`` (and, with ``with_newsie``, newsie's
    own wheel) into ``out_dir``; returns the wheels built."""
    from spacy.cli.package import package

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = load_pipeline(config, overrides)
    nlp.meta.update(name=name, version=version, license="Apache-2.0", url="https://github.com/newsie",
                    description="newsie: organizations, parks, money, targets and industry clusters in Chinese "
                                "economic news", requirements=[f"newsie=={VERSION}"])
    built = []
    with tempfile.TemporaryDirectory(prefix="newsie-package-") as tmp:
        saved, staged = Path(tmp) / "pipeline", Path(tmp) / "package"
        nlp.to_disk(saved)
        staged.mkdir()
        # spaCy writes the package folder; the wheel is built here without build isolation,
        # so no network is needed (spaCy's own build step would fetch setuptools).
        package(saved, staged, create_sdist=False, create_wheel=False, force=True, silent=True)
        built.append(_wheel(next(staged.iterdir()), out_dir))
        if with_newsie:
            built.append(_wheel(_newsie_source(Path(tmp) / "newsie"), out_dir))
    return built


def _newsie_source(folder: Path) -> Path:
    """newsie's sources copied to ``folder``: setuptools builds in the source tree, and a stale
    build/ there would slip removed modules into the wheel."""
    for name in ("pyproject.toml", "README.md", *(p.name for p in PROJECT_ROOT.glob("LICEN[CS]E*"))):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / name, folder / name)
    shutil.copytree(PROJECT_ROOT / "pipeline", folder / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _wheel(source: Path, out_dir: Path) -> Path:
    before = set(out_dir.glob("*.whl"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                             "--wheel-dir", str(out_dir), str(source)], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"building the wheel of {source} failed:\n{result.stderr[-2000:]}")
    made = set(out_dir.glob("*.whl")) - before
    # a wheel of the same name and version replaced in place is the newest one
    return made.pop() if made else max(out_dir.glob("*.whl"), key=lambda p: p.stat().st_mtime)
