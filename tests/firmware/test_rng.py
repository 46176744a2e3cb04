"""examples/rng on the three kinds of entropy source: the host's getrandom
(native), virtio-rng (riscv-virt) and a seed provisioned at build time
(mps2-an385); and the STM32 RNG driver's clean failure where QEMU does not model
the peripheral (netduinoplus2).

The provisioned board's output is checked against an independent HMAC-DRBG
(SP 800-90A 10.1.2, written here from the standard with Python's hmac) run on
the seed file's bytes: the firmware must print exactly what that seed gives."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdk import build
from sdk.emulate import Console, runner_for
from sdk.errors import ROOT
from sdk.target import Target
from tests.hostc import build_program

pytestmark = pytest.mark.qemu

SCONS = str(Path(sys.executable).with_name("scons"))
PERS = b"apogee examples/rng"  # examples/rng/main.c's personalization string
NOTICE = ("no entropy source on {board}: a seed was provisioned into the image at build "
          "time; every flash of this image starts from the same seed")
LINE = re.compile(r"rng: ([a-z -]+): ([0-9a-f]{64})\r?$", re.M)


def scons(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCONS, "-Q", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def run_rng(board: str) -> tuple[str, bytes, str]:
    """Build and run examples/rng; return (source name, 32 bytes, build output)."""
    proc = scons(f"board={board}", "app=rng", "run", "timeout=30")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = LINE.search(proc.stdout)
    assert m, proc.stdout
    return m.group(1), bytes.fromhex(m.group(2)), proc.stdout


class HmacDrbg:
    """SP 800-90A 10.1.2 HMAC_DRBG with SHA-256, no additional input."""

    def __init__(self, seed: bytes, pers: bytes) -> None:
        self.k, self.v = b"\0" * 32, b"\1" * 32
        self._update(seed + pers)

    def _update(self, data: bytes) -> None:
        for byte in (b"\0", b"\1") if data else (b"\0",):
            self.k = hmac.new(self.k, self.v + byte + data, hashlib.sha256).digest()
            self.v = hmac.new(self.k, self.v, hashlib.sha256).digest()

    def generate(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            self.v = hmac.new(self.k, self.v, hashlib.sha256).digest()
            out += self.v
        self._update(b"")
        return out[:n]


def hmac_drbg(seed: bytes, pers: bytes, n: int) -> bytes:
    return HmacDrbg(seed, pers).generate(n)


def test_native_getrandom_gives_different_bytes_each_run() -> None:
    src1, a, out = run_rng("native")
    src2, b, _ = run_rng("native")
    assert src1 == src2 == "getrandom"
    assert a != b
    assert "no entropy source" not in out


def test_riscv_virt_virtio_rng_gives_different_bytes_each_run() -> None:
    src1, a, out = run_rng("riscv-virt")
    src2, b, _ = run_rng("riscv-virt")
    assert src1 == src2 == "virtio-rng"
    assert a != b
    assert "no entropy source" not in out


def _qemu(board: str, move_rng_first: bool = False, drop_rng: bool = False) -> str:
    t = Target.load(board, "rng")
    elf = build.build_dir(t) / "rng.elf"
    cmd = runner_for(t.board).command(elf, Console())
    rng = ["-device", "virtio-rng-device"]
    i = next(j for j in range(len(cmd)) if cmd[j:j + 2] == rng)
    del cmd[i:i + 2]
    if move_rng_first:  # before virtio-net: the rng takes the top slot instead
        j = cmd.index("-netdev")
        cmd[j:j] = rng
    elif not drop_rng:
        cmd += rng
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)
    return f"status {proc.returncode}\n{proc.stdout}"


def test_virtio_rng_is_found_in_whichever_slot_it_lands() -> None:
    assert scons("board=riscv-virt", "app=rng").returncode == 0
    for first in (False, True):
        out = _qemu("riscv-virt", move_rng_first=first)
        assert out.startswith("status 0") and LINE.search(out), out


def test_riscv_virt_without_a_virtio_rng_fails_cleanly() -> None:
    assert scons("board=riscv-virt", "app=rng").returncode == 0
    out = _qemu("riscv-virt", drop_rng=True)
    # APG_ENOTSUP (-7): no slot holds an entropy device; exit status 1, no hang.
    assert out.startswith("status 1"), out
    assert "rng: entropy source (virtio-rng) failed: error -7" in out


def test_stm32_rng_missing_in_qemu_fails_with_a_timeout_not_a_hang() -> None:
    # QEMU 7.2's netduinoplus2 has no RNG model: DRDY never sets. The driver's
    # bounded wait must end the request with APG_ETIMEDOUT (-8).
    t = Target.load("netduinoplus2", "rng")
    assert t.board.emulator and "rng" in t.board.emulator.missing
    proc = scons("board=netduinoplus2", "app=rng", "run", "timeout=30")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "rng: entropy source (stm32-rng) failed: error -8" in proc.stdout


@pytest.fixture
def seed_file() -> Iterator[Path]:
    """mps2-an385's seed file, restored after the test (it is the user's)."""
    path = ROOT / "build" / "mps2-an385" / "seed.bin"
    saved = path.read_bytes() if path.is_file() else None
    yield path
    if saved is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(saved)
    scons("board=mps2-an385", "app=rng")


def test_provisioned_seed_same_image_same_bytes_new_seed_new_bytes(seed_file: Path) -> None:
    seed_file.unlink(missing_ok=True)
    shutil.rmtree(ROOT / "build" / "mps2-an385" / "rng", ignore_errors=True)
    src, a, out = run_rng("mps2-an385")
    assert src == "provisioned seed"
    notice = [ln for ln in out.splitlines() if "no entropy source" in ln]
    assert len(notice) == 1 and NOTICE.format(board="mps2-an385") in notice[0], out
    seed = seed_file.read_bytes()
    assert len(seed) == build.SEED_BYTES
    # The image holds only the seed: every start gives the DRBG's output for it.
    assert a == hmac_drbg(seed, PERS, 32)
    _, b, _ = run_rng("mps2-an385")
    assert b == a
    # A new seed file (as on the next device provisioned) gives other bytes.
    seed_file.write_bytes(os.urandom(build.SEED_BYTES))
    _, c, out = run_rng("mps2-an385")
    assert c != a and c == hmac_drbg(seed_file.read_bytes(), PERS, 32)
    assert "no entropy source on mps2-an385" in out


def test_provisioned_image_is_reproducible_given_its_seed_file(seed_file: Path) -> None:
    out = ROOT / "build" / "mps2-an385" / "rng"
    images = []
    for _ in range(2):
        shutil.rmtree(out, ignore_errors=True)
        assert scons("board=mps2-an385", "app=rng").returncode == 0
        images.append((out / "rng.bin").read_bytes())
    assert images[0] == images[1]
    seed = seed_file.read_bytes()
    assert seed in images[0]  # the seed sits in the image, nothing else varies


def test_a_seed_file_of_the_wrong_size_is_a_one_line_error(seed_file: Path) -> None:
    seed_file.write_bytes(b"short")
    proc = scons("board=mps2-an385", "app=rng")
    assert proc.returncode != 0
    assert "seed.bin: 5 bytes, expected 48" in proc.stderr and "Traceback" not in proc.stderr


def test_apps_without_entropy_provision_no_seed() -> None:
    proc = scons("board=mps2-an385", "app=hello")
    assert proc.returncode == 0 and "no entropy source" not in proc.stdout
    assert not (ROOT / "build" / "mps2-an385" / "hello" / "gen" / "entropy_seed.c").exists()


# crypto_random on the host, with the reseed interval cut to 3 requests.
CRYPTO = ROOT / "netstack" / "crypto"
HOST_SOURCES = [ROOT / "tests" / "firmware" / "rng_host" / "random_main.c",
                *(CRYPTO / f for f in build.RANDOM_SOURCES)]


def _host(driver: str, seed: bytes, requests: int) -> list[str]:
    prog = build_program(
        f"rng-{driver}", [*HOST_SOURCES, ROOT / "hal" / driver / "entropy.c"],
        include=[CRYPTO, ROOT / "hal" / "include"], sanitize="asan",
        defines=["APOGEE_CRYPTO_DRBG_RESEED_INTERVAL=3u",
                 *(["PROVISIONED"] if driver == "provisioned" else [])])
    proc = subprocess.run([str(prog), seed.hex(), str(requests)], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_crypto_random_reseeds_from_the_source_at_the_interval() -> None:
    lines = _host("native", b"", 10)
    assert lines[0] == "init 0" and lines[-1] == "after wipe -15"  # APG_ESTATE
    outs = [ln.split() for ln in lines[1:-1]]
    assert all(rc == "0" for rc, _ in outs)  # requests 4, 7 and 10 reseeded first
    assert len({h for _, h in outs}) == 10


def test_crypto_random_on_a_provisioned_seed_matches_sp800_90a_then_cannot_reseed() -> None:
    seed = os.urandom(build.SEED_BYTES)
    lines = _host("provisioned", seed, 4)
    assert lines[0] == "init 0"
    ref = HmacDrbg(seed, b"host test")
    for line in lines[1:4]:
        assert line == f"0 {ref.generate(32).hex()}"
    # The fourth request needs a reseed; the seed was given out once: APG_ENOTSUP.
    assert lines[4].split()[0] == "-7"
