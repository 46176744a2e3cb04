"""blinky: toggles the first LED ten times at 2 Hz, reads the pin back after each
change and reports both. Ends the run in emulation; loops on hardware."""

from sdk.model import App

APP = App(
    name="blinky",
    description="toggles the first LED at 2 Hz and reports each change read back",
    sources=("main.c",),
    stack_bytes=512,
)
