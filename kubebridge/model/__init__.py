"""The intermediate model: typed dataclasses of Podman objects, version profiles, shared names."""
