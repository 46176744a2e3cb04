"""The ARMv7-M assembly field multiplication, run on Cortex-M3 in QEMU.

fe25519_armv7m.c replaces fe25519_mul and fe25519_sq on Cortex-M3/M4/M7. The
host tests exercise the C versions, so this builds a bare-metal mps2-an385
image with the assembly and checks, on the emulated core, products of operands
at the documented bounds (all limbs at +max, -max, alternating, random) against
Python integers, then an X25519 and an Ed25519 known answer through the whole
stack. The generated source must also be what its generator prints.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.crypto import c25519_asm
from tests.crypto.c25519_lib import SOURCES
from tests.crypto.c25519_target import MAIN, cases
from tests.hostc import HOST_BUILD, ROOT

BENCH = ROOT / "tests" / "bench" / "crypto_25519"


def test_generated_source_is_current() -> None:
    src = (ROOT / "netstack" / "crypto" / "fe25519_armv7m.c").read_text()
    assert src == c25519_asm.render()


@pytest.mark.qemu
def test_asm_field_on_cortex_m3() -> None:
    for tool in ("arm-none-eabi-gcc", "qemu-system-arm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    out = HOST_BUILD / "c25519-armv7m-qemu"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cases.h").write_text(cases())
    (out / "main.c").write_text(MAIN)
    srcs = [out / "main.c", BENCH / "startup.c",
            *(ROOT / "netstack" / "crypto" / f"{n}.c" for n in SOURCES)]
    elf = out / "field.elf"
    cmd = ["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb", "-Os", "-std=c11", "-Wall",
           "-Wextra", "-Werror", "-Wshadow", "-ffunction-sections", "-fdata-sections",
           "--specs=picolibc.specs", "-nostartfiles", "-T", str(BENCH / "mps2_an385.ld"),
           "-Wl,--gc-sections", f"-I{ROOT / 'hal' / 'include'}",
           f"-I{ROOT / 'netstack' / 'crypto'}", f"-I{out}", "-o", str(elf), *map(str, srcs)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    dis = subprocess.run(["arm-none-eabi-objdump", "-d", str(elf)], capture_output=True,
                         text=True).stdout
    body = dis.split("<fe25519_mul>:")[1].split("\n\n")[0]
    assert "sub\tsp, #160" in body, "the image must use the assembly multiplication"
    run = subprocess.run(
        ["timeout", "120", "qemu-system-arm", "-M", "mps2-an385", "-nographic", "-monitor",
         "none", "-serial", "none", "-semihosting-config", "enable=on,target=native",
         "-kernel", str(elf)],
        capture_output=True, text=True,
    )
    text = run.stdout + run.stderr
    assert run.returncode == 0 and "FIELD OK" in text, text
