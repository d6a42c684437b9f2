"""Translators: pure functions between the model and Kubernetes documents (generate, play, portable)."""
