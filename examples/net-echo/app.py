"""net-echo: the network stack's demonstration app. UDP and TCP echo on port 7,
TCP discard on port 9, TCP chargen (RFC 864) on port 19, answers ping; prints its
address once DHCP completes (or, on native, a static one given with
--ip=A.B.C.D/LEN). Console commands: stats, resolve NAME, quit.

One source for every board with a network (apogee/netdev.h): native (TAP or
libslirp), mps2-an385 and mps2-an500 (LAN9118), riscv-virt (virtio-net). Its
random numbers come from crypto_random, hence "entropy"."""

from sdk.model import App

APP = App(
    name="net-echo",
    description="UDP/TCP echo on port 7, TCP discard on 9, chargen on 19, ping; address from DHCP",
    sources=("main.c",),
    components=("netstack",),
    needs=("network", "entropy"),
    # Static sizes: every pool the stack has, fixed here (apogee_config.h). About
    # 1.2 MB of RAM with 68 sockets: within mps2's 4 MiB, so every board runs
    # the same sizes.
    sizes={
        "NET_PBUF_COUNT": 32,
        "NET_PBUF_SIZE": 1536,
        "TCP_SOCKETS": 68,
        "TCP_SNDBUF": 8192,
        "TCP_RCVBUF": 8192,
    },
    stack_bytes=16384,
)
