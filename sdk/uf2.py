"""UF2 files: what a USB mass-storage boot loader (the RP2040's, among others)
writes to flash.

A UF2 file is a sequence of 512-byte blocks, each carrying up to 476 bytes for
one flash address (UF2 specification, github.com/microsoft/uf2):

    offset  field
    0       magic 0x0A324655 ("UF2\\n")
    4       magic 0x9E5D5157
    8       flags (0x2000: the family ID field is present)
    12      target address
    16      payload size
    20      block number
    24      number of blocks
    28      family ID (with flag 0x2000; the file size otherwise)
    32      data, 476 bytes, the payload first, zeros after
    508     magic 0x0AB16F30

All little-endian. The RP2040 boot ROM takes only 256-byte payloads at 256-byte
aligned addresses, which is what to_uf2 writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from construct import Bytes, Const, Int32ul, Struct

from sdk.errors import SdkError, rel
from sdk.model import Board, Chip, Uf2Flash

MAGIC_START0 = 0x0A324655
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_FAMILY_ID_PRESENT = 0x00002000
BLOCK_SIZE = 512
DATA_SIZE = 476
PAYLOAD_SIZE = 256

BLOCK = Struct(
    "magic_start0" / Const(MAGIC_START0, Int32ul),
    "magic_start1" / Const(MAGIC_START1, Int32ul),
    "flags" / Int32ul,
    "target_addr" / Int32ul,
    "payload_size" / Int32ul,
    "block_no" / Int32ul,
    "num_blocks" / Int32ul,
    "family_id" / Int32ul,
    "data" / Bytes(DATA_SIZE),
    "magic_end" / Const(MAGIC_END, Int32ul),
)
assert BLOCK.sizeof() == BLOCK_SIZE


@dataclass(frozen=True)
class Uf2Block:
    target_addr: int
    payload: bytes
    block_no: int
    num_blocks: int
    family_id: int
    flags: int


def to_uf2(image: bytes, base: int, family_id: int) -> bytes:
    """The image, to be written at base, as UF2 blocks of 256-byte payloads (the
    last one padded with zeros)."""
    if base % PAYLOAD_SIZE:
        raise SdkError(f"UF2 base address {base:#x} is not a multiple of {PAYLOAD_SIZE}")
    if not image:
        raise SdkError("UF2: the image is empty")
    chunks = [image[i:i + PAYLOAD_SIZE].ljust(PAYLOAD_SIZE, b"\0")
              for i in range(0, len(image), PAYLOAD_SIZE)]
    return b"".join(
        BLOCK.build({
            "flags": FLAG_FAMILY_ID_PRESENT,
            "target_addr": base + n * PAYLOAD_SIZE,
            "payload_size": PAYLOAD_SIZE,
            "block_no": n,
            "num_blocks": len(chunks),
            "family_id": family_id,
            "data": chunk.ljust(DATA_SIZE, b"\0"),
        })
        for n, chunk in enumerate(chunks)
    )


def parse(data: bytes) -> list[Uf2Block]:
    """Every block of a UF2 file; fails on a wrong size or magic number."""
    if len(data) % BLOCK_SIZE:
        raise SdkError(f"UF2: {len(data)} bytes is not a whole number of {BLOCK_SIZE}-byte blocks")
    out = []
    for i in range(0, len(data), BLOCK_SIZE):
        try:
            b = BLOCK.parse(data[i:i + BLOCK_SIZE])
        except Exception as exc:  # construct reports a bad magic as ConstError
            raise SdkError(f"UF2: block {i // BLOCK_SIZE}: {exc}") from None
        if b.payload_size > DATA_SIZE:
            raise SdkError(f"UF2: block {i // BLOCK_SIZE}: payload of {b.payload_size} bytes")
        out.append(Uf2Block(b.target_addr, bytes(b.data[:b.payload_size]), b.block_no,
                            b.num_blocks, b.family_id, b.flags))
    return out


def write(elf: Path, board: Board, chip: Chip) -> Path:
    """<app>.uf2 beside elf, from the .bin beside it, for a board flashed by UF2.

    The image is checked first where the chip has a boot block (RP2040: boot2's
    CRC and the vector table behind it), so a UF2 that could not boot is never
    written. The file is written whole or not at all.
    """
    flash = board.flash
    if not isinstance(flash, Uf2Flash):
        raise SdkError(f"board {board.name} is not flashed by UF2")
    binary = elf.with_suffix(".bin")
    if not binary.is_file():
        raise SdkError(f"{rel(binary)} must be built before its UF2")
    code = next((m for m in chip.memories if m.kind == "flash"), None)
    if code is None:
        raise SdkError(f"chip {chip.name} has no flash memory to write a UF2 for")
    image = binary.read_bytes()
    if len(image) > code.size:
        raise SdkError(f"{rel(binary)}: {len(image)} bytes do not fit the {code.size}-byte flash")
    if chip.facts.get("boot2_bytes"):
        from sdk import rp2040_boot2

        ram = max((m for m in chip.memories if m.kind == "ram"), key=lambda m: m.size)
        rp2040_boot2.check_image(image, code.origin, (ram.origin, ram.size), rel(binary))
    out = elf.with_suffix(".uf2")
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(to_uf2(image, code.origin, flash.family_id))
    tmp.replace(out)
    return out
