"""The layout holds: each stage imports only the stages before it, the command line only the API, translators
read nothing of the host, and no module grows past 600 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kubebridge"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))

# what each folder may import from the package (besides itself and errors/limits)
ALLOWED = {
    "model": {"model"},
    "load": {"model", "load"},
    "translate": {"model", "load", "translate"},
    "render": {"model", "load.scalars", "render", "fidelity", "checks.findings"},
    "checks": {"model", "load", "translate", "render", "checks"},
    "fidelity": {"model", "load", "translate", "fidelity"},
    "cli": {"api", "arguments", "model.profiles", "model.versions", "cli",  # arguments: --timestamp as timestamp=
            "load.files"},  # opening an input file, said the same way as check() says it
    "query": {"model", "load", "query"},
}
COMMON = {"errors", "limits", ""}  # "": the package itself (its __version__)
HOST_MODULES = {"os", "socket", "time", "datetime", "pathlib", "subprocess", "shutil", "tempfile", "glob"}


def imports(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every import of the package in a file, as a dotted name below kubebridge ("" for the
    package itself)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kubebridge":
                found += [("" if alias.name == "__version__" else alias.name, node.lineno) for alias in node.names]
            elif node.module.startswith("kubebridge."):
                module = node.module.removeprefix("kubebridge.")
                for alias in node.names:  # `from kubebridge.model import profiles` imports model.profiles
                    sub = PACKAGE.joinpath(*module.split("."), alias.name)
                    found.append((f"{module}.{alias.name}" if sub.with_suffix(".py").exists() or sub.is_dir()
                                  else module, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((path.parent.relative_to(PACKAGE).as_posix().replace("/", "."), node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name.removeprefix("kubebridge."), node.lineno) for a in node.names
                      if a.name.startswith("kubebridge.")]
    return found


def stage(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0] if len(path.relative_to(PACKAGE).parts) > 1 else ""


@pytest.mark.parametrize("path", [p for p in MODULES if stage(p) in ALLOWED], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_stage_imports_only_the_stages_before_it(path):
    allowed = ALLOWED[stage(path)] | COMMON
    wrong = [f"line {line}: kubebridge.{module}" for module, line in imports(path)
             if not any(module == a or module.startswith(a + ".") or (a == "" and module == "") for a in allowed)]
    assert wrong == []


@pytest.mark.parametrize("path", [p for p in MODULES if stage(p) in ("translate", "fidelity", "model")],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_translators_and_the_model_read_nothing_of_the_host(path):
    """No clock, no files, no host facts: those are passed in (api.py and cli/host.py gather them)."""
    used = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            used |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            used.add(node.module.split(".")[0])
    assert used & HOST_MODULES == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_600_lines(path):
    assert len(path.read_text().splitlines()) <= 600


def test_the_command_line_calls_the_api_for_every_job():
    """Every command's work is an API call: the commands module names the API for each."""
    source = (PACKAGE / "cli" / "commands.py").read_text()
    for call in ("api.generate_result", "api.play_result", "api.roundtrip", "api.check_files"):
        assert call in source


def test_every_package_is_installed():
    """A folder of kubebridge/ left out of pyproject's package list is missing from the wheel: the installed
    command fails on import while the source tree's tests pass."""
    import re

    text = (PACKAGE.parent / "pyproject.toml").read_text()
    listed = set(re.findall(r'"([a-z.]+)"', re.search(r"^packages = \[(.*?)\]", text, re.M | re.S).group(1)))
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
