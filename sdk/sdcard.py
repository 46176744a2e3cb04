"""Raspberry Pi boot folder: the image as the firmware's kernel, and its config.txt.

The Raspberry Pi firmware (on the SD card's FAT partition) reads config.txt,
loads the kernel file at kernel_address and starts it on core 0. write() makes
build/<board>/<app>/sdcard/ holding exactly the two files Apogee owns; the user
copies them beside the firmware files on the card.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from elftools.elf.elffile import ELFFile

from sdk.errors import SdkError, rel
from sdk.model import Board, Chip, SdCardFlash

FIRMWARE_FILES = {
    "bcm2837": "bootcode.bin, start.elf and fixup.dat",
    "bcm2711": "start4.elf and fixup4.dat",
}


def load_address(chip: Chip) -> int:
    """Where the firmware must put the image: the start of the chip's RAM plus
    its load_offset fact (0x80000 on BCM2837/BCM2711)."""
    ram = min((m for m in chip.memories if m.kind == "ram"), key=lambda m: m.origin)
    return ram.origin + chip.facts.get("load_offset", 0)


def config_txt(board: Board, chip: Chip, app: str) -> str:
    flash = board.flash
    if not isinstance(flash, SdCardFlash):
        raise SdkError(f"board {board.name} is not flashed through an SD card")
    firmware = FIRMWARE_FILES.get(chip.name, "the Raspberry Pi firmware")
    return "\n".join([
        f"# Written by the Apogee SDK for {board.name} ({app}). Copy this file and",
        f"# {flash.kernel} to the FAT boot partition of an SD card that holds the",
        f"# Raspberry Pi firmware ({firmware}).",
        "arm_64bit=1",
        f"kernel={flash.kernel}",
        f"kernel_address={load_address(chip):#x}",
        "# The console is the PL011 (UART0) on GPIO14/15, taken back from Bluetooth.",
        "enable_uart=1",
        "dtoverlay=disable-bt",
        "",
    ])


def write(elf: Path, board: Board, chip: Chip, dest: Path | None = None) -> Path:
    """Write <dest>/{kernel, config.txt} from elf and the .bin beside it.

    dest defaults to sdcard/ beside the ELF (build/<board>/<app>/sdcard). The
    folder is replaced whole: it is written in a temporary folder and renamed,
    so a failure never leaves half a folder. Fails if the image does not start
    where the firmware will load it.
    """
    flash = board.flash
    if not isinstance(flash, SdCardFlash):
        raise SdkError(f"board {board.name} is not flashed through an SD card")
    binary = elf.with_suffix(".bin")
    if not elf.is_file() or not binary.is_file():
        raise SdkError(f"{rel(elf)} and its .bin must be built before the SD-card folder")
    want = load_address(chip)
    with open(elf, "rb") as f:
        e = ELFFile(f)
        entry = e["e_entry"]
        loads = [s["p_paddr"] for s in e.iter_segments()
                 if s["p_type"] == "PT_LOAD" and s["p_filesz"]]
    if entry != want or not loads or min(loads) != want:
        raise SdkError(f"{rel(elf)}: starts at {min(loads, default=0):#x} (entry {entry:#x}), "
                       f"but the firmware loads {flash.kernel} at {want:#x}")
    dest = dest if dest is not None else elf.parent / "sdcard"
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sdcard-", dir=dest.parent))
    try:
        shutil.copyfile(binary, tmp / flash.kernel)
        (tmp / "config.txt").write_text(config_txt(board, chip, elf.stem))
        if dest.exists():
            shutil.rmtree(dest)
        tmp.replace(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return dest
