"""Round trips: what a trip through Podman changes, and the Podman rewrite behind each change."""
