"""What a person at a terminal sees: check's progress line never runs into a finding, and usage lines name the
command as it was typed (`kubebridge` for the installed script, `python -m kubebridge` for the module)."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{n}\ndata:\n  k: v\n"
BAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n" \
      "    image: localhost/app:1\n"


def screen(raw: bytes) -> list[str]:
    """The lines a terminal shows after printing raw: \\r returns to the line's start, ESC[K erases to its end,
    \\n starts a new line (a pty writes \\r\\n)."""
    lines, line, col = [], [], 0
    text = raw.decode("utf-8", "replace")
    i = 0
    while i < len(text):
        if text.startswith("\033[K", i):
            del line[col:]
            i += 3
            continue
        ch = text[i]
        if ch == "\r":
            col = 0
        elif ch == "\n":
            lines.append("".join(line))
            line, col = [], 0
        else:
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
        i += 1
    if line:
        lines.append("".join(line))
    return lines


def on_a_terminal(args: list[str]) -> bytes:
    """Everything `python -m kubebridge ARGS` writes to a terminal (stdout and stderr both a pty)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kubebridge", *args], stdout=slave, stderr=slave,
                            stdin=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the pty closed: the process ended
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    return out


def test_the_progress_line_is_cleared_before_a_finding_is_printed(tmp_path):
    for name in ("a", "b"):  # thousands of documents, so the line is drawn, then a finding at the end of each
        (tmp_path / f"{name}.yaml").write_text("---\n".join([GOOD.format(n=n) for n in range(3000)] + [BAD]))
    raw = on_a_terminal(["check", "--target", "kubernetes", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])
    assert b"kubebridge: checking [" in raw  # the progress line was drawn (a bar: two files)
    shown = screen(raw)
    findings = [line for line in shown if "[image-local]" in line]
    assert [line.split(":")[0] for line in findings] == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    assert [line for line in shown if "kubebridge: checking" in line] == []  # cleared each time, and at the end
    assert shown[-1].startswith("0 errors, 2 warnings in 6002 documents (2 files)")


def test_usage_names_the_command_as_it_was_run():
    def usage(argv0: str, *args: str) -> str:
        code = f"import sys; sys.argv[0] = {argv0!r}; from kubebridge.cli import main; sys.exit(main({list(args)!r}))"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=ENV,
                              timeout=60)
        return proc.stdout + proc.stderr

    # the installed script (pip's console-script wrapper leaves its own path in argv[0])
    assert usage("/usr/local/bin/kubebridge", "generate").startswith("usage: kubebridge generate ")
    assert usage("/usr/local/bin/kubebridge", "--help").startswith("usage: kubebridge [-h]")
    # the module, as `python -m kubebridge` runs it
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "generate"], capture_output=True, text=True,
                          cwd=ROOT, env=ENV, timeout=60)
    assert proc.returncode == 2 and proc.stderr.startswith("usage: python -m kubebridge generate ")
