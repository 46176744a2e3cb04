"""rng: 32 random bytes from crypto_random (the HMAC-DRBG seeded from the board's
entropy source, or from the seed provisioned at build time where there is none),
printed in hex; exits 0, or 1 when the entropy source fails."""

from sdk.model import App

APP = App(
    name="rng",
    description="prints 32 bytes from the DRBG seeded by the board's entropy source",
    sources=("main.c",),
    needs=("entropy",),
    stack_bytes=2048,
)
