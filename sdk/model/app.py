"""Apps: what an application uses and every static size.

An app lives in examples/<app>/app.py as `APP = App(...)`. The SDK computes the
RAM each component needs from these sizes and refuses, before compiling, an app
that does not fit the board.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class App:
    name: str
    description: str
    sources: tuple[str, ...] = ("main.c",)
    # Components beyond the HAL, e.g. ("netstack",); see sdk/components.py.
    components: tuple[str, ...] = ()
    # Static sizes, each becomes APOGEE_<NAME> in the generated apogee_config.h.
    sizes: dict[str, int] = field(default_factory=dict)
    stack_bytes: int = 2048
    # A TLS identity: the device's P-256 key and its certificate chain (PEM files
    # beside app.py), or device_key="dev-p256" for a development key and a
    # self-signed certificate the SDK makes once (sdk/devkeys.py).
    device_key: str = ""
    device_chain: str = ""
    # Certificates (PEM) the app trusts: a client's servers, a server's clients.
    trust_anchors: str = ""
    # Needs: "network" keeps the app to boards with a network interface; "entropy"
    # links hal_entropy() and crypto_random (netstack/crypto/random.h), and on a
    # board without an entropy source provisions a seed at build time.
    needs: tuple[str, ...] = ()
