"""The pico board (RP2040, hardware only): what can be checked without one.

- hello and blinky build into images that start with the 256-byte boot block,
  then the vector table at 0x10000100 that the block enters;
- the boot block's CRC agrees with two implementations written here, not the
  SDK's: a bitwise CRC-32 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, no
  reflection, no final XOR), and zlib's reflected CRC-32 turned into that one;
  both give the CRC catalogue's check value for "123456789";
- an image whose block is damaged is refused, and no UF2 is written for it;
- the UF2 file parses back, by a parser written here from the UF2 spec, into
  exactly the .bin at 0x10000000, in 256-byte payloads with the RP2040 family;
- the chip's memories agree with pyocd's built-in rp2040 target;
- the clock driver, run on the host against a model of the hardware, reaches
  125 MHz without switching a clock onto a source that is not ready, and gives
  up in bounded time, on the ring oscillator, when the crystal or PLL is dead.
"""

from __future__ import annotations

import binascii
import struct
import subprocess
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from hypothesis import given, settings
from hypothesis import strategies as st

from sdk import build, rp2040_boot2, uf2
from sdk.errors import SdkError
from sdk.gen import write
from sdk.target import Target
from tests.hostc import build_program

ROOT = Path(__file__).resolve().parents[2]
SCONS = str(ROOT / ".venv" / "bin" / "scons")
FLASH = 0x10000000
RP2040_FAMILY = 0xE48BFF56


def bitwise_crc(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def reverse_bits(value: int, width: int) -> int:
    return int(f"{value:0{width}b}"[::-1], 2)


def zlib_route_crc(data: bytes) -> int:
    """zlib's CRC-32 is the same polynomial reflected, with a final XOR: reflect
    every input byte and the result, and undo the XOR."""
    reflected = bytes(reverse_bits(b, 8) for b in data)
    return reverse_bits(binascii.crc32(reflected) ^ 0xFFFFFFFF, 32)


def built(app: str) -> tuple[Target, Path]:
    proc = subprocess.run([SCONS, "-Q", "board=pico", f"app={app}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    t = Target.load("pico", app)
    return t, build.build_dir(t) / f"{app}.elf"


def test_crc_check_value() -> None:
    # CRC-32/MPEG-2 in the catalogue of parametrised CRC algorithms.
    assert bitwise_crc(b"123456789") == zlib_route_crc(b"123456789") == 0x0376E6E7
    assert rp2040_boot2.crc32(b"123456789") == 0x0376E6E7


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_crc_agrees_with_independent_implementations(data: bytes) -> None:
    assert rp2040_boot2.crc32(data) == bitwise_crc(data) == zlib_route_crc(data)


@pytest.mark.parametrize("app", ["hello", "blinky"])
def test_image_starts_with_sealed_boot2_then_vectors(app: str) -> None:
    t, elf = built(app)
    image = elf.with_suffix(".bin").read_bytes()
    block = image[:256]
    assert block == rp2040_boot2.build()
    assert int.from_bytes(block[252:], "little") == bitwise_crc(block[:252])
    with elf.open("rb") as f:
        e = ELFFile(f)
        symtab = e.get_section_by_name(".symtab")
        boot2 = symtab.get_symbol_by_name("rp2040_boot2")[0]
        vectors = symtab.get_symbol_by_name("vector_table")[0]
        assert (boot2["st_value"], boot2["st_size"]) == (FLASH, 256)
        assert vectors["st_value"] == FLASH + 0x100
        assert e["e_entry"] & 1  # Thumb
    sp, reset = struct.unpack_from("<II", image, 0x100)
    assert 0x20000000 < sp <= 0x20040000
    assert reset == e["e_entry"] and FLASH + 0x100 < reset < FLASH + len(image)
    rp2040_boot2.check_image(image, FLASH, (0x20000000, 256 * 1024), "test")


def test_boot2_is_thumb1_code_that_enters_through_vtor() -> None:
    """Read back from the block: the entry sets sp below the block (the ROM's
    stack may overlap it), and the literal pool holds the SSI base, the XIP read
    settings (03h, 8-bit instruction, 24-bit address), VTOR and 0x10000100."""
    block = rp2040_boot2.build()
    words = {int.from_bytes(block[i:i + 4], "little") for i in range(0, 252, 2)}
    assert 0x20041F00 in words  # new stack pointer
    assert 0xE000ED08 in words  # VTOR
    assert 0x10000100 in words  # the image's vector table
    assert (0x03 << 24) | (2 << 8) | (6 << 2) in words  # SPI_CTRLR0
    assert (31 << 16) | (3 << 8) in words  # CTRLR0: 32-bit frames, EEPROM read
    # It ends in "bx" to the reset handler; zeros pad it to 252 bytes.
    code_end = block.rfind(bytes.fromhex("1047"))  # bx r2
    assert 0 < code_end and block[code_end + 2 + 20:252] == bytes(252 - code_end - 22)


def test_built_for_armv6m() -> None:
    """Cortex-M0+ runs ARMv6-M: the image (and the libc and libgcc linked in)
    must be built for it, not for a Thumb-2 core."""
    _, elf = built("hello")
    attrs = subprocess.run(["arm-none-eabi-readelf", "-A", str(elf)], capture_output=True,
                           text=True, check=True).stdout
    assert "Tag_CPU_arch: v6S-M" in attrs
    assert "Tag_CPU_arch_profile: Microcontroller" in attrs


def test_damaged_boot2_is_refused_and_no_uf2_written(tmp_path: Path) -> None:
    t, elf = built("hello")
    image = bytearray(elf.with_suffix(".bin").read_bytes())
    image[10] ^= 0x01
    (tmp_path / "hello.bin").write_bytes(bytes(image))
    (tmp_path / "hello.elf").write_bytes(elf.read_bytes())
    with pytest.raises(SdkError, match="boot2 CRC"):
        uf2.write(tmp_path / "hello.elf", t.board, t.chip)
    assert not (tmp_path / "hello.uf2").exists()
    with pytest.raises(SdkError, match="more than the 252"):
        rp2040_boot2.seal(bytes(253))


def parse_uf2(data: bytes) -> list[dict[str, int | bytes]]:
    """A UF2 reader from the specification (32-byte header, 476 data bytes, end
    magic), independent of sdk/uf2.py."""
    assert len(data) % 512 == 0
    blocks = []
    for off in range(0, len(data), 512):
        m0, m1, flags, addr, size, no, count, family = struct.unpack_from("<8I", data, off)
        (m_end,) = struct.unpack_from("<I", data, off + 508)
        assert (m0, m1, m_end) == (0x0A324655, 0x9E5D5157, 0x0AB16F30)
        payload = data[off + 32:off + 32 + 476]
        blocks.append({"flags": flags, "addr": addr, "size": size, "no": no, "count": count,
                       "family": family, "payload": payload[:size], "pad": payload[size:]})
    return blocks


@pytest.mark.parametrize("app", ["hello", "blinky"])
def test_uf2_parses_back_into_the_bin(app: str) -> None:
    t, elf = built(app)
    out = uf2.write(elf, t.board, t.chip)
    assert out == elf.with_suffix(".uf2")
    image = elf.with_suffix(".bin").read_bytes()
    blocks = parse_uf2(out.read_bytes())
    assert len(blocks) == (len(image) + 255) // 256
    for n, b in enumerate(blocks):
        assert b["flags"] == 0x00002000  # family ID present
        assert b["family"] == RP2040_FAMILY
        assert b["size"] == 256
        assert b["addr"] == FLASH + 256 * n
        assert (b["no"], b["count"]) == (n, len(blocks))
        assert b["pad"] == bytes(476 - 256)
    payload = b"".join(b["payload"] for b in blocks)  # type: ignore[misc]
    assert payload[:len(image)] == image
    assert payload[len(image):] == bytes(len(payload) - len(image))
    # sdk/uf2.py's own reader agrees.
    assert [(b.target_addr, b.payload) for b in uf2.parse(out.read_bytes())] == \
        [(x["addr"], x["payload"]) for x in blocks]


def test_uf2_rejects_bad_input() -> None:
    with pytest.raises(SdkError, match="not a multiple of 256"):
        uf2.to_uf2(b"x", 0x10000080, RP2040_FAMILY)
    good = uf2.to_uf2(bytes(300), FLASH, RP2040_FAMILY)
    with pytest.raises(SdkError, match="whole number"):
        uf2.parse(good[:-1])
    with pytest.raises(SdkError, match="block 1"):
        uf2.parse(good[:512] + b"\0" + good[513:])


def test_memories_agree_with_pyocd() -> None:
    from pyocd.target import TARGET

    t = Target.load("pico", "hello")
    assert t.board.flash.pyocd_target == "rp2040"  # type: ignore[union-attr]
    regions = list(TARGET["rp2040"].MEMORY_MAP)
    for m in t.chip.memories:
        kind = "flash" if m.kind == "flash" else "ram"
        inside = [r for r in regions if r.start <= m.origin and m.origin + m.size - 1 <= r.end
                  and (r.is_flash if kind == "flash" else r.is_ram)]
        assert inside, f"{m.name} {m.origin:#x}+{m.size:#x} is in no pyocd {kind} region"
    rams = {(r.start, r.length) for r in regions if r.is_ram and r.start < 0x21000000}
    assert {(m.origin, m.size) for m in t.chip.memories if m.kind == "ram"} == rams


def test_clock_tree_and_console_divisor() -> None:
    config = build.generated(Target.load("pico", "hello"))["board_config.h"]
    assert "#define BOARD_CORE_CLOCK_HZ 125000000u" in config
    assert "#define BOARD_CONSOLE_CLOCK_HZ 125000000u" in config
    assert "#define CHIP_FACT_XOSC_HZ 12000000u" in config
    board_c = build.generated(Target.load("pico", "hello"))["board.c"]
    assert "hal_clock_tree_init();" in board_c
    assert "hal_pin_alternate(SIO_BASE, 0, 2); /* GPIO0: console */" in board_c
    assert "hal_pin_alternate(SIO_BASE, 1, 2); /* GPIO1: console */" in board_c


# --- the clock driver against a model of the hardware --------------------------


def clock_model() -> Path:
    """hal/rp2040/clocks/clocks.c built for the host with the SDK's generated
    register headers and board_config.h, and a chip.h that points every
    peripheral at a struct of tests/boards/rp2040_clock_model.c."""
    t = Target.load("pico", "hello")
    gen = ROOT / "build" / "host" / "rp2040-clock-model-gen"
    files = build.generated(t)
    blocks = {p.block: t.blocks[p.block].name for p in t.chip.peripherals}
    lines = ["#ifndef CHIP_H", "#define CHIP_H", "#include <stdint.h>"]
    lines += [f'#include "regs/{name}.h"' for name in sorted(set(blocks.values()))]
    for p in t.chip.peripherals:
        lines += [f"extern {blocks[p.block]}_regs_t model_{p.name};",
                  f"#define {p.name} (&model_{p.name})",
                  f"#define {p.name}_BASE ((uintptr_t)&model_{p.name})"]
    lines += ["#endif", ""]
    write(gen / "chip.h", "\n".join(lines))
    write(gen / "board_config.h", files["board_config.h"])
    for name, text in files.items():
        if name.startswith("regs/"):
            write(gen / name, text)
    return build_program("rp2040_clock_model",
                         ["hal/rp2040/clocks/clocks.c", "tests/boards/rp2040_clock_model.c"],
                         include=[gen], cflags=["-pthread"], ldflags=["-pthread"],
                         # The host polls far faster than the chip: give the model
                         # thread time to be scheduled before a wait gives up.
                         defines=["APOGEE_CLOCK_WAIT_SPINS=1000000000u"])


def run_model(scenario: str) -> dict[str, str]:
    out = subprocess.run([str(clock_model()), scenario], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines())


def test_clock_tree_reaches_125_mhz_in_order() -> None:
    r = run_model("ok")
    assert r["violations"] == "0", r["first_violation"]
    # Values from the RP2040 datasheet, worked out here: XOSC 1-15 MHz range
    # (0xAA0) enabled (0xFAB); start-up of 47 x 256 cycles (1 ms at 12 MHz) x 64.
    assert int(r["XOSC_CTRL"], 16) == (0xFAB << 12) | 0xAA0
    assert int(r["XOSC_STARTUP"], 16) == 47 * 64
    # 12 MHz / REFDIV 1 x FBDIV 125 = 1500 MHz VCO (750..1600), / 6 / 2 = 125 MHz.
    assert int(r["PLL_CS"], 16) == 1 and r["PLL_FBDIV"] == "125"
    assert int(r["PLL_PRIM"], 16) == (6 << 16) | (2 << 12)
    assert 750 <= 12 * 125 <= 1600 and 12 * 125 // 6 // 2 == 125
    assert int(r["PLL_PWR"], 16) == 0x04  # PD, VCOPD and POSTDIVPD cleared; DSMPD kept
    assert int(r["CLK_REF_CTRL"], 16) == 2  # clk_ref = XOSC
    assert int(r["CLK_SYS_CTRL"], 16) == 1  # clk_sys = aux = PLL_SYS (AUXSRC 0)
    assert int(r["CLK_SYS_DIV"], 16) == int(r["CLK_REF_DIV"], 16) == 0x100  # divide by 1
    assert int(r["CLK_PERI_CTRL"], 16) == 1 << 11  # enabled, from clk_sys
    assert int(r["RESUS"], 16) == 0
    assert r["core_clock_hz"] == "125000000"
    # Out of reset: everything but ADC (0), PLL_USB (13), RTC (15), USBCTRL (24).
    assert int(r["RESET"], 16) == (1 << 0) | (1 << 13) | (1 << 15) | (1 << 24)


@pytest.mark.parametrize("scenario", ["no-xosc", "no-lock"])
def test_clock_tree_gives_up_on_a_dead_crystal_or_pll(scenario: str) -> None:
    r = run_model(scenario)
    assert r["violations"] == "0", r["first_violation"]
    assert float(r["seconds"]) < 10  # bounded: it returned
    assert int(r["CLK_REF_CTRL"], 16) & 3 == 0  # still the ring oscillator
    assert int(r["CLK_SYS_CTRL"], 16) & 1 == 0  # clk_sys = clk_ref, never the PLL
    assert int(r["CLK_PERI_CTRL"], 16) == 1 << 11  # the UART still gets a clock
    assert r["core_clock_hz"] == "6500000"  # reported honestly: the ring oscillator
    assert int(r["RESET"], 16) == (1 << 0) | (1 << 13) | (1 << 15) | (1 << 24)
