"""Loaders: inspect JSON and Kubernetes YAML in, the model and plain documents out."""
