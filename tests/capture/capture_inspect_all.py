"""Capture one `podman inspect` of a pod, its containers, their images and its volumes, and what
`podman kube generate` prints for the pod: the input the README says one command gives.

    python tests/capture/capture_inspect_all.py --podman podman
    python tests/capture/capture_inspect_all.py --podman ../shared/tools/podman5
    python tests/capture/capture_inspect_all.py --podman ../shared/tools/podman58

writes tests/fixtures/inspect-all/podman-<version>/<scenario>/:
  inspect.json    `podman inspect POD CONTAINER... IMAGE... VOLUME...`, as printed: the pod and its containers
                  (the infra container among them) by ID, images by the names the containers were made
                  with, volumes by name
  inspect-pod-name.json  `podman inspect POD` by the pod's name, as printed: Podman answers with the volume
                  whose name starts with it (it looks volumes up before pods, and by a prefix)
  generate.yaml   stdout of `podman kube generate POD`, as printed
  scenario.json   what was run
Nothing in the captured files is edited.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from capture_generate import empty_dir, set_up  # noqa: E402
from generate_scenarios import SNAPSHOT, Scenario  # noqa: E402
from podmanrun import Podman, ensure_images, exclusive, podman_from_command  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inspect-all"


@exclusive
def capture(podman: Podman, sc: Scenario, out_root: Path) -> str:
    set_up(podman, sc)
    pod = sc.generate
    # the README's command: the pod and its containers by ID (a pod's name may be read as a volume's: below)
    ids = podman.run("pod", "inspect", pod, "--format", "{{.Id}} {{range .Containers}}{{.Id}} {{end}}").text.split()
    images = podman.run("ps", "-a", "--sort", "created", "--filter", f"pod={pod}", "--format",
                        "{{if not .IsInfra}}{{.Image}}{{end}}").text.split()
    volumes = podman.run("volume", "ls", "--format", "{{.Name}}").text.split()
    names = [*ids, *dict.fromkeys(images), *volumes]
    out = empty_dir(out_root / sc.name)
    (out / "inspect.json").write_bytes(podman.run("inspect", *names).stdout)
    # `podman inspect POD-NAME` alone: Podman looks volumes up before pods, and a volume by the start of its name
    (out / "inspect-pod-name.json").write_bytes(podman.run("inspect", pod).stdout)
    gen = podman.run("kube", "generate", pod)
    (out / "generate.yaml").write_bytes(gen.stdout)
    meta = {"scenario": sc.name, "about": sc.about, "podman_version": podman.version, "setup": list(sc.setup),
            "inspect_args": names, "generate_args": [pod], "returncode": gen.returncode,
            "stderr": gen.stderr.decode(), "host_paths": {}}
    (out / "scenario.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return f"podman inspect {' '.join(names)}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--podman", default="podman", help="podman command (e.g. ../shared/tools/podman5)")
    opts = ap.parse_args()
    podman = podman_from_command(opts.podman)
    ensure_images(podman)
    print(f"{podman.version} {SNAPSHOT.name}: {capture(podman, SNAPSHOT, FIXTURES / f'podman-{podman.version}')}")
    podman.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
