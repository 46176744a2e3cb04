"""Apogee SDK: descriptions in Python, generated HAL, SCons build, QEMU, pyocd, pytest."""
