"""The package map: every import points down (or stays within its layer), nothing imports the CLI.

The layers, bottom first, are data here and a picture in docs/layers.svg; a module may import
its own layer and those below it. Imports inside functions and under TYPE_CHECKING count too.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (layer, import prefix, folder): bottom first
LAYERS = [
    ("catalogs", "kehoach.catalogs", "catalogs"),
    ("models", "kehoach.models", "models"),
    ("normalizers", "kehoach.normalizers", "normalizers"),
    ("extractors", "kehoach.extractors", "extractors"),
    # the readers are the room every file enters: bytes in, a RawDocument or a refusal out,
    # nothing of the chain, the batches or the inbox
    ("readers", "kehoach.pipeline.readers", "pipeline/readers"),
    ("pipeline", "kehoach.pipeline", "pipeline"),
    # the review page is output: it reads records and is called by the command line alone
    ("review", "kehoach.pipeline.review", "pipeline/review"),
    ("flows", "kehoach.flows", "flows"),
    ("api", "kehoach", "kehoach/__init__.py"),
    ("cli", "kehoach.cli", "kehoach/cli.py"),
]
# the entry point 'python -m kehoach' is the command line itself
ENTRY_POINTS = {"kehoach/__main__.py"}


def layer_of_module(name: str) -> int:
    best = None
    for i, (_, prefix, _) in enumerate(LAYERS):
        if name == prefix or name.startswith(prefix + "."):
            if best is None or len(prefix) > len(LAYERS[best][1]):
                best = i
    assert best is not None, f"{name} is in no layer"
    return best


def layer_of_file(rel: str) -> int:
    for i, (_, _, where) in sorted(enumerate(LAYERS), key=lambda x: -len(x[1][2])):  # files before folders
        if rel == where or rel.startswith(where + "/"):
            return i
    raise AssertionError(f"{rel} is in no layer")


def project_files() -> list[Path]:
    out = []
    for _, _, where in LAYERS:
        p = ROOT / where
        out += [p] if p.is_file() else sorted(p.rglob("*.py"))
    return sorted(set(out))


def kehoach_imports(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "kehoach"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kehoach":
            # 'from kehoach.normalizers import places' imports the module kehoach.normalizers.places
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def upward(source: str, rel: str) -> list[str]:
    here = layer_of_file(rel)
    bad = []
    for line, name in kehoach_imports(source):
        target = layer_of_module(name)
        if target > here:
            bad.append(f"{rel}:{line} ({LAYERS[here][0]}) imports {name} ({LAYERS[target][0]})")
    return bad


def _rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", project_files(), ids=_rel)
def test_imports_point_down(path):
    assert upward(path.read_text(encoding="utf-8"), _rel(path)) == []


def test_nothing_imports_the_cli():
    users = [f"{_rel(p)}:{line}" for p in project_files() if _rel(p) not in ENTRY_POINTS
             for line, name in kehoach_imports(p.read_text(encoding="utf-8"))
             if name == "kehoach.cli" or name.startswith("kehoach.cli.")]
    assert users == []


@pytest.mark.parametrize("source,rel,expected", [
    ("from kehoach.extractors.amounts import extract_amounts\n", "normalizers/x.py",
     ["normalizers/x.py:1 (normalizers) imports kehoach.extractors.amounts.extract_amounts (extractors)"]),
    ("def f():\n    import kehoach.flows.nightly\n", "pipeline/x.py",
     ["pipeline/x.py:2 (pipeline) imports kehoach.flows.nightly (flows)"]),
    ("from kehoach import extract\n", "models/x.py", ["models/x.py:1 (models) imports kehoach.extract (api)"]),
    ("from kehoach.pipeline.batch import process_files\n", "pipeline/readers/x.py",
     ["pipeline/readers/x.py:1 (readers) imports kehoach.pipeline.batch.process_files (pipeline)"]),
    ("from kehoach.pipeline.review import render\n", "pipeline/batch.py",
     ["pipeline/batch.py:1 (pipeline) imports kehoach.pipeline.review.render (review)"]),
    ("from kehoach.normalizers import places\nfrom kehoach.catalogs import load\n", "extractors/x.py", []),
])
def test_the_checker_sees_an_upward_import(source, rel, expected):
    assert upward(source, rel) == expected
