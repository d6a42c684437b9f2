"""Streamed YAML: a file read in chunks of whole documents reads exactly as the whole text does.

The chunk size is forced down to one byte (every document marker is a cut) and
the read size to a few bytes, so cuts fall everywhere a real 64 KiB chunk could.
"""
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubebridge.errors import InputError
from kubebridge.limits import Limits
from kubebridge.load import chunks
from kubebridge.load.manifests import iter_documents


@pytest.fixture
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(chunks, "CHUNK", 1)
    monkeypatch.setattr(chunks, "READ", 5)


def read(source, **kw):
    """What the reader yields, comparable across ways of reading."""
    return [(d.data, d.index, d.line, d.line_offset, d.text, d.duplicates)
            for d in iter_documents(source, "f.yaml", expand_lists=False, **kw)]


def error(source) -> tuple:
    with pytest.raises(InputError) as info:
        list(iter_documents(source, "f.yaml"))
    return info.value.detail, info.value.line, info.value.column


SAMPLES = [
    "a: 1\n---\nb: 2\n",
    "# leading comment\n---\na: 1\n---\n# only a comment\n---\nb: [1, 2]\n...\n---\nc: 3\n",
    "%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 2\n",
    "--- {a: 1}\n--- [1, 2]\n--- scalar\n---\n",
    "a: 1\r\n---\r\nb: |\r\n  ---\r\n  text\r\n",
    "k: v\n---x: 1\n--- \n...\n",
    "a: &x {b: 1}\n---\nc: *x\n",  # an alias cannot reach into another document: an error either way
    "\ufeffa: 1\n---\nb: 2\n",
    "a: 1\n---\nb: 2\n---",
    "a: 1\n--- >\n  folded\n  text\n---\nd: [1,\n  2]\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_chunks_read_as_the_whole_text(tiny_chunks, text):
    whole = _outcome(lambda: read(text.lstrip("\ufeff")))
    assert _outcome(lambda: read(text.encode())) == whole
    assert _outcome(lambda: read(io.BytesIO(text.encode()))) == whole


def _outcome(fn):
    try:
        return fn()
    except InputError as exc:
        return ("error", exc.detail, exc.line, exc.column)


scalars = st.one_of(st.integers(), st.booleans(), st.text("ab -:#'\"\n", max_size=8), st.none())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text("abc", min_size=1, max_size=3), inner, max_size=3), max_leaves=8)


@given(docs=st.lists(st.dictionaries(st.text("xyz", min_size=1, max_size=3), values, min_size=1, max_size=3),
                     min_size=1, max_size=6),
       comments=st.lists(st.booleans(), min_size=6, max_size=6))
def test_any_stream_reads_as_the_whole_text(docs, comments):
    import json

    parts = []
    for doc, comment in zip(docs, comments):
        parts.append(("# a comment\n" if comment else "") + "---\n" + json.dumps(doc, indent=1) + "\n")
    text = "".join(parts)
    saved = chunks.CHUNK, chunks.READ
    chunks.CHUNK, chunks.READ = 1, 7
    try:
        assert read(io.BytesIO(text.encode())) == read(text)
    finally:
        chunks.CHUNK, chunks.READ = saved


def test_an_error_deep_in_a_stream_has_its_line_in_the_file(tiny_chunks):
    text = "".join(f"---\nkind: Pod\nn: {i}\n" for i in range(50)) + "---\na: [1\nb: 2\n"
    detail, line, column = error(text.encode())
    assert (detail, line, column) == error(text)
    assert line == 50 * 3 + 3


def test_bytes_that_are_not_utf8_are_placed_by_line(tiny_chunks):
    text = b"a: 1\n---\nb: 2\n---\nc: \xff\n"
    detail, line, _ = error(text)
    assert detail.startswith("not UTF-8 text (byte 21)")
    assert line == 5


def test_a_nul_byte_is_binary_input(tiny_chunks):
    detail, line, _ = error(b"a: 1\n---\nb: \x00\n")
    assert "binary data" in detail and line == 3


def test_the_document_limit_names_the_option():
    text = "".join(f"---\nn: {i}\n" for i in range(5))
    with pytest.raises(InputError) as info:
        list(iter_documents(text.encode(), "f.yaml", limits=Limits(max_documents=3)))
    assert "more than 3 documents" in info.value.detail and "--max-documents" in info.value.detail
    assert info.value.line == 8


def test_the_size_limit_names_the_option():
    with pytest.raises(InputError) as info:
        list(iter_documents(io.BytesIO(b"a: 1\n" * 1000), "f.yaml", limits=Limits(max_bytes=1000)))
    assert "larger than 1,000 bytes" in info.value.detail and "--max-bytes" in info.value.detail


def test_a_long_stream_is_parsed_in_bounded_chunks(monkeypatch):
    """No chunk handed to the parser holds much more than CHUNK bytes plus one document."""
    seen = []
    real = chunks._text
    monkeypatch.setattr(chunks, "_text", lambda raw, *a: seen.append(len(raw)) or real(raw, *a))
    doc = "---\nkind: ConfigMap\ndata:\n" + "".join(f"  k{i}: v\n" for i in range(100))
    docs = list(iter_documents(io.BytesIO((doc * 2000).encode()), "f.yaml"))
    assert len(docs) == 2000
    assert len(seen) > 20 and max(seen) <= chunks.CHUNK + len(doc)


def _run_check(tmp_path, on_terminal: bool) -> tuple[int, str]:
    import os
    import pty
    import subprocess
    import sys

    for i in range(3):
        (tmp_path / f"m{i}.yaml").write_text("".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{j}\n"
                                                     f"data:\n  k: v\n" for j in range(3000)))
    if not on_terminal:
        proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", str(tmp_path)], capture_output=True)
        return proc.returncode, proc.stderr.decode()
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kubebridge", "check", str(tmp_path)], stderr=slave,
                            stdout=subprocess.DEVNULL)
    os.close(slave)
    seen = b""
    while True:
        try:
            part = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not part:
            break
        seen += part
    code = proc.wait()
    os.close(master)
    return code, seen.decode()


def test_progress_on_a_terminal_and_nothing_when_piped(tmp_path):
    code, err = _run_check(tmp_path, on_terminal=True)
    assert code == 0
    assert "kubebridge: checking [" in err and "/3 files" in err and err.endswith("\r\x1b[K")
    code, err = _run_check(tmp_path, on_terminal=False)
    assert code == 0 and err == ""
