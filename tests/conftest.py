"""Test-suite wiring: the Apogee pytest plugin (firmware under QEMU or on a board)."""

pytest_plugins = ["sdk.pytest_plugin"]
