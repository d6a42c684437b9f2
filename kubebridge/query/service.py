"""A Podman API service (`podman system service`), read-only, through podman-py (`pip install 'kubebridge[podman]'`).

Only GET requests are sent, and only for the paths in READ_ONLY: the version
and the inspect output of a pod, container, image or volume (libpod's REST
API, whose inspect endpoints answer what `podman ... inspect` prints).
podman-py is imported when a Service is made, never at start-up.
"""
from __future__ import annotations

import re
from typing import Any, Sequence
from urllib.parse import quote_plus

from kubebridge.errors import PodmanError, UsageError

INSPECT = {"pod": "pods/{}/json", "container": "containers/{}/json", "image": "images/{}/json",
           "volume": "volumes/{}/json"}
READ_ONLY = re.compile(r"(version|(pods|containers|images|volumes)/[^/]+/json)")
TIMEOUT = 120  # seconds


class Service:
    """A Podman reached through its API socket: unix:///run/podman/podman.sock, tcp://HOST:PORT, ssh://..."""

    def __init__(self, url: str, timeout: float = TIMEOUT) -> None:
        try:
            from podman import PodmanClient
        except ImportError:
            raise UsageError("--url needs podman-py, the Podman API's Python client: pip install "
                             "'kubebridge[podman]'") from None
        self.url = url
        try:
            self.client = PodmanClient(base_url=url, timeout=timeout)
        except Exception as exc:  # podman-py: ValueError for a scheme it does not know, others for the rest
            raise UsageError(f"--url {url}: {exc}") from None

    def get(self, path: str, missing_ok: bool = False) -> Any:
        """The JSON a GET of a read-only path answers; None when missing_ok and it is not found (404).
        Raises PodmanError for another path (before anything is sent), a service that cannot be reached, or an
        error it answers."""
        if not READ_ONLY.fullmatch(path):
            raise PodmanError(f"GET {path}: not a read-only request of snapshot's")
        from podman.errors import APIError

        try:
            response = self.client.api.get(path)
        except APIError as exc:  # podman-py wraps the connection's OSError
            raise PodmanError(f"cannot reach the Podman service at {self.url}: {_reason(exc)} (is `podman system "
                              "service` running there?)") from None
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise PodmanError(f"the Podman service at {self.url}: {_message(response)}")
        try:
            return response.json()
        except ValueError:
            raise PodmanError(f"the Podman service at {self.url} answered GET {path} with no JSON") from None

    def version(self) -> str:
        version = (self.get("version") or {}).get("Version")
        if not isinstance(version, str) or not version:
            raise PodmanError(f"the Podman service at {self.url} did not say its version")
        return version

    def inspect(self, kind: str, names: Sequence[str]) -> list[dict]:
        return [self.get(INSPECT[kind].format(quote_plus(name))) for name in names]

    def lookup(self, kind: str, name: str) -> dict | None:
        return self.get(INSPECT[kind].format(quote_plus(name)), missing_ok=True)


def _message(response: Any) -> str:
    """The service's own error message (libpod's {"cause", "message", "response"}), else the HTTP status."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return f"HTTP {response.status_code} {getattr(response, 'reason', '')}".strip()


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words (the innermost OS error's)."""
    inner: BaseException | None = exc
    while inner is not None:
        if isinstance(inner, OSError) and inner.strerror:
            return inner.strerror
        inner = inner.__cause__ or inner.__context__
    return str(exc) or type(exc).__name__
