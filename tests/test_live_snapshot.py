"""`kubebridge snapshot` against the Podmans installed here, each on the tests' own store.

The pod of generate_scenarios.SNAPSHOT (a web server and a log shipper sharing a named volume, ports with UDP and
a host IP) is made in a real Podman; `kubebridge snapshot web` asks that Podman (its command line, through a
wrapper that puts it on the test store: podmanrun.Podman.wrapper; and its API service, `podman system service`
on the test store), then `kubebridge generate` of the bundle is compared with `podman kube generate web`, as the
live generate tests compare (support.body: up to the header's last line and creationTimestamp; ports across
host IPs and protocols in Podman's Go-map order).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from livepodman import VERSIONS, live, podman_for
from test_snapshot import same_as_podman

from kubebridge.cli import main
from kubebridge.query.command_line import READ_ONLY

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
from capture_generate import set_up  # noqa: E402
from generate_scenarios import SNAPSHOT  # noqa: E402
from podmanrun import exclusive  # noqa: E402

FULL = {"4.3": "4.3.1", "5.4": "5.4.2", "5.8": "5.8.6"}


@exclusive
def make_pod(podman) -> str:
    """The scenario's pod on the Podman's own test store; what `podman kube generate web` prints for it."""
    set_up(podman, SNAPSHOT)
    return podman.run("kube", "generate", SNAPSHOT.generate).text


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("version", [pytest.param(v, marks=live(v)) for v in VERSIONS])
def test_snapshot_then_generate_prints_what_podman_kube_generate_prints(version, tmp_path, capsys):
    podman = podman_for(version)
    expected = make_pod(podman)
    calls = tmp_path / "calls.log"
    wrapper = podman.wrapper(log=calls)
    bundle = tmp_path / "web.json"

    assert run(capsys, "snapshot", "--podman", wrapper, "web", "-o", bundle) == (0, "", "")
    snap = json.loads(bundle.read_text())
    assert (snap["podman_version"], snap["names"]) == (FULL[version], ["web"])
    assert {k: len(snap[k]) for k in ("pods", "containers", "volumes")} == {"pods": 1, "containers": 3,
                                                                            "volumes": 1}
    code, out, err = run(capsys, "generate", bundle)
    assert code == 0 and "modelling Podman" not in err  # the bundle says which Podman: no guess, no notice
    assert same_as_podman(expected, out)

    # every command the snapshot ran was read-only: version and inspect
    ran = [line.split("\t") for line in calls.read_text().splitlines()]
    assert ran and all(tuple(w for w in words[:2] if not w.startswith("-")) in READ_ONLY for words in ran), ran

    # Podman's own error, nothing written
    missing = tmp_path / "missing.json"
    code, out, err = run(capsys, "snapshot", "--podman", wrapper, "web", "nosuch", "-o", missing)
    assert (code, out, missing.exists()) == (2, "", False)
    assert err == 'kubebridge: error: no such object: "nosuch" (no container, pod, volume or image of that name ' \
                  'or ID)\n'


@pytest.mark.parametrize("version", [pytest.param(v, marks=live(v)) for v in VERSIONS])
def test_snapshot_through_the_api_service_is_the_same(version, tmp_path, capsys):
    """--url: the Podman's own `podman system service` on the test store, asked through podman-py."""
    podman = podman_for(version)
    expected = make_pod(podman)
    by_command = tmp_path / "cli.json"
    assert run(capsys, "snapshot", "--podman", podman.wrapper(), "web", "-o", by_command)[0] == 0
    by_api = tmp_path / "api.json"
    with podman.service() as url:
        assert run(capsys, "snapshot", "--url", url, "web", "-o", by_api) == (0, "", "")
        code, _, err = run(capsys, "snapshot", "--url", url, "nosuch", "-o", tmp_path / "none.json")
        assert (code, (tmp_path / "none.json").exists()) == (2, False)
        assert 'no such object: "nosuch"' in err
    # the same objects, but for SharedNamespaces, a list Podman builds from a Go map
    api, cli = (json.loads(p.read_text()) for p in (by_api, by_command))
    for snap in (api, cli):
        for pod in snap["pods"]:
            pod["SharedNamespaces"] = sorted(pod["SharedNamespaces"])
    assert api == cli
    code, out, _ = run(capsys, "generate", by_api)
    assert code == 0 and same_as_podman(expected, out)
