"""The portable C field code on a real 32-bit target: RV32IMAC in QEMU.

The host runs the same C on a 64-bit core; here the 32x32->64 products, the
64-bit carries and the arithmetic shifts compile to RV32 (MUL/MULH, no 64-bit
registers), under picolibc, and the same bound-extreme field cases and X25519 /
Ed25519 known answers as on Cortex-M3 run on qemu-system-riscv32 virt.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.crypto.c25519_lib import SOURCES
from tests.crypto.c25519_target import MAIN, cases
from tests.hostc import HOST_BUILD, ROOT

# picolibc's crt0 starts main; stdout goes out by semihosting; the virt board's
# test device ends the run: 0x5555 = pass, (code << 16) | 0x3333 = fail.
SHIM = r"""
#include <stdint.h>
#include <stdio.h>

int field_main(void);

void bench_puts(const char *s)
{
    fputs(s, stdout);
}

int main(void)
{
    int bad = field_main();
    *(volatile uint32_t *)0x100000u = bad ? (((uint32_t)bad << 16) | 0x3333u) : 0x5555u;
    for (;;) {
    }
}
"""


@pytest.mark.qemu
def test_field_and_known_answers_on_rv32() -> None:
    for tool in ("riscv64-unknown-elf-gcc", "qemu-system-riscv32"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    out = HOST_BUILD / "c25519-rv32-qemu"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cases.h").write_text(cases())
    (out / "main.c").write_text(MAIN.replace("int main(void)", "int field_main(void)"))
    (out / "shim.c").write_text(SHIM)
    srcs = [out / "main.c", out / "shim.c",
            *(ROOT / "netstack" / "crypto" / f"{n}.c" for n in SOURCES)]
    elf = out / "field.elf"
    cmd = ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32", "-Os", "-std=c11",
           "-Wall", "-Wextra", "-Werror", "-Wshadow", "-ffunction-sections", "-fdata-sections",
           "--specs=picolibc.specs", "--oslib=semihost", "-Wl,--gc-sections",
           "-Wl,--defsym=__flash=0x80000000", "-Wl,--defsym=__flash_size=0x200000",
           "-Wl,--defsym=__ram=0x80200000", "-Wl,--defsym=__ram_size=0x200000",
           "-Wl,--defsym=__stack_size=0x4000", f"-I{ROOT / 'hal' / 'include'}",
           f"-I{ROOT / 'netstack' / 'crypto'}", f"-I{out}", "-o", str(elf), *map(str, srcs)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    run = subprocess.run(
        ["timeout", "120", "qemu-system-riscv32", "-M", "virt", "-bios", "none", "-nographic",
         "-monitor", "none", "-serial", "none", "-semihosting-config", "enable=on,target=native",
         "-kernel", str(elf)],
        capture_output=True, text=True,
    )
    text = run.stdout + run.stderr
    assert run.returncode == 0 and "FIELD OK" in text, text
