"""Optional dependencies (pandas for frames, pyarrow and openpyxl for exports): imported when used,
with an error that names the extra to install when one is missing."""
from __future__ import annotations

import importlib
from types import ModuleType


class MissingExtra(RuntimeError):
    pass


def need(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{module} is not installed: pip install 'kehoach[{extra}]'") from exc
