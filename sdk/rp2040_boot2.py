"""RP2040 second-stage boot block: the first 256 bytes of every RP2040 image.

The boot ROM reads them from flash, computes a CRC-32 over the first 252 and
runs them only if it equals the last 4 (little-endian). This module builds the
block from our own source (hal/rp2040/boot2/boot2.c, for W25Q080-class flash),
pads it to 252 bytes, appends the CRC and checks the result; the build puts it
into the image through the generated rp2040_boot2.h (hal/rp2040/ssi/boot2_image.c).
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from sdk import loader, validate
from sdk.errors import ROOT, SdkError, rel
from sdk.gen import regs_h
from sdk.model import RegisterBlock

BLOCK_SIZE = 256
PAYLOAD_SIZE = BLOCK_SIZE - 4
LINK_ADDRESS = 0x20041F00  # where the boot ROM copies the block before running it
SOURCE = ROOT / "hal" / "rp2040" / "boot2" / "boot2.c"
SSI_REGS = ROOT / "hal" / "rp2040" / "ssi" / "regs.py"
CACHE = ROOT / "build" / "rp2040_boot2"

CFLAGS = ("-mcpu=cortex-m0plus", "-mthumb", "-Os", "-std=c11", "-Wall", "-Wextra", "-Werror",
          "-ffreestanding", "-nostdlib", "-fno-builtin", "-ffunction-sections")

LINKER_SCRIPT = f"""\
ENTRY(boot2_entry)
SECTIONS
{{
    . = {LINK_ADDRESS:#x};
    .text : {{ KEEP(*(.boot2.entry)) *(.text .text.*) *(.rodata .rodata.*) }}
    .data : {{ *(.data .data.* .bss .bss.* COMMON) }}
    /DISCARD/ : {{ *(.ARM.attributes) *(.ARM.exidx*) *(.comment) *(.note*) }}
}}
"""


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        c = byte << 24
        for _ in range(8):
            c = ((c << 1) ^ 0x04C11DB7) if c & 0x80000000 else (c << 1)
        table.append(c & 0xFFFFFFFF)
    return table


_TABLE = _crc_table()


def crc32(data: bytes) -> int:
    """The boot ROM's CRC-32: polynomial 0x04C11DB7, initial value 0xFFFFFFFF,
    most significant bit first (no reflection), no final XOR (CRC-32/MPEG-2)."""
    crc = 0xFFFFFFFF
    for b in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[((crc >> 24) ^ b) & 0xFF]
    return crc


def seal(code: bytes) -> bytes:
    """Pad code to 252 bytes with zeros and append its CRC-32, little-endian."""
    if len(code) > PAYLOAD_SIZE:
        raise SdkError(f"{rel(SOURCE)}: boot2 is {len(code)} bytes, more than the "
                       f"{PAYLOAD_SIZE} the boot ROM reads before its CRC")
    payload = code.ljust(PAYLOAD_SIZE, b"\0")
    return payload + crc32(payload).to_bytes(4, "little")


def check(block: bytes, where: str = "boot2") -> None:
    """Fail unless block is 256 bytes whose last 4 are the CRC of the first 252."""
    if len(block) != BLOCK_SIZE:
        raise SdkError(f"{where}: boot2 is {len(block)} bytes, expected {BLOCK_SIZE}")
    want = crc32(block[:PAYLOAD_SIZE])
    found = int.from_bytes(block[PAYLOAD_SIZE:], "little")
    if want != found:
        raise SdkError(f"{where}: boot2 CRC is {found:#010x}, the boot ROM computes "
                       f"{want:#010x}: the chip would not boot")


def check_image(image: bytes, flash_base: int, ram: tuple[int, int], where: str) -> None:
    """Check an RP2040 flash image (.bin): a valid boot2 first, then at 0x100 a
    vector table whose stack pointer lies in RAM (origin, size) and whose reset
    handler is a Thumb address inside the image, which boot2 enters."""
    check(image[:BLOCK_SIZE], where)
    if len(image) < BLOCK_SIZE + 8:
        raise SdkError(f"{where}: no vector table after boot2")
    sp = int.from_bytes(image[BLOCK_SIZE:BLOCK_SIZE + 4], "little")
    reset = int.from_bytes(image[BLOCK_SIZE + 4:BLOCK_SIZE + 8], "little")
    origin, size = ram
    if not origin < sp <= origin + size:
        raise SdkError(f"{where}: initial stack pointer {sp:#x} is not in RAM")
    if not (reset & 1 and flash_base + BLOCK_SIZE <= reset - 1 < flash_base + len(image)):
        raise SdkError(f"{where}: reset handler {reset:#x} is not Thumb code in the image")


def _ssi_block() -> RegisterBlock:
    block: RegisterBlock = loader.exec_description(SSI_REGS, "BLOCK", RegisterBlock)
    validate.check_block(block, SSI_REGS)
    return block


def _compile(prefix: str, work: Path) -> bytes:
    (work / "regs").mkdir()
    header = regs_h.generate(_ssi_block(), rel(SSI_REGS))
    (work / "regs" / "rp2040_ssi.h").write_text(header)
    (work / "boot2.ld").write_text(LINKER_SCRIPT)
    elf, binary = work / "boot2.elf", work / "boot2.bin"
    cc = f"{prefix}gcc"
    cmd = [cc, *CFLAGS, f"-I{work}", f"-T{work / 'boot2.ld'}", "-o", str(elf), str(SOURCE)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise SdkError(f"{cc} not found: install the Debian package gcc-arm-none-eabi") from None
    if done.returncode:
        raise SdkError(f"{rel(SOURCE)} does not build: {done.stderr.strip()}")
    size = subprocess.run([f"{prefix}size", "-A", str(elf)], capture_output=True, text=True,
                          check=True).stdout
    for line in size.splitlines():
        parts = line.split()
        if parts and parts[0] == ".data" and int(parts[1]):
            raise SdkError(f"{rel(SOURCE)}: boot2 must not use RAM ({parts[1]} bytes of data)")
    subprocess.run([f"{prefix}objcopy", "-O", "binary", "-j", ".text", str(elf), str(binary)],
                   check=True)
    return binary.read_bytes()


@cache
def build(prefix: str = "arm-none-eabi-") -> bytes:
    """The sealed 256-byte block, compiled once per source version (cached under
    build/rp2040_boot2/ by a hash of everything it is built from)."""
    key = hashlib.sha256(b"\0".join([
        SOURCE.read_bytes(), SSI_REGS.read_bytes(), prefix.encode(), " ".join(CFLAGS).encode(),
        LINKER_SCRIPT.encode(), Path(__file__).read_bytes(),
    ])).hexdigest()[:16]
    cached = CACHE / f"boot2-{key}.bin"
    if cached.is_file():
        block = cached.read_bytes()
    else:
        with tempfile.TemporaryDirectory(prefix="apogee-boot2-") as work:
            block = seal(_compile(prefix, Path(work)))
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(block)
        tmp.replace(cached)
    check(block, rel(cached))
    return block


def header(prefix: str = "arm-none-eabi-") -> str:
    """rp2040_boot2.h: the block as a C initializer, RP2040_BOOT2_BYTES."""
    block = build(prefix)
    rows = [", ".join(f"0x{b:02X}" for b in block[i:i + 16]) for i in range(0, BLOCK_SIZE, 16)]
    crc = int.from_bytes(block[PAYLOAD_SIZE:], "little")
    body = ", \\\n    ".join(rows)
    return (
        f"/* Generated by sdk/rp2040_boot2.py from {rel(SOURCE)}. Do not edit.\n"
        f" * {PAYLOAD_SIZE} bytes of code and zero padding, then their CRC-32 {crc:#010x}\n"
        " * (polynomial 0x04C11DB7, initial 0xFFFFFFFF, unreflected), little-endian. */\n"
        "#ifndef RP2040_BOOT2_H\n#define RP2040_BOOT2_H\n\n"
        f"#define RP2040_BOOT2_BYTES {{ \\\n    {body} \\\n}}\n\n#endif\n"
    )
