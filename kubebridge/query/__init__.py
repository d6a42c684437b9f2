"""Asking a running Podman, read-only, for what `generate` and `roundtrip` read: `kubebridge snapshot`.

The one part of kubebridge that talks to a Podman.  It only ever asks: the
command line runs `podman version` and `podman ... inspect`, nothing else
(command_line.py refuses any other subcommand before it starts a process);
the API client sends GET requests for version and inspect only (service.py).
tests/test_podman_safety.py holds both to that.

  walk.py          the names given and everything they reference -> one snapshot bundle (load/bundle.py)
  command_line.py  Podman's command line (default `podman`, or the command given)
  service.py       a Podman API service (`podman system service`) through podman-py, the optional extra
"""
