"""Ops code: provisioning, packaging and the CLI (`python -m ops.cli`). Never in the Lambda zip."""
