"""Compilers and flags per core family, and the Debian package that brings each.

One place knows that a Cortex-M7 with an FPU wants -mfpu=fpv5-d16, that RV32
wants -march=rv32imac_zicsr, and which package to install when a tool is missing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sdk.errors import ROOT, SdkError
from sdk.gen.startup import core_family
from sdk.model import Chip

COMMON_CFLAGS = [
    "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Os", "-g",
    "-ffunction-sections", "-fdata-sections", "-fno-common",
    # Reproducible: no absolute paths of this checkout in the image or its debug info.
    f"-ffile-prefix-map={ROOT}=.",
]


@dataclass(frozen=True)
class Toolchain:
    family: str
    prefix: str  # "arm-none-eabi-", "" for the host
    package: str  # the Debian package that provides the compiler
    cflags: tuple[str, ...]
    ldflags: tuple[str, ...]
    libc_package: str = ""

    def tool(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def check(self) -> None:
        """Fail with the package to install when the compiler is missing."""
        cc = self.tool("gcc")
        if shutil.which(cc) is None:
            raise SdkError(
                f"{cc} not found: install the Debian package {self.package} "
                f"(./apogee setup installs every toolchain)")
        if self.libc_package:
            triple = self.prefix.rstrip("-")
            if not (Path("/usr/lib/picolibc") / triple / "picolibc.specs").is_file():
                raise SdkError(
                    f"picolibc for {triple} not found: install the Debian package "
                    f"{self.libc_package} (./apogee setup)")


def for_chip(chip: Chip) -> Toolchain:
    core = chip.core
    family = core_family(core.isa)
    if family == "cortex-m":
        fpu = ([f"-mfpu={core.fpu}", "-mfloat-abi=hard"] if core.fpu else ["-mfloat-abi=soft"])
        arch = (f"-mcpu={core.cpu}", "-mthumb", *fpu)
        return Toolchain(
            family, "arm-none-eabi-", "gcc-arm-none-eabi",
            cflags=(*arch, "--specs=picolibc.specs"),
            ldflags=(*arch, "--specs=picolibc.specs", "-nostartfiles"),
            libc_package="picolibc-arm-none-eabi",
        )
    if family == "riscv32":
        arch = ("-march=rv32imac_zicsr", "-mabi=ilp32", "-mcmodel=medany")
        # GCC 12 picks a multilib by the -march string: "rv32imac_zicsr" matches
        # none and would link the rv64 libc, so the link names plain rv32imac.
        link_arch = ("-march=rv32imac", "-mabi=ilp32", "-mcmodel=medany")
        return Toolchain(
            family, "riscv64-unknown-elf-", "gcc-riscv64-unknown-elf",
            cflags=(*arch, "--specs=picolibc.specs"),
            # An image that runs from RAM (QEMU virt) has code and data in one
            # writable segment by design; ld's RWX warning says nothing new there.
            ldflags=(*link_arch, "--specs=picolibc.specs", "-nostartfiles",
                     "-Wl,--no-warn-rwx-segments"),
            libc_package="picolibc-riscv64-unknown-elf",
        )
    if family == "aarch64":
        arch = (f"-mcpu={core.cpu}", "-mstrict-align", "-fno-pie")
        return Toolchain(
            family, "aarch64-linux-gnu-", "gcc-aarch64-linux-gnu",
            cflags=(*arch, "--specs=picolibc.specs", "-ffreestanding"),
            ldflags=(*arch, "--specs=picolibc.specs", "-nostartfiles", "-static", "-no-pie",
                     "-Wl,--no-warn-rwx-segments"),  # runs from RAM, as on riscv32
            libc_package="picolibc-aarch64-linux-gnu",
        )
    return Toolchain(family, "", "gcc", cflags=("-D_DEFAULT_SOURCE",), ldflags=())
