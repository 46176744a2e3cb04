"""tls-echo: a TLS 1.3 echo server on TCP port 4433, our whole stack from the
Ethernet frame to the record layer, in static memory. Its identity is a
development P-256 key and self-signed certificate made by the SDK; its
randomness the HMAC-DRBG seeded from the board's entropy source. Prints its
address once configured, then one line per connection."""

from sdk.model import App

APP = App(
    name="tls-echo",
    description="TLS 1.3 echo server on port 4433 (development key and certificate)",
    sources=("main.c",),
    components=("tls",),
    needs=("network", "entropy"),
    device_key="dev-p256",
    sizes={
        "NET_PBUF_COUNT": 24,
        "TCP_SOCKETS": 4,
        "TCP_SNDBUF": 8192,
        "TCP_RCVBUF": 8192,
        "TLS_CONNECTIONS": 2,
        "TLS_RECORD_MAX": 16384,
    },
    stack_bytes=16384,
)
