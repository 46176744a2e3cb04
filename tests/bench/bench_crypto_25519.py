"""Curve25519 benchmark on Cortex-M3: instruction counts, stack, flash.

Not a test (pytest does not collect it). Builds the bare-metal image in
tests/bench/crypto_25519/ with arm-none-eabi-gcc -Os -mcpu=cortex-m3 -mthumb,
-ffunction-sections/-fdata-sections/--gc-sections and picolibc, runs it on QEMU
mps2-an385 with -icount shift=0, and prints a Markdown table for
docs/crypto-25519.md:

    .venv/bin/python tests/bench/bench_crypto_25519.py

Instructions: SysTick on the 25 MHz core clock ticks once per 40 ns of virtual
time, i.e. once per 40 instructions at -icount shift=0; the image times an
empty call the same way and that is subtracted (a calibration loop of exactly
200,001 instructions checks the factor). Stack: the image paints 8 KiB below
its stack pointer before each call and reports the deepest byte written.
Flash: the growth of .text (+ .rodata) of an image that calls only that
primitive over one that calls none, after --gc-sections.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent / "crypto_25519"
OUT = ROOT / "build" / "bench" / "crypto_25519"
CRYPTO = ["ct", "sha512", "fe25519", "fe25519_armv7m", "sc25519", "ge25519", "ge25519_base",
          "x25519", "ed25519"]
CFLAGS = ["-mcpu=cortex-m3", "-mthumb", "-Os", "-std=c11", "-Wall", "-Wextra", "-Werror",
          "-Wshadow", "-ffunction-sections", "-fdata-sections", "--specs=picolibc.specs",
          "-fstack-usage"]
INSNS_PER_TICK = 40  # 25 MHz core clock, 1 ns per instruction
PRIMITIVES = ["x25519", "x25519_public_key", "ed25519_keypair", "ed25519_sign",
              "ed25519_verify"]
PEERS = {
    "x25519": "Monocypher 4.0.3: 1.24 M; BearSSL m31: 1.92 M",
    "ed25519_sign": "Monocypher: 0.66 M",
    "ed25519_verify": "Monocypher: 1.69 M",
}
GOALS = {"x25519": 1.0e6, "ed25519_sign": 0.6e6, "ed25519_verify": 1.5e6}


def c_array(name: str, data: bytes) -> str:
    body = ", ".join(f"0x{b:02x}" for b in data)
    return f"static const uint8_t {name}[{len(data)}] = {{{body}}};\n"


def write_expected() -> None:
    scalar = bytes(range(1, 33))
    k = X25519PrivateKey.from_private_bytes(scalar)
    peer = X25519PrivateKey.from_private_bytes(bytes(range(101, 133))).public_key()
    seed = bytes(range(200, 232))
    e = Ed25519PrivateKey.from_private_bytes(seed)
    pk = e.public_key().public_bytes_raw()
    msg = bytes(range(64))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_expected.h").write_text(
        "/* Written by tests/bench/bench_crypto_25519.py from the `cryptography` package. */\n"
        "#include <stdint.h>\n"
        + c_array("bench_scalar", scalar)
        + c_array("bench_point", peer.public_bytes_raw())
        + c_array("bench_shared", k.exchange(peer))
        + c_array("bench_x25519_pub", k.public_key().public_bytes_raw())
        + c_array("bench_seed", seed)
        + c_array("bench_pk", pk)
        + c_array("bench_sk", seed + pk)
        + c_array("bench_msg", msg)
        + c_array("bench_sig", e.sign(msg))
    )


def build(only: int | None, micro: bool = False) -> Path:
    name = "bench_micro" if micro else "bench" if only is None else f"bench_only{only}"
    d = OUT / name
    d.mkdir(parents=True, exist_ok=True)
    srcs = [HERE / "startup.c", HERE / "bench_main.c",
            *(ROOT / "netstack" / "crypto" / f"{n}.c" for n in CRYPTO)]
    objs = []
    for s in srcs:
        o = d / (s.stem + ".o")
        cmd = ["arm-none-eabi-gcc", *CFLAGS, f"-I{ROOT / 'hal' / 'include'}",
               f"-I{ROOT / 'netstack' / 'crypto'}", f"-I{OUT}",
               *([f"-DBENCH_ONLY={only}"] if only is not None else []),
               *(["-DBENCH_MICRO"] if micro else []), "-c", str(s), "-o", str(o)]
        subprocess.run(cmd, check=True, cwd=d)
        objs.append(str(o))
    elf = d / f"{name}.elf"
    subprocess.run(["arm-none-eabi-gcc", *CFLAGS, "-nostartfiles",
                    "-T", str(HERE / "mps2_an385.ld"), "-Wl,--gc-sections", "-o", str(elf), *objs],
                   check=True)
    return elf


def text_size(elf: Path) -> int:
    out = subprocess.run(["arm-none-eabi-size", "-A", str(elf)], check=True,
                         capture_output=True, text=True).stdout
    return sum(int(m.group(1)) for m in re.finditer(r"^\.text\s+(\d+)", out, re.M))


def run(elf: Path) -> tuple[dict[str, tuple[int, int]], str]:
    proc = subprocess.run(
        ["timeout", "300", "qemu-system-arm", "-M", "mps2-an385", "-nographic", "-monitor", "none",
         "-serial", "none", "-icount", "shift=0", "-semihosting-config",
         "enable=on,target=native", "-kernel", str(elf)],
        capture_output=True, text=True,
    )
    res = {}
    text = proc.stdout + proc.stderr  # semihosting writes to stderr
    for m in re.finditer(r"^(\w+) ticks=(\d+)\n stack=(\d+)$", text, re.M):
        res[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    if proc.returncode != 0 or "RESULT OK" not in text:
        sys.exit(f"benchmark image failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return res, text


def micro() -> None:
    """--micro: time the building blocks (per call), to see where the time goes."""
    write_expected()
    res, _ = run(build(None, micro=True))
    base = res["none"][0]
    for name, (ticks, _) in res.items():
        per = 100 if name.endswith("_x100") else 1
        print(f"{name:20s} {(ticks - base) * INSNS_PER_TICK / per:12.0f} instructions per call")


def stack_frames(elf: Path, top: int = 12) -> list[tuple[str, int]]:
    """The largest static frames gcc reported (-fstack-usage) for our sources.
    The naked assembly functions report 0; their frames are in the file header."""
    frames = []
    for su in elf.parent.glob("*.su"):
        if su.stem in ("bench_main", "startup"):
            continue
        for line in su.read_text().splitlines():
            where, size, _ = line.split("\t")
            frames.append((where.rsplit(":", 1)[-1], int(size)))
    return sorted(frames, key=lambda f: -f[1])[:top]


def main() -> None:
    if "--micro" in sys.argv:
        micro()
        return
    write_expected()
    elf = build(None)
    res, _ = run(elf)
    base_ticks, _ = res["none"]
    calib = (res["calib"][0] - base_ticks) * INSNS_PER_TICK
    print(f"calibration loop: {calib} instructions measured for 200001 executed")
    base_flash = text_size(build(0))
    rows = []
    for i, name in enumerate(PRIMITIVES, start=1):
        ticks, stack = res[name]
        insns = (ticks - base_ticks) * INSNS_PER_TICK
        flash = text_size(build(i)) - base_flash
        goal = GOALS.get(name)
        rows.append((name, insns, stack, flash, PEERS.get(name, ""),
                     f"<= {goal / 1e6:.1f} M" if goal else ""))
    print()
    print("| primitive | instructions (Cortex-M3, -Os) | stack (bytes) | flash (bytes) | goal "
          "| peers |")
    print("|---|---|---|---|---|---|")
    for name, insns, stack, flash, peer, goal in rows:
        print(f"| {name} | {insns / 1e6:.3f} M ({insns}) | {stack} | {flash} | {goal} | {peer} |")
    print()
    print("largest static frames (-fstack-usage, bytes):")
    for fn, size in stack_frames(elf):
        print(f"  {fn:40s} {size}")


if __name__ == "__main__":
    main()
