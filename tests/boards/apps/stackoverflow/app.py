"""Test app: recurses until the stack overflows, to show that a board with a
stack guard reports the overflow as a fault."""

from sdk.model import App

APP = App(
    name="stackoverflow",
    description="recurses with 256-byte frames until the stack runs out",
    sources=("main.c",),
    stack_bytes=512,
)
