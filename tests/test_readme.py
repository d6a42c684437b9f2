"""The README's examples work as written."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_python_examples_run(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        proc = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr


def test_python_examples_print_what_their_comments_show():
    """A `# ...` line right after a print() is what it prints (the check example once printed a duplicate-key
    finding: its file joined two documents without `---`)."""
    checked = 0
    for block in re.findall(r"```python\n(.*?)```", README, re.S):
        lines = block.splitlines()
        shown = [lines[i + 1][2:] for i, line in enumerate(lines[:-1])
                 if line.startswith("print(") and lines[i + 1].startswith("# ")]
        if not shown:
            continue
        checked += 1
        proc = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines() == shown
    assert checked


def test_quick_start_command_is_the_shipped_example():
    assert "python -m kubebridge generate examples/web-sidecar/*.json" in README
    assert "pip install '.[test]' && python -m pytest" in README
    env = {**os.environ}
    files = sorted(str(p) for p in (ROOT / "examples/web-sidecar").glob("*.json"))
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "generate", *files], cwd=ROOT, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0 and "kind: Pod" in proc.stdout


def test_check_example_prints_what_the_readme_shows():
    block = re.search(r"    \$ python -m kubebridge check (.*?)\n(.*?)\n\n", README, re.S)
    assert block
    args = block.group(1).split()
    shown = [line[4:] for line in block.group(2).splitlines() if line.strip() != "..."]
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", *args], cwd=ROOT, capture_output=True,
                          text=True)
    printed = proc.stdout.splitlines()
    assert proc.returncode == 0
    assert printed[:len(shown) - 1] == shown[:-1] and printed[-1] == shown[-1]


def _shell_examples() -> list[tuple[str, list[str]]]:
    """Every `    $ python -m kubebridge ...` line of the README, with the lines shown after it."""
    examples: list[tuple[str, list[str]]] = []
    for line in README.splitlines():
        if line.startswith("    $ python -m kubebridge "):
            examples.append((line[len("    $ python -m kubebridge "):], []))
        elif examples and line.startswith("    ") and examples[-1] is not None:
            examples[-1][1].append(line[4:])
        elif examples and not line.startswith("    "):
            examples.append(None)  # type: ignore[arg-type]  # the block ended
    return [e for e in examples if e is not None]


def _shows(shown: list[str], printed: list[str]) -> bool:
    """Whether the lines shown appear in the lines printed, in order: `...` stands for any lines in between, a line
    ` ...` within a line for any words, and the lines around a `...` follow one another directly."""
    at = 0
    skipping = True
    for want in shown:
        if want.strip() == "...":
            skipping = True
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in want.split(" ...")))
        matches = pattern.fullmatch
        if skipping:
            found = next((i for i in range(at, len(printed)) if matches(printed[i])), None)
            if found is None:
                return False
            at = found + 1
        else:
            if at >= len(printed) or not matches(printed[at]):
                return False
            at += 1
        skipping = False
    return True


def test_every_shell_example_prints_what_the_readme_shows():
    """Each `$ python -m kubebridge` example runs on files in the repository and prints the lines shown (stderr,
    then stdout), at the README's fixed time."""
    examples = _shell_examples()
    assert len(examples) >= 5
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795219200"}  # 2026-11-21T00:00:00Z, the time the README shows
    for command, shown in examples:
        args = command.split()
        assert all((ROOT / a).exists() for a in args if "/" in a), command
        proc = subprocess.run([sys.executable, "-m", "kubebridge", *args], cwd=ROOT, capture_output=True, text=True,
                              env=env, timeout=120)
        printed = proc.stderr.splitlines() + proc.stdout.splitlines()
        assert shown and _shows(shown, printed), (command, printed)
        assert proc.returncode in (0, 1, 2)
        assert ("error:" in shown[0]) == (proc.returncode == 2), command


def test_rules_table_is_the_rule_table():
    from kubebridge.checks.findings import RULES

    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \| (kubernetes|podman|both) \|", README, re.M)
    assert rows == [(r.id, r.severity, r.target) for r in RULES.values()]


def test_rewrite_tables_are_the_code_tables():
    from kubebridge.fidelity import MODEL_REWRITES, REWRITES

    rows = re.findall(r"^\| `([a-z0-9-]+)` \| .* \| `([0-9.]+/[a-z0-9-]+)` \|$", README, re.M)
    assert rows == [(r.id, r.fixture) for r in REWRITES] + [(r.id, r.fixture) for r in MODEL_REWRITES]


def test_portable_example_is_a_fixed_point(tmp_path):
    files = sorted(str(p) for p in (ROOT / "examples/web-sidecar").glob("*.json"))
    out = tmp_path / "web.yaml"
    assert subprocess.run([sys.executable, "-m", "kubebridge", "generate", "--portable", "-o", str(out), *files],
                          cwd=ROOT).returncode == 0
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "roundtrip", "--portable", "--no-stat",
                           "--image-inspect", "examples/web-sidecar/image-inspect.json", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "(play, then generate --portable) changes nothing" in proc.stdout


def test_rewrite_descriptions_are_the_code_descriptions():
    from kubebridge.fidelity import MODEL_REWRITES, REWRITES

    for rewrite in list(REWRITES) + list(MODEL_REWRITES):
        assert f"| `{rewrite.id}` | {rewrite.podman} | `{rewrite.fixture}` |" in README


def test_limits_the_readme_states_are_the_defaults():
    from kubebridge.limits import LIMITS, size_text

    section = README[README.index("## Bad input"):README.index("## Developing")]
    assert f"more than {LIMITS.max_alias_nodes:,} nodes reached through aliases" in section
    assert f"more than {LIMITS.max_depth:,} levels" in section
    assert f"one scalar over {size_text(LIMITS.max_string)}" in section
    assert f"over {size_text(LIMITS.max_bytes)}: `--max-bytes" in section
    assert f"over {LIMITS.max_documents:,} documents: `--max-documents" in section


def test_exception_hierarchy_is_the_code():
    import kubebridge as kb

    section = README[README.index("KubebridgeError            catch"):]
    for name in ("UsageError", "InputError", "PodmanRefusal", "MissingReference"):
        assert f"── {name}" in section[:800]
        assert issubclass(getattr(kb, name), kb.KubebridgeError)
    assert issubclass(kb.MissingReference, kb.PodmanRefusal)


def test_podman_versions_table_is_what_resolve_does():
    from kubebridge.model import versions

    section = README[README.index("## Podman versions"):README.index("## Bad input")]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", section, re.M)[2:]
    checked = 0
    for names, models in rows:
        for name in re.findall(r"`([0-9.]+)`", names):
            full, notice = versions.resolve(name) if name[0] in "45" else ("", "")
            if name[0] in "45":
                assert full in models or (notice and f"modelled by {full}" in notice), name
            else:
                try:
                    versions.resolve(name)
                except ValueError:
                    pass
                else:
                    raise AssertionError(f"{name} resolves, but the README says it is refused")
            checked += 1
    assert checked >= 10
    assert "Podman 5.2 has no profile of its own: modelled by 5.4.2, the nearest 5.x" in section
    assert versions.resolve("5.2")[1] == "Podman 5.2 has no profile of its own: modelled by 5.4.2, the nearest 5.x"


def test_python_api_table_names_public_functions():
    import kubebridge as kb

    section = README[README.index("The Python API (`import kubebridge`"):README.index("## `generate`")]
    names = re.findall(r"`([a-z_]+)`", "".join(re.findall(r"^\| [a-z ]+ \| (.+?) \|", section, re.MULTILINE)))
    assert len(names) == 20
    for name in names:
        assert name in kb.__all__ and callable(getattr(kb, name)), name
    for profile in re.findall(r"`(?:kubebridge\.)?(PODMAN_[0-9_]+)`", section):
        assert kb.get_profile(getattr(kb, profile)) is getattr(kb, profile)


def test_the_pre_commit_hook_pins_a_release_tag_and_prints_one_summary(tmp_path):
    """`rev:` is v<version> (the tag each release gets: pyproject's version, kubebridge.__version__), and the hook
    runs once for all the files: pre-commit splits the files across processes unless require_serial is set, and
    each process printed its own summary (reproduced with `pre-commit try-repo . kubebridge-check --all-files`
    on six files: two summaries before, one after)."""
    import yaml

    import kubebridge

    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE).group(1)
    assert version == kubebridge.__version__
    assert re.findall(r"^ +rev: (\S+)$", README, re.M) == [f"v{version}"]
    hooks_text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert f"rev: v{version} " in hooks_text
    (hook,) = yaml.safe_load(hooks_text)
    assert (hook["id"], hook["entry"], hook["require_serial"]) == ("kubebridge-check", "kubebridge check", True)
    # the hook's command line as pre-commit runs it with require_serial: one process, every file
    files = []
    for n in range(6):
        (tmp_path / f"deploy-{n}.yaml").write_text((ROOT / "examples/check/web.yaml").read_text())
        files.append(str(tmp_path / f"deploy-{n}.yaml"))
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *hook["entry"].split()[1:], *files], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    summaries = [line for line in proc.stdout.splitlines() if re.match(r"\d+ errors?, \d+ warnings? in ", line)]
    assert proc.returncode == 1 and summaries == [summaries[0]] and "in 6 documents (6 files)" in summaries[0]
