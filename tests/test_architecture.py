"""The layout rules of ARCHITECTURE.md, checked on the source so that they cannot drift.

Each test reads the package's modules (their syntax trees, never their behaviour) and names the
offending file and line, so a failure says exactly what to move or rename.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tierdesk"
MAX_MODULE_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST | None = None) -> str:
    line = f":{node.lineno}" if node is not None and hasattr(node, "lineno") else ""
    return f"{path.relative_to(PACKAGE.parent)}{line}"


def _imported_modules(path: Path) -> list[tuple[ast.AST, str]]:
    """Every module a file imports, relative imports resolved against the file's package."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.extend((node, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node, module))
            found.extend((node, f"{module}.{alias.name}") for alias in node.names)
    return found


def _is_in(path: Path, folder: str) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return folder in parts[:-1] or parts[-1] == f"{folder}.py"


def test_the_sla_engine_imports_no_django() -> None:
    offending = [
        _where(path, node)
        for path in sorted((PACKAGE / "sla").rglob("*.py"))
        for node, module in _imported_modules(path)
        if module == "django" or module.startswith("django.")
    ]
    assert offending == []
    # And at run time: importing the engine and its command line loads no Django module.
    code = (
        "import sys, tierdesk.sla, tierdesk.sla.cli, tierdesk.sla.explain;"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_selectors_never_import_services() -> None:
    offending = [
        f"{_where(path, node)} imports {module}"
        for path in _modules()
        if _is_in(path, "selectors")
        for node, module in _imported_modules(path)
        if ".services" in f".{module}"
    ]
    assert offending == []


def test_no_private_name_is_imported_from_another_module() -> None:
    offending = [
        f"{_where(path, node)} imports {alias.name}"
        for path in _modules()
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert offending == []


def test_no_module_grows_past_the_limit() -> None:
    offending = [
        f"{_where(path)} has {lines} lines"
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert offending == [], f"split these into packages of the same name ({MAX_MODULE_LINES})"


@pytest.mark.parametrize("kind", ["selectors", "services", "forms", "urls", "views"])
def test_no_suffixed_twin_modules(kind: str) -> None:
    """`selectors_console.py`-style names: a module grows into a package instead."""
    offending = [_where(path) for path in _modules() if path.stem.startswith(f"{kind}_")]
    assert offending == []


def test_reads_writes_and_vocabularies_have_one_meaning() -> None:
    """A public selector, service, model or choices name is defined in one module only."""
    defined: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        if not (
            _is_in(path, "selectors")
            or _is_in(path, "services")
            or _is_in(path, "models")
            or path.name in {"choices.py", "policies.py", "permissions.py"}
            or path.parent.name == "notifications"
        ):
            continue
        for node in _tree(path).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                defined[node.name].append(_where(path, node))
    twins = {name: places for name, places in defined.items() if len(places) > 1}
    assert twins == {}


def test_no_two_apps_have_a_service_or_selector_module_of_one_name() -> None:
    """Two `services/notify.py` in one product read as one thing; each name says its purpose.

    A concern's reads and writes may share a name (`selectors/clocks.py`, `services/clocks.py`).
    """
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _modules():
        for kind in ("services", "selectors"):
            if _is_in(path, kind) and path.stem != "__init__":
                by_name[(kind, path.stem)].append(_where(path))
    twins = {f"{kind}/{stem}": p for (kind, stem), p in by_name.items() if len(p) > 1}
    assert twins == {}


def test_pages_answer_head_as_well_as_get() -> None:
    """`require_safe`, not `require_GET`: a HEAD (monitors, link checkers) gets a page's status."""
    offending = [
        _where(path, node)
        for path in _modules()
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Name | ast.alias)
        and (node.id if isinstance(node, ast.Name) else node.name) == "require_GET"
    ]
    assert offending == []
