"""Test app: executes an undefined instruction, to show that the core's trap
handler reports it and ends the run with a failure status."""

from sdk.model import App

APP = App(
    name="trap",
    description="executes an undefined instruction after one line of output",
    sources=("main.c",),
    stack_bytes=512,
)
