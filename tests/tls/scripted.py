"""A scripted TLS 1.3 peer in Python for negative tests: it builds records and
handshake messages byte by byte (so each can be broken on purpose) and runs the
RFC 8446 key schedule with the `cryptography` package."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

HS, ALERT, APPDATA, CCS = 22, 21, 23, 20
AES128, AES256, CHACHA = 0x1301, 0x1302, 0x1303
X25519, P256 = 0x001D, 0x0017


def u8(v: int) -> bytes:
    return bytes([v])


def u16(v: int) -> bytes:
    return struct.pack("!H", v)


def u24(v: int) -> bytes:
    return struct.pack("!I", v)[1:]


def vec(b: bytes, n: int) -> bytes:
    return len(b).to_bytes(n, "big") + b


def ext(t: int, body: bytes) -> bytes:
    return u16(t) + vec(body, 2)


def hs(t: int, body: bytes) -> bytes:
    return u8(t) + u24(len(body)) + body


def record(t: int, payload: bytes, version: int = 0x0303) -> bytes:
    return u8(t) + u16(version) + u16(len(payload)) + payload


def _hash(suite: int) -> str:
    return "sha384" if suite == AES256 else "sha256"


def hkdf_extract(h: str, salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt or b"\0" * hashlib.new(h).digest_size, ikm, h).digest()


def hkdf_expand(h: str, prk: bytes, info: bytes, n: int) -> bytes:
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + u8(i), h).digest()
        out += t
        i += 1
    return out[:n]


def expand_label(h: str, secret: bytes, label: str, ctx: bytes, n: int) -> bytes:
    info = u16(n) + vec(b"tls13 " + label.encode(), 1) + vec(ctx, 1)
    return hkdf_expand(h, secret, info, n)


class Aead:
    """One direction's record protection."""

    def __init__(self, suite: int, secret: bytes) -> None:
        h = _hash(suite)
        klen = 16 if suite == AES128 else 32
        key = expand_label(h, secret, "key", b"", klen)
        self.iv = expand_label(h, secret, "iv", b"", 12)
        self.aead = ChaCha20Poly1305(key) if suite == CHACHA else AESGCM(key)
        self.seq = 0

    def _nonce(self) -> bytes:
        return bytes(a ^ b for a, b in zip(self.iv, self.seq.to_bytes(12, "big"), strict=True))

    def seal(self, ctype: int, content: bytes, pad: int = 0) -> bytes:
        inner = content + u8(ctype) + b"\0" * pad
        hdr = u8(APPDATA) + u16(0x0303) + u16(len(inner) + 16)
        ct = self.aead.encrypt(self._nonce(), inner, hdr)
        self.seq += 1
        return hdr + ct

    def open(self, rec: bytes) -> tuple[int, bytes]:
        pt = self.aead.decrypt(self._nonce(), rec[5:], rec[:5])
        self.seq += 1
        pt = pt.rstrip(b"\0")
        return pt[-1], pt[:-1]


def client_hello(*, suites: list[int] | None = None, groups: list[int] | None = None,
                 shares: dict[int, bytes] | None = None, versions: list[int] | None = None,
                 sigalgs: list[int] | None = None, comp: bytes = b"\x01\x00",
                 extra: list[bytes] | None = None, drop: tuple[int, ...] = (),
                 sid: bytes = b"") -> bytes:
    """A ClientHello message; shares maps group -> public key bytes."""
    suites = suites if suites is not None else [AES128, CHACHA, AES256]
    groups = groups if groups is not None else [X25519, P256]
    versions = versions if versions is not None else [0x0304]
    sigalgs = sigalgs if sigalgs is not None else [0x0403, 0x0807, 0x0804]
    exts = [
        (43, vec(b"".join(u16(v) for v in versions), 1)),
        (10, vec(b"".join(u16(g) for g in groups), 2)),
        (13, vec(b"".join(u16(s) for s in sigalgs), 2)),
        (51, vec(b"".join(u16(g) + vec(k, 2) for g, k in (shares or {}).items()), 2)),
    ]
    body = b"".join(ext(t, b) for t, b in exts if t not in drop) + b"".join(extra or [])
    msg = (u16(0x0303) + os.urandom(32) + vec(sid, 1)
           + vec(b"".join(u16(s) for s in suites), 2) + comp + vec(body, 2))
    return hs(1, msg)


@dataclass
class Client:
    """A scripted client on a socket: sends what it is told, keeps the transcript
    and keys so later messages can be protected (or broken) properly."""

    sock: socket.socket
    suite: int = 0
    transcript: bytes = b""
    keys: dict[str, bytes] = field(default_factory=dict)
    rd: Aead | None = None
    wr: Aead | None = None
    priv: dict[int, object] = field(default_factory=dict)
    buf: bytes = b""

    @classmethod
    def connect(cls, port: int) -> Client:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        return cls(s)

    def share(self, group: int) -> bytes:
        if group == X25519:
            k = x25519.X25519PrivateKey.generate()
            self.priv[group] = k
            return k.public_key().public_bytes_raw()
        kp = ec.generate_private_key(ec.SECP256R1())
        self.priv[group] = kp
        from cryptography.hazmat.primitives import serialization
        return kp.public_key().public_bytes(serialization.Encoding.X962,
                                            serialization.PublicFormat.UncompressedPoint)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_hello(self, ch: bytes) -> None:
        self.transcript += ch
        self.send(record(HS, ch, 0x0301))

    def read_record(self) -> bytes | None:
        while True:
            if len(self.buf) >= 5:
                n = 5 + struct.unpack("!H", self.buf[3:5])[0]
                if len(self.buf) >= n:
                    r, self.buf = self.buf[:n], self.buf[n:]
                    return r
            try:
                d = self.sock.recv(65536)
            except OSError:
                return None
            if not d:
                return None
            self.buf += d

    def read_alert(self) -> int | None:
        """Read until an alert arrives (decrypting if keys are set); its
        description, or None if the connection closed without one."""
        while (r := self.read_record()) is not None:
            if r[0] == ALERT:
                return r[6]
            if r[0] == APPDATA and self.rd:
                try:
                    t, c = self.rd.open(r)
                except Exception:
                    return None
                if t == ALERT:
                    return c[1]
        return None

    def handshake_to_finished(self) -> list[bytes]:
        """After send_hello: read ServerHello and the encrypted flight up to the
        server Finished, deriving keys. Returns the server's messages."""
        msgs: list[bytes] = []
        pending = b""
        while True:
            r = self.read_record()
            if r is None:
                raise ConnectionError("closed during handshake")
            if r[0] == CCS:
                continue
            if r[0] == ALERT:
                raise ConnectionError(f"alert {r[6]}")
            if r[0] == HS:
                pending += r[5:]
            else:
                assert self.rd is not None
                t, c = self.rd.open(r)
                assert t == HS, t
                pending += c
            while len(pending) >= 4 and len(pending) >= 4 + int.from_bytes(pending[1:4], "big"):
                n = 4 + int.from_bytes(pending[1:4], "big")
                m, pending = pending[:n], pending[n:]
                msgs.append(m)
                if m[0] == 2:
                    self._server_hello(m)
                elif m[0] == 20:
                    self.transcript += m
                    self.app_keys()  # the server sends under these from now on
                    self.rd = Aead(self.suite, self.keys["s_ap"])
                    return msgs
                else:
                    self.transcript += m

    def _server_hello(self, m: bytes) -> None:
        body = m[4:]
        sid_len = body[34]
        self.suite = struct.unpack("!H", body[35 + sid_len: 37 + sid_len])[0]
        exts = body[38 + sid_len + 2:]
        share = b""
        group = 0
        while exts:
            t, n = struct.unpack("!HH", exts[:4])
            d, exts = exts[4: 4 + n], exts[4 + n:]
            if t == 51:
                group = struct.unpack("!H", d[:2])[0]
                share = d[4:]
        k = self.priv[group]
        if isinstance(k, x25519.X25519PrivateKey):
            shared = k.exchange(x25519.X25519PublicKey.from_public_bytes(share))
        else:
            assert isinstance(k, ec.EllipticCurvePrivateKey)
            peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), share)
            shared = k.exchange(ec.ECDH(), peer)
        self.transcript += m
        h = _hash(self.suite)
        hl = hashlib.new(h).digest_size
        early = hkdf_extract(h, b"", b"\0" * hl)
        derived = expand_label(h, early, "derived", hashlib.new(h).digest(), hl)
        hs_secret = hkdf_extract(h, derived, shared)
        th = hashlib.new(h, self.transcript).digest()
        self.keys["c_hs"] = expand_label(h, hs_secret, "c hs traffic", th, hl)
        self.keys["s_hs"] = expand_label(h, hs_secret, "s hs traffic", th, hl)
        d2 = expand_label(h, hs_secret, "derived", hashlib.new(h).digest(), hl)
        self.keys["master"] = hkdf_extract(h, d2, b"\0" * hl)
        self.rd = Aead(self.suite, self.keys["s_hs"])
        self.wr = Aead(self.suite, self.keys["c_hs"])

    def finished(self) -> bytes:
        """The client Finished message for the transcript so far."""
        h = _hash(self.suite)
        hl = hashlib.new(h).digest_size
        fk = expand_label(h, self.keys["c_hs"], "finished", b"", hl)
        return hs(20, hmac.new(fk, hashlib.new(h, self.transcript).digest(), h).digest())

    def app_keys(self) -> None:
        """Switch both directions to the application keys (call after the server
        Finished is in the transcript and before our Finished is added)."""
        h = _hash(self.suite)
        hl = hashlib.new(h).digest_size
        th = hashlib.new(h, self.transcript).digest()
        self.keys["c_ap"] = expand_label(h, self.keys["master"], "c ap traffic", th, hl)
        self.keys["s_ap"] = expand_label(h, self.keys["master"], "s ap traffic", th, hl)

    def complete(self) -> None:
        """Finish the handshake honestly."""
        fin = self.finished()
        assert self.wr is not None
        self.send(self.wr.seal(HS, fin))
        self.transcript += fin
        self.wr = Aead(self.suite, self.keys["c_ap"])

    def close(self) -> None:
        self.sock.close()


def parse_client_hello(m: bytes) -> dict[str, object]:
    """The fields of a ClientHello message a scripted server needs."""
    b = m[4:]
    sid_len = b[34]
    sid = b[35: 35 + sid_len]
    p = 35 + sid_len
    n = struct.unpack("!H", b[p: p + 2])[0]
    suites = [struct.unpack("!H", b[p + 2 + i: p + 4 + i])[0] for i in range(0, n, 2)]
    p += 2 + n
    p += 1 + b[p]
    exts: dict[int, bytes] = {}
    end = p + 2 + struct.unpack("!H", b[p: p + 2])[0]
    p += 2
    while p < end:
        t, ln = struct.unpack("!HH", b[p: p + 4])
        exts[t] = b[p + 4: p + 4 + ln]
        p += 4 + ln
    shares: dict[int, bytes] = {}
    ks = exts.get(51, b"")[2:]
    while ks:
        g, ln = struct.unpack("!HH", ks[:4])
        shares[g] = ks[4: 4 + ln]
        ks = ks[4 + ln:]
    return {"sid": sid, "suites": suites, "exts": exts, "shares": shares}


def server_hello(suite: int, key_share: bytes, *, sid: bytes = b"", version_ext: bool = True,
                 random: bytes | None = None, extra: bytes = b"", legacy: int = 0x0303,
                 comp: int = 0) -> bytes:
    exts = (ext(43, u16(0x0304)) if version_ext else b"") + key_share + extra
    body = (u16(legacy) + (random or os.urandom(32)) + vec(sid, 1) + u16(suite) + u8(comp)
            + vec(exts, 2))
    return hs(2, body)


@dataclass
class ServerScript:
    """A scripted server on an accepted socket: it reads the ClientHello, answers
    with messages it is given (or breaks them), keeping transcript and keys."""

    sock: socket.socket
    suite: int = AES128
    transcript: bytes = b""
    ch: dict[str, object] = field(default_factory=dict)
    keys: dict[str, bytes] = field(default_factory=dict)
    wr: Aead | None = None
    rd: Aead | None = None
    buf: bytes = b""

    read_record = Client.read_record
    read_alert = Client.read_alert

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_hello(self) -> dict[str, object]:
        r = self.read_record()
        assert r is not None and r[0] == HS, r
        self.transcript += r[5:]
        self.ch = parse_client_hello(r[5:])
        return self.ch

    def x25519_share(self) -> tuple[bytes, bytes]:
        """Our key_share extension and the shared secret with the client's x25519."""
        k = x25519.X25519PrivateKey.generate()
        peer = self.ch["shares"][X25519]  # type: ignore[index]
        shared = k.exchange(x25519.X25519PublicKey.from_public_bytes(peer))
        pub = k.public_key().public_bytes_raw()
        return ext(51, u16(X25519) + vec(pub, 2)), shared

    def send_hello(self, sh: bytes, shared: bytes) -> None:
        """Send a ServerHello and switch to the handshake keys."""
        self.send(record(HS, sh))
        self.transcript += sh
        h = _hash(self.suite)
        hl = hashlib.new(h).digest_size
        early = hkdf_extract(h, b"", b"\0" * hl)
        hs_secret = hkdf_extract(h, expand_label(h, early, "derived", hashlib.new(h).digest(),
                                                 hl), shared)
        th = hashlib.new(h, self.transcript).digest()
        self.keys["c_hs"] = expand_label(h, hs_secret, "c hs traffic", th, hl)
        self.keys["s_hs"] = expand_label(h, hs_secret, "s hs traffic", th, hl)
        self.wr = Aead(self.suite, self.keys["s_hs"])
        self.rd = Aead(self.suite, self.keys["c_hs"])

    def send_encrypted(self, *msgs: bytes, record_type: int = HS) -> None:
        assert self.wr
        for m in msgs:
            self.transcript += m
        self.send(self.wr.seal(record_type, b"".join(msgs)))

    def cert_verify(self, key: object) -> bytes:
        """CertificateVerify over the transcript so far with an ECDSA P-256 key."""
        from cryptography.hazmat.primitives import hashes
        h = _hash(self.suite)
        content = (b" " * 64 + b"TLS 1.3, server CertificateVerify\0"
                   + hashlib.new(h, self.transcript).digest())
        sig = key.sign(content, ec.ECDSA(hashes.SHA256()))  # type: ignore[attr-defined]
        return hs(15, u16(0x0403) + vec(sig, 2))

    def finished(self) -> bytes:
        h = _hash(self.suite)
        hl = hashlib.new(h).digest_size
        fk = expand_label(h, self.keys["s_hs"], "finished", b"", hl)
        return hs(20, hmac.new(fk, hashlib.new(h, self.transcript).digest(), h).digest())
