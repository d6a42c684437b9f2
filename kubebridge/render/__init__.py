"""Writers: Podman's exact YAML, inspect-shaped JSON, podman commands, check reports."""
