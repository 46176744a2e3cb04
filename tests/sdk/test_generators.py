"""Each generator's output, checked by compiling it or by reading it back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sdk import build
from sdk.gen import regs_h, startup
from sdk.model import Field, Register, RegisterBlock
from sdk.target import Target

BLOCK = RegisterBlock(
    name="demo",
    doc="a demonstration block",
    registers=(
        Register("CTRL", 0x00, (Field("EN", 0), Field("MODE", 4, 3, "rw")), reset=0x10),
        Register("STATUS", 0x08, (Field("READY", 31, access="ro"),), access="ro"),
        Register("BYTE", 0x0C, width=8),
        Register("WIDE", 0x10, width=64),
    ),
)


def compile_and_run(tmp_path: Path, header: str, body: str) -> str:
    (tmp_path / "demo.h").write_text(header)
    src = tmp_path / "t.c"
    src.write_text(
        f'#include <stdio.h>\n#include "demo.h"\nint main(void) {{ {body} return 0; }}\n')
    exe = tmp_path / "t"
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", str(tmp_path),
                    str(src), "-o", str(exe)], check=True, capture_output=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout


def test_register_header_layout_and_macros(tmp_path: Path) -> None:
    header = regs_h.generate(BLOCK, "hal/demo/regs.py")
    assert "Do not edit" in header
    out = compile_and_run(tmp_path, header, r'''
        printf("%zu %zu %zu %zu\n", offsetof(demo_regs_t, CTRL), offsetof(demo_regs_t, STATUS),
               offsetof(demo_regs_t, BYTE), offsetof(demo_regs_t, WIDE));
        printf("%x %u %u %x %s\n", DEMO_CTRL_MODE_BITS, DEMO_CTRL_MODE_LSB, DEMO_CTRL_MODE_MSB,
               DEMO_CTRL_RESET, DEMO_STATUS_READY_ACCESS);
        printf("%zu %zu\n", sizeof(((demo_regs_t *)0)->BYTE), sizeof(((demo_regs_t *)0)->WIDE));
    ''')
    assert out.split("\n")[:3] == ["0 8 12 16", "70 4 6 10 ro", "1 8"]


def test_every_register_of_every_shipped_block_compiles(tmp_path: Path) -> None:
    t = Target.load("mps2-an385", "hello")
    for path, block in t.blocks.items():
        header = regs_h.generate(block, path)
        for reg in block.registers:
            assert f"#define {block.name.upper()}_{reg.name}_OFFSET 0x{reg.offset:03X}u" in header
        compile_and_run(tmp_path, header, "")


def test_chip_and_board_headers() -> None:
    t = Target.load("mps2-an385", "blinky")
    files = build.generated(t)
    chip = files["chip.h"]
    assert "#define UART0_BASE 0x40004000u" in chip
    assert "#define ETH_IRQn 13u" in chip
    cfg = files["board_config.h"]
    assert '#define BOARD_NAME "mps2-an385"' in cfg
    assert "#define BOARD_CONSOLE UART0" in cfg
    assert "#define BOARD_CORE_CLOCK_HZ 25000000u" in cfg
    assert "#define BOARD_LED_COUNT 2u" in cfg
    board_c = files["board.c"]
    assert ".port = FPGAIO_BASE, .pin = 0" in board_c and ".pin = 1" in board_c


def test_vector_table_has_every_irq_in_place() -> None:
    t = Target.load("mps2-an385", "hello")
    text = startup.vectors_c(t)
    assert f"vector_table[16 + {t.chip.core.irq_count}]" in text
    entries = re.findall(r"\(uintptr_t\)(\w+), /\* IRQ (\d+) \*/", text)
    assert len(entries) == t.chip.core.irq_count
    named = {int(n): h for h, n in entries if h != "Default_Handler"}
    assert named[0] == "UART0_IRQHandler" and named[13] == "ETH_IRQHandler"


def test_linker_script_from_memories_and_stack() -> None:
    t = Target.load("mps2-an385", "hello")
    ld = startup.linker_script(t)
    assert "CODE (rx) : ORIGIN = 0x00000000, LENGTH = 0x00400000" in ld
    assert "RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 0x00400000" in ld
    assert f". += {t.app.stack_bytes};" in ld
    assert "KEEP(*(.vectors))" in ld


def test_config_header_carries_every_app_size(tmp_path: Path) -> None:
    app = tmp_path / "sized"
    app.mkdir()
    (app / "main.c").write_text("int app_main(void) { return 0; }\n")
    (app / "app.py").write_text(
        'from sdk.model import App\n'
        'APP = App(name="sized", description="d", sizes={"NET_PBUF_COUNT": 24, '
        '"RX_BYTES": 1536}, stack_bytes=1024)\n')
    t = Target.load("mps2-an385", str(app))
    cfg = startup.config_h(t)
    assert "#define APOGEE_NET_PBUF_COUNT 24\n" in cfg
    assert "#define APOGEE_RX_BYTES 1536\n" in cfg
    assert "#define APOGEE_STACK_BYTES 1024u" in cfg
    assert t.ram_estimate() == 256 + 1024 + 1536


def test_unchanged_generation_rewrites_nothing() -> None:
    t = Target.load("mps2-an385", "hello")
    gen = build.write_generated(t)
    before = {p: p.stat().st_mtime_ns for p in gen.rglob("*") if p.is_file()}
    build.write_generated(t)
    after = {p: p.stat().st_mtime_ns for p in gen.rglob("*") if p.is_file()}
    assert before == after


def test_stm32_pin_mux_clock_gates_and_clock_config() -> None:
    t = Target.load("nucleo-f767zi", "blinky")
    files = build.generated(t)
    board_c = files["board.c"]
    # Console pins to USART3 (AF7), the RMII pins to the MAC (AF11), from the board file.
    assert "hal_pin_alternate(GPIOD_BASE, 8, 7); /* PD8: console */" in board_c
    assert "hal_pin_alternate(GPIOG_BASE, 13, 11); /* PG13: ETH_RMII_TXD0 */" in board_c
    # Every port or peripheral brought up has its clock gate opened first.
    assert "RCC->APB1ENR |= 1u << 18; /* USART3 */" in board_c
    assert board_c.index("RCC->AHB1ENR |= 1u << 3; /* GPIOD */") < board_c.index(
        "hal_pin_alternate(GPIOD_BASE")
    assert board_c.index("hal_clock_tree_init();") < board_c.index("hal_console_init();")
    cfg = files["board_config.h"]
    for line in ("#define BOARD_CLOCK_PLL_M 4u", "#define BOARD_CLOCK_PLL_N 216u",
                 "#define BOARD_CLOCK_PLL_P 2u", "#define BOARD_CLOCK_FLASH_WAIT_STATES 7u",
                 "#define BOARD_CLOCK_OVERDRIVE 1", "#define BOARD_CONSOLE_CLOCK_HZ 54000000u"):
        assert line in cfg


def test_a_device_driver_is_linked_only_by_the_apps_that_need_it() -> None:
    """virtio devices share one transport block (hal/virtio/mmio); each device's
    driver has its own folder, linked when the app needs that device: net-echo on
    riscv-virt links the virtio-net driver, the rng app links only virtio-rng."""
    def drivers(app: str) -> set[str]:
        return {p.name for p in build.hal_sources(Target.load("riscv-virt", app))
                if "virtio" in p.parts}

    assert "virtio_net.c" in drivers("net-echo")
    assert "virtio_rng.c" in drivers("rng")
    assert "virtio_net.c" not in drivers("rng")
    assert "virtio_net.c" not in drivers("hello")
