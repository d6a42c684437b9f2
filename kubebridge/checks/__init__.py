"""check: the engine, the bundled Kubernetes schemas, and the Kubernetes and Podman rules."""
