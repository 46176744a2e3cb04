"""hello: the smallest useful image. Says which board, chip and clock it runs on
and how long it has been up, then ends the run with status 0."""

from sdk.model import App

APP = App(
    name="hello",
    description="prints board, chip, core clock and uptime; exits 0 in emulation",
    sources=("main.c",),
    stack_bytes=512,
)
