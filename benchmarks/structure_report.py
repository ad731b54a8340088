"""Print the code's structure for issue 14's closing note: big modules, import cycles, page views off the pattern.

    .venv/bin/python benchmarks/structure_report.py [--min-lines 400]

Three figures: the modules of ``cases/`` and ``genetics/`` longer than ``--min-lines`` lines (migrations
left out); the import cycles among the project's modules, counted by the same graph the cycle test
checks (tests/test_import_cycles.py), at module level and with imports inside functions; and the
page modules (cases/pages/) that still load a tree without ``page_access`` or catch domain errors
themselves instead of reporting them through ``action_reported``, or check a ``next`` URL
themselves instead of going back through ``redirect_back``. Reads source only; needs no Django.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SIZE_PACKAGES = ("cases", "genetics")
PAGES = ROOT / "cases" / "pages"
DOMAIN_ERRORS = {
    "ApplicationError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "UnprocessableInput",
    "RejectedUpload",
    "GedcomRejected",
}
"""cases.errors' classes: catching one in a page module is the error pattern action_reported owns."""


def _cycle_module() -> ModuleType:
    """Import tests/test_import_cycles.py by path (tests/ is not a package) to reuse its import graph."""
    spec = importlib.util.spec_from_file_location("test_import_cycles", ROOT / "tests" / "test_import_cycles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def big_modules(*, min_lines: int) -> list[tuple[str, int]]:
    """Return (path, line count) of the modules over ``min_lines`` lines, longest first."""
    sizes = []
    for package in SIZE_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > min_lines:
                sizes.append((str(path.relative_to(ROOT)), lines))
    return sorted(sizes, key=lambda item: (-item[1], item[0]))


def pages_off_pattern() -> dict[str, list[str]]:
    """Return, per page module, how it departs from page_access/action_reported (modules that do not are left out)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PAGES.glob("*.py")):
        if path.name == "feedback.py":  # the pattern's own home
            continue
        tree = ast.parse(path.read_text(), str(path))
        problems = []
        calls = {
            node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        if "tree_access_get" in calls:
            problems.append("loads the tree with tree_access_get, not page_access")
        if "url_has_allowed_host_and_scheme" in calls:
            problems.append("checks a next URL itself, not through redirect_back")
        caught = sorted(
            {
                name.id
                for handler in ast.walk(tree)
                if isinstance(handler, ast.ExceptHandler) and handler.type is not None
                for name in ast.walk(handler.type)
                if isinstance(name, ast.Name) and name.id in DOMAIN_ERRORS
            }
        )
        if caught:
            problems.append(f"catches {', '.join(caught)} itself, not through action_reported")
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-lines", type=int, default=400)
    args = parser.parse_args()

    modules = big_modules(min_lines=args.min_lines)
    print(f"Modules of {' and '.join(p + '/' for p in SIZE_PACKAGES)} over {args.min_lines} lines: {len(modules)}")
    for path, lines in modules:
        print(f"  {lines:5d}  {path}")

    cycles = _cycle_module()
    for lazy in (False, True):
        groups = cycles.import_cycles(cycles.import_graph(lazy=lazy))
        where = "with imports inside functions" if lazy else "at module level"
        print(f"Import cycles {where}: {len(groups)}")
        for group in groups:
            print(f"  {' <-> '.join(group)}")

    off = pages_off_pattern()
    total = len([p for p in PAGES.glob("*.py") if p.name != "feedback.py"])
    print(f"Page modules not (fully) on page_access/action_reported: {len(off)} of {total}")
    for path, problems in off.items():
        print(f"  {path}: {'; '.join(problems)}")


if __name__ == "__main__":
    main()
