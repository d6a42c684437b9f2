"""One meaning per flag across the commands, Podman's convention: --format FORMAT picks what is printed,
-o/--output FILE names the file to write.  The old spellings (check's and roundtrip's --output FORMAT and
--report FILE) work with a deprecation notice; a format name given to -o is never a file's name."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubebridge.cli.parser import FORMAT_NAMES, FORMATS, build_parser

ROOT = Path(__file__).resolve().parents[1]
SIDECARS = ROOT / "examples/play/sidecars.yaml"
IMAGES = ROOT / "examples/play/images.json"
WEB = sorted(str(p) for p in (ROOT / "examples/web-sidecar").glob("*.json"))


def kb(*args, cwd: Path = ROOT):
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={**os.environ, "SOURCE_DATE_EPOCH": "1795219200", "PYTHONPATH": str(ROOT)})
    return proc.returncode, proc.stdout, proc.stderr


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_names_files_with_output_and_formats_with_format(command):
    options = {o: a for a in subcommands()[command]._actions for o in a.option_strings}
    assert options["-o"] is options["--output"] and options["-o"].metavar == "FILE" and not options["-o"].choices
    if command in FORMATS:
        assert tuple(options["--format"].choices) == FORMATS[command]
    else:
        assert "--format" not in options
    # no other option picks a format
    assert [o for o, a in options.items() if a.choices and set(a.choices) <= set(FORMAT_NAMES) and o != "--format"] \
        == []


@pytest.mark.parametrize("command,args", [("play", [SIDECARS]), ("generate", WEB), ("snapshot", ["web"])])
def test_a_format_name_given_to_output_is_never_a_file_name(command, args, tmp_path):
    code, out, err = kb(command, "--output", "json", *args, cwd=tmp_path)
    assert (code, out, list(tmp_path.iterdir())) == (2, "", [])
    instead = {"play": "write --format json", "generate": "generate writes YAML only",
               "snapshot": "snapshot writes JSON only"}[command]
    assert err == (f"kubebridge: error: -o/--output names the file to write, and 'json' is a format name: {instead} "
                   "(or -o ./json for a file of that name)\n")


def test_a_file_of_a_format_names_name_is_written_when_asked_for_as_a_path(tmp_path):
    code, out, err = kb("play", "--format", "commands", "-o", "./json", SIDECARS, cwd=tmp_path)
    assert (code, out) == (0, "")
    assert (tmp_path / "json").read_text().startswith("#!/bin/sh")


@pytest.mark.parametrize("command,args,fmt", [("check", ["--target", "kubernetes", SIDECARS], "json"),
                                              ("check", ["--target", "kubernetes", SIDECARS], "sarif"),
                                              ("roundtrip", ["--no-stat", "--image-inspect", IMAGES, SIDECARS],
                                               "json")])
def test_the_old_output_format_spelling_works_with_a_notice(command, args, fmt):
    new = kb(command, "--format", fmt, *args)
    old = kb(command, "--output", fmt, *args)
    assert old[:2] == new[:2] and new[0] in (0, 1)
    assert old[2] == (f"kubebridge: warning: -o/--output {fmt} is deprecated: -o/--output names a file now; write "
                      f"--format {fmt}\n") + new[2]


def test_the_old_report_spelling_works_with_a_notice(tmp_path):
    code, out, err = kb("check", "--format", "json", "--report", tmp_path / "r.json", SIDECARS)
    assert (code, out) == (0, "")
    assert err == f"kubebridge: warning: --report is deprecated: write -o {tmp_path / 'r.json'}\n"
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["documents"] == 1
    code, out, err = kb("check", "--output", "json", "--report", tmp_path / "s.json", SIDECARS)  # the old pair
    assert code == 0 and json.loads((tmp_path / "s.json").read_text())["summary"]["documents"] == 1
    assert "-o/--output json is deprecated" in err and "--report is deprecated" in err


@pytest.mark.parametrize("args,message", [
    (["--report", "a.txt", "-o", "b.txt"], "--report is the old spelling of -o/--output: give -o/--output only"),
    (["--output", "json", "--format", "text"], "--output json (the old spelling of --format json) and --format text: "
                                              "give --format only"),
    (["--output", "html"], "-o/--output names the file to write, and 'html' is a format name: check writes text or "
                           "json or junit or sarif (or -o ./html for a file of that name)"),
])
def test_two_spellings_of_one_thing_are_refused(args, message, tmp_path):
    code, out, err = kb("check", *args, SIDECARS, cwd=tmp_path)
    assert (code, out, err, list(tmp_path.iterdir())) == (2, "", f"kubebridge: error: {message}\n", [])


def test_help_says_which_spelling_is_old():
    code, out, _ = kb("check", "--help")
    assert code == 0 and "the old spelling of -o/--output FILE (deprecated)" in " ".join(out.split())


@pytest.mark.parametrize("args", [["--output", "sarif", "-o", "s.sarif"], ["-o", "a.txt", "-o", "b.txt"]])
def test_two_outputs_are_refused_not_one_silently_dropped(tmp_path, args):
    """The newcomer's `check --output sarif -o s.sarif` wrote text to s.sarif: the later -o won unseen."""
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", *args, str(ROOT / "examples/check/web.yaml")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and "-o/--output given 2 times" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_format_name_in_capitals_is_no_file_name(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", "-o", "JSON",
                           str(ROOT / "examples/check/web.yaml")], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and "write --format json" in proc.stderr and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command,args,name,starts", [
    ("roundtrip", ["--no-stat", *WEB], "report.html", "<!DOCTYPE html>"),
    ("roundtrip", ["--no-stat", *WEB], "report.JSON", "{"),
    ("check", [str(ROOT / "examples/check/web.yaml")], "findings.sarif", "{"),
    ("check", [str(ROOT / "examples/check/web.yaml")], "findings.xml", "<?xml"),
    ("play", ["--image-inspect", str(IMAGES), str(SIDECARS)], "pods.sh", "#!/bin/sh"),
])
def test_without_format_the_output_files_suffix_names_it(tmp_path, command, args, name, starts):
    """The trial's `roundtrip -o x.html` wrote text into x.html: a suffix the command writes picks the format."""
    kb(command, *args, "-o", tmp_path / name)
    assert (tmp_path / name).read_text().startswith(starts)


def test_a_suffix_the_command_does_not_write_keeps_the_default_and_format_wins(tmp_path):
    _, _, err = kb("check", ROOT / "examples/check/web.yaml", "-o", tmp_path / "a.html")
    assert not (tmp_path / "a.html").read_text().startswith(("{", "<"))  # check writes no html: text
    assert f"-o {tmp_path / 'a.html'}: check writes no html; writing text (--format text or json" in err
    kb("check", "--format", "json", ROOT / "examples/check/web.yaml", "-o", tmp_path / "b.xml")
    assert (tmp_path / "b.xml").read_text().startswith("{")


def test_an_unknown_flag_is_named_with_the_commands_own_usage():
    """The trial's `generate --format json` printed the top-level usage, which does not show generate's flags."""
    code, out, err = kb("generate", "--format", "json", *WEB)
    assert code == 2 and out == ""
    assert err.startswith("usage: python -m kubebridge generate ")
    assert "unrecognized arguments: --format (generate writes YAML only: it has no --format)" in err
    code, _, err = kb("check", "--bogus", ROOT / "examples/check/web.yaml")
    assert code == 2 and err.startswith("usage: python -m kubebridge check ") and err.endswith(
        "unrecognized arguments: --bogus\n")
