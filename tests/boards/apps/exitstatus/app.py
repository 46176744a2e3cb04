"""Test app: ends the run with status 42, to show the status reaches the host."""

from sdk.model import App

APP = App(
    name="exitstatus",
    description="prints one line and returns 42 from app_main",
    sources=("main.c",),
    stack_bytes=512,
)
