"""Where knowledge lives, checked on the source (``ast``, nothing run): no import cycle
between newsbot's packages, :mod:`newsbot.config` standing alone, rendering not knowing the
mirror, and every ``NEWSBOT_*`` default written in ``newsbot/settings.py`` and nowhere else."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from functools import cache
from pathlib import Path

import newsbot.settings
from newsbot.config import BOOLEANS, NUMBERS, default, known_settings
from newsbot.config.values import LISTS, NAMES

PACKAGE = Path(newsbot.settings.__file__).parent
SETTINGS = PACKAGE / "settings.py"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def sources() -> dict[str, tuple[Path, ast.Module]]:
    """Every module of the package: name -> (path, syntax tree)."""
    return {module_name(p): (p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """The newsbot modules ``name`` imports anywhere: at the top, in functions (lazy imports
    make cycles too) and under ``TYPE_CHECKING``."""
    path, tree = sources()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in sources()}
    return {target for target in found if target == "newsbot" or target.startswith("newsbot.")}


def part(name: str) -> str:
    """The package (or top-level module) of newsbot that module ``name`` belongs to."""
    return ".".join(name.split(".")[:2])


def test_no_import_cycle_between_newsbots_packages():
    graph: dict[str, set[str]] = {}
    why: dict[tuple[str, str], str] = {}
    for name in sources():
        for target in imports(name):
            a, b = part(name), part(target)
            if a != b and b != "newsbot":
                graph.setdefault(a, set()).add(b)
                why.setdefault((a, b), f"{name} imports {target}")

    def path_back(start: str) -> list[str] | None:
        """A path start -> ... -> start, if any (depth-first)."""
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return [*trail, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    cycles = [cycle for cycle in map(path_back, sorted(graph)) if cycle]
    assert not cycles, "\n".join(" -> ".join(c) + ": " + "; ".join(why[e] for e in zip(c, c[1:])) for c in cycles)


def test_config_imports_nothing_of_newsbot_but_the_table_of_defaults():
    for name in sources():
        if part(name) == "newsbot.config":
            outside = {t for t in imports(name) if part(t) not in ("newsbot.config", "newsbot.settings")}
            assert not outside, f"{name} imports {outside}"


def test_rendering_does_not_import_the_mirror():
    for name in sources():
        if part(name) == "newsbot.render":
            assert not {t for t in imports(name) if part(t) == "newsbot.demo"}, name


# --- defaults only in newsbot/settings.py --------------------------------------------------------------
def test_every_setting_the_getters_know_has_its_default_in_the_table():
    names = set(BOOLEANS) | set(NUMBERS) | set(NAMES) | set(LISTS) | {"NEWSBOT_FALLBACK_ENCODINGS"}
    assert names <= known_settings()
    for name in names:
        default(name)  # declared in newsbot/settings.py (None where "unset" is the default)
    assert isinstance(BOOLEANS, frozenset)  # names only: no value beside them
    assert "default" not in {f.name for f in dataclasses.fields(next(iter(NUMBERS.values())))}


def test_every_newsbot_setting_the_code_names_is_declared_in_the_table():
    named = set()
    for _, (path, _) in sources().items():
        named |= set(re.findall(r"\bNEWSBOT_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8")))
    typos = {"NEWSBOT_DEDUP_ENABLED", "NEWSBOT_CLUSTR"}  # the examples of newsbot.config.check_names, mask_secrets
    assert named - typos <= known_settings(), sorted(named - typos - known_settings())


def _setting_name(node: ast.AST) -> str | None:
    """``"NEWSBOT_X"`` when ``node`` reads a setting: ``s.get("NEWSBOT_X")``, ``s.getint(...)``, a
    getter of newsbot.config called with the name, or ``s["NEWSBOT_X"]``."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "getpriority":
            return None  # a priority, not a value
        for arg in node.args[:2]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("NEWSBOT_"):
                return arg.value
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        value = node.slice.value
        return value if isinstance(value, str) and value.startswith("NEWSBOT_") else None
    return None


def _written_defaults(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        # settings.get("NEWSBOT_X", 5), settings.getbool("NEWSBOT_X", True), ...
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("get")
                and node.args and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith("NEWSBOT_")
                and (len(node.args) > 1 or any(k.arg == "default" for k in node.keywords))):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        # settings.get("NEWSBOT_X") or 5 (None and "" only normalise an unset value)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            for left, right in zip(node.values, node.values[1:]):
                if _setting_name(left) and isinstance(right, ast.Constant) and right.value not in (None, ""):
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
        # {"NEWSBOT_X": 5}: a table of values beside the table
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("NEWSBOT_")
                        and isinstance(value, ast.Constant)):
                    found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_no_module_but_the_table_writes_a_newsbot_default():
    written = {str(path.relative_to(PACKAGE.parent)): found
               for path, tree in sources().values() if path != SETTINGS and (found := _written_defaults(tree))}
    assert not written, written


def test_config_objects_built_from_settings_repeat_no_default():
    from newsbot.demo.routing import MirrorRoute
    from newsbot.render.config import RenderConfig

    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(RenderConfig))
    timeout = inspect.signature(MirrorRoute).parameters["timeout"]
    assert timeout.default is inspect.Parameter.empty
