"""The STM32 boards: nucleo-f767zi (stm32f7), nucleo-f429zi, netduinoplus2 (stm32f4).

- every board x {hello, blinky} builds with the firmware flags (-Werror) into an
  image whose vector table and float ABI match the chip;
- the register headers the SDK generates put registers and fields where the
  reference manuals (RM0090 for the F4, RM0410 for the F7) say;
- the clock solver gives each board its SYSCLK with the right factors and flash
  wait states;
- the chips' memories agree with pyocd's built-in targets;
- the clock driver (hal/stm32/rcc/rcc.c) never hangs and reports the clock it
  really got, run on the host against a small model of the RCC;
- netduinoplus2 runs hello and blinky in QEMU 7.2, and a probe image records what
  QEMU's STM32F405 model provides (USART, SysTick at 168 MHz) and what it does not
  (RCC, FLASH, PWR, GPIO read 0): the assertions follow QEMU's real behaviour.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from sdk import build, clocks
from sdk.gen import regs_h
from sdk.target import Target, find_board
from tests.hostc import build_program

ROOT = Path(__file__).resolve().parents[2]
SCONS = str(ROOT / ".venv" / "bin" / "scons")
MHZ = 1_000_000

BOARDS = ["nucleo-f767zi", "nucleo-f429zi", "netduinoplus2"]
APPS = ["hello", "blinky"]

EF_ARM_ABI_FLOAT_HARD = 0x400


def scons(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCONS, "-Q", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


# --- builds ---------------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("name", BOARDS)
def test_builds_with_werror(name: str, app: str) -> None:
    t = Target.load(name, app)
    assert "-Werror" in build.toolchain.COMMON_CFLAGS
    proc = scons(f"board={name}", f"app={app}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    elf = build.build_dir(t) / f"{app}.elf"
    for suffix in (".bin", ".hex", ".map"):
        assert elf.with_suffix(suffix).is_file()
    with elf.open("rb") as f:
        e = ELFFile(f)
        # Hard-float ABI: the chips' FPUs are used, not emulated.
        assert e["e_flags"] & EF_ARM_ABI_FLOAT_HARD
        assert e["e_entry"] & 1  # a Thumb entry point
        flash = next(m for m in t.chip.memories if m.kind == "flash")
        ram = next(m for m in t.chip.memories if m.kind == "ram")
        vectors = e.get_section_by_name(".text")
        assert vectors["sh_addr"] == flash.origin == 0x08000000
        words = vectors.data()[: 4 * (16 + t.chip.core.irq_count)]
        table = [int.from_bytes(words[i:i + 4], "little") for i in range(0, len(words), 4)]
        assert ram.origin < table[0] <= ram.origin + ram.size  # initial stack pointer
        assert table[1] == e["e_entry"]  # reset vector
        symbols = e.get_section_by_name(".symtab")
        vt = symbols.get_symbol_by_name("vector_table")[0]
        assert vt["st_size"] == 4 * (16 + t.chip.core.irq_count)


def test_aliases() -> None:
    assert find_board("stm32f7")[0].name == "nucleo-f767zi"
    assert find_board("stm32f4")[0].name == "netduinoplus2"


def test_m7_has_double_precision_fpu() -> None:
    f7 = build.tools(Target.load("stm32f7", "hello")).cflags
    assert "-mcpu=cortex-m7" in f7 and "-mfpu=fpv5-d16" in f7 and "-mfloat-abi=hard" in f7
    for name in ("nucleo-f429zi", "netduinoplus2"):
        f4 = build.tools(Target.load(name, "hello")).cflags
        assert "-mcpu=cortex-m4" in f4 and "-mfpu=fpv4-sp-d16" in f4


# --- register headers against the reference manuals ----------------------------

# (block, register, offset) from RM0090 rev 19 (F4) and RM0410 rev 4 (F7).
OFFSETS = [
    ("usart_f7", "CR1", 0x00), ("usart_f7", "BRR", 0x0C), ("usart_f7", "ISR", 0x1C),
    ("usart_f7", "ICR", 0x20), ("usart_f7", "RDR", 0x24), ("usart_f7", "TDR", 0x28),
    ("usart_f4", "SR", 0x00), ("usart_f4", "DR", 0x04), ("usart_f4", "BRR", 0x08),
    ("usart_f4", "CR1", 0x0C), ("usart_f4", "CR3", 0x14),
    ("rcc", "CR", 0x00), ("rcc", "PLLCFGR", 0x04), ("rcc", "CFGR", 0x08),
    ("rcc", "AHB1ENR", 0x30), ("rcc", "AHB2ENR", 0x34), ("rcc", "APB1ENR", 0x40),
    ("rcc", "APB2ENR", 0x44),
    ("gpio", "MODER", 0x00), ("gpio", "IDR", 0x10), ("gpio", "ODR", 0x14),
    ("gpio", "BSRR", 0x18), ("gpio", "AFRL", 0x20), ("gpio", "AFRH", 0x24),
    ("flash_f4", "ACR", 0x00), ("flash_f7", "ACR", 0x00),
    ("pwr", "CR", 0x00), ("pwr", "CSR", 0x04),
    ("rng", "CR", 0x00), ("rng", "SR", 0x04), ("rng", "DR", 0x08),
    ("eth", "MACCR", 0x0000), ("eth", "MACMIIAR", 0x0010), ("eth", "MACA0HR", 0x0040),
    ("eth", "DMABMR", 0x1000), ("eth", "DMAOMR", 0x1018),
]

# (block, register, field, lsb, width)
FIELDS = [
    ("usart_f7", "ISR", "TXE", 7, 1), ("usart_f7", "ISR", "RXNE", 5, 1),
    ("usart_f7", "ISR", "ORE", 3, 1), ("usart_f7", "CR1", "UE", 0, 1),
    ("usart_f7", "CR1", "TE", 3, 1), ("usart_f7", "ICR", "ORECF", 3, 1),
    ("usart_f4", "SR", "TXE", 7, 1), ("usart_f4", "SR", "RXNE", 5, 1),
    ("usart_f4", "CR1", "UE", 13, 1), ("usart_f4", "BRR", "DIV_MANTISSA", 4, 12),
    ("rcc", "CR", "HSERDY", 17, 1), ("rcc", "CR", "HSEBYP", 18, 1),
    ("rcc", "CR", "PLLON", 24, 1), ("rcc", "CR", "PLLRDY", 25, 1),
    ("rcc", "PLLCFGR", "PLLM", 0, 6), ("rcc", "PLLCFGR", "PLLN", 6, 9),
    ("rcc", "PLLCFGR", "PLLP", 16, 2), ("rcc", "PLLCFGR", "PLLSRC", 22, 1),
    ("rcc", "PLLCFGR", "PLLQ", 24, 4), ("rcc", "CFGR", "SWS", 2, 2),
    ("rcc", "CFGR", "PPRE1", 10, 3), ("rcc", "CFGR", "PPRE2", 13, 3),
    ("rcc", "APB1ENR", "USART3EN", 18, 1), ("rcc", "APB1ENR", "PWREN", 28, 1),
    ("rcc", "APB2ENR", "USART1EN", 4, 1), ("rcc", "AHB1ENR", "GPIOKEN", 10, 1),
    ("rcc", "AHB1ENR", "ETHMACEN", 25, 1), ("rcc", "AHB2ENR", "RNGEN", 6, 1),
    ("gpio", "BSRR", "BR0", 16, 1), ("gpio", "AFRH", "AFRH15", 28, 4),
    ("gpio", "MODER", "MODER15", 30, 2),
    ("flash_f4", "ACR", "LATENCY", 0, 4), ("flash_f4", "ACR", "DCEN", 10, 1),
    ("flash_f7", "ACR", "ARTEN", 9, 1),
    ("pwr", "CR", "ODEN", 16, 1), ("pwr", "CR", "ODSWEN", 17, 1),
    ("pwr", "CSR", "ODRDY", 16, 1), ("pwr", "CSR", "ODSWRDY", 17, 1),
    ("rng", "CR", "RNGEN", 2, 1), ("rng", "SR", "DRDY", 0, 1),
]


@pytest.fixture(scope="module")
def headers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated register headers of the F4 and F7 chips, as the build writes them."""
    out = tmp_path_factory.mktemp("regs")
    for board in ("nucleo-f767zi", "netduinoplus2"):
        t = Target.load(board, "hello")
        for path, block in t.blocks.items():
            (out / f"{block.name}.h").write_text(
                regs_h.generate(block, f"hal/{path}/regs.py"))
    return out


def test_register_offsets_and_fields_compile_to_the_manual(headers: Path, tmp_path: Path) -> None:
    """The C compiler checks the generated structs and macros, not the Python."""
    blocks = sorted({b for b, *_ in OFFSETS + FIELDS})
    lines = ["#include <stddef.h>", *[f'#include "{b}.h"' for b in blocks]]
    for block, reg, off in OFFSETS:
        lines.append(f"_Static_assert(offsetof({block}_regs_t, {reg}) == {off:#x}, "
                     f'"{block} {reg}");')
        lines.append(f'_Static_assert({block.upper()}_{reg}_OFFSET == {off:#x}u, "{reg}");')
    for block, reg, field, lsb, width in FIELDS:
        mask = ((1 << width) - 1) << lsb
        p = f"{block.upper()}_{reg}_{field}"
        lines.append(f'_Static_assert({p}_LSB == {lsb}u && {p}_BITS == {mask:#x}u, "{p}");')
    lines.append("int main(void) { return 0; }")
    src = tmp_path / "offsets.c"
    src.write_text("\n".join(lines) + "\n")
    proc = subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                           f"-I{headers}", str(src)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_each_family_gets_its_own_usart_and_flash_blocks() -> None:
    f7 = Target.load("stm32f7", "hello").chip
    f4 = Target.load("stm32f4", "hello").chip
    assert f7.peripheral("USART3").block == "stm32/usart_f7"
    assert f4.peripheral("USART1").block == "stm32/usart_f4"
    assert f7.peripheral("FLASH").block == "stm32/flash_f7"
    assert f4.peripheral("FLASH").block == "stm32/flash_f4"
    # The F405 has no Ethernet MAC; the Nucleo chips do, and every chip has the RNG.
    assert f4.peripheral("ETH") is None and f7.peripheral("ETH").base == 0x40028000
    assert all(Target.load(b, "hello").chip.peripheral("RNG").base == 0x50060800
               for b in BOARDS)


# --- clock solver ---------------------------------------------------------------

EXPECTED_CLOCKS = {
    # board: (sysclk, M, N, P, wait states, APB1 div, APB2 div, over-drive)
    "nucleo-f767zi": (216 * MHZ, 4, 216, 2, 7, 4, 2, True),
    "nucleo-f429zi": (180 * MHZ, 4, 180, 2, 5, 4, 2, True),
    "netduinoplus2": (168 * MHZ, 25, 336, 2, 5, 4, 2, False),
}


@pytest.mark.parametrize("name", BOARDS)
def test_clock_solution(name: str) -> None:
    t = Target.load(name, "hello")
    c = t.clock
    assert c is not None
    sysclk, m, n, p, ws, apb1, apb2, od = EXPECTED_CLOCKS[name]
    assert (c.sysclk_hz, c.pll_m, c.pll_n, c.pll_p) == (sysclk, m, n, p)
    assert (c.flash_wait_states, c.apb1_div, c.apb2_div, c.overdrive) == (ws, apb1, apb2, od)
    # Independently of the solver: the PLL's own limits (RM0090 6.3.2, RM0410 5.3.2).
    vco_in = c.source_hz / c.pll_m
    assert 1 * MHZ <= vco_in <= 2 * MHZ
    assert 100 * MHZ <= vco_in * c.pll_n <= 432 * MHZ
    assert vco_in * c.pll_n / c.pll_p == sysclk
    assert vco_in * c.pll_n / c.pll_q <= 48 * MHZ and 2 <= c.pll_q <= 15
    f = t.chip.facts
    assert c.pclk1_hz <= f["apb1_max"] and c.pclk2_hz <= f["apb2_max"]
    # The HSI fallback in rcc.c keeps SYSCLK: HSI / M' must equal the VCO input.
    assert f["hsi_hz"] % vco_in == 0 and 2 <= f["hsi_hz"] // vco_in <= 63


def test_clock_source_kinds() -> None:
    assert Target.load("stm32f7", "hello").clock.source == "hse-bypass"
    assert Target.load("nucleo-f429zi", "hello").clock.source == "hse-bypass"
    assert Target.load("stm32f4", "hello").clock.source == "hse"


def test_unreachable_clock_is_refused() -> None:
    chip = Target.load("stm32f4", "hello").chip
    with pytest.raises(clocks.ClockError, match="maximum"):
        clocks.solve(chip, find_board("stm32f4")[0].clock_source, 180 * MHZ)


# --- pyocd ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nucleo-f767zi", "nucleo-f429zi"])
def test_memories_agree_with_pyocd(name: str) -> None:
    from pyocd.core.memory_map import MemoryType
    from pyocd.target import TARGET

    t = Target.load(name, "hello")
    target = TARGET[t.board.flash.target]
    regions = list(target.MEMORY_MAP)
    flash = [r for r in regions if r.type == MemoryType.FLASH]
    ram = [r for r in regions if r.type == MemoryType.RAM]

    def span(rs: list) -> tuple[int, int]:
        rs = sorted(rs, key=lambda r: r.start)
        for a, b in zip(rs, rs[1:], strict=False):
            assert a.end + 1 == b.start, "pyocd's regions are contiguous"
        return rs[0].start, rs[-1].end + 1 - rs[0].start

    ours = {m.kind: (m.origin, m.size) for m in t.chip.memories}
    assert ours["flash"] == span(flash)
    assert ours["ram"] == span(ram)


# --- the clock driver on the host, against a model of the RCC -------------------

RCC_MODEL = ROOT / "build" / "host" / "stm32_rcc_model"


def _rcc_harness(tmp: Path, headers: Path, board: str) -> Path:
    """Compile rcc.c + the family's flash driver on the host with a board_config.h
    whose RCC, PWR and FLASH are structs in memory, moved by a model thread."""
    t = Target.load(board, "hello")
    cfg = (build.build_dir(t) / "gen" / "board_config.h").read_text()
    keep = [ln for ln in cfg.splitlines()
            if ln.startswith(("#define BOARD_CLOCK_", "#define CHIP_FACT_",
                              "#define BOARD_CORE_CLOCK_HZ"))]
    flash = t.chip.peripheral("FLASH").block.split("/")[1]
    (tmp / "board_config.h").write_text("\n".join([
        "#ifndef BOARD_CONFIG_H", "#define BOARD_CONFIG_H",
        '#include "rcc.h"', '#include "pwr.h"', f'#include "{flash}.h"',
        "extern rcc_regs_t model_rcc; extern pwr_regs_t model_pwr;",
        f"extern {flash}_regs_t model_flash;",
        "#define RCC (&model_rcc)", "#define PWR (&model_pwr)", "#define FLASH (&model_flash)",
        *keep, "#endif", ""]))
    (tmp / "model.c").write_text(textwrap.dedent(f"""\
        /* A model of the RCC/PWR/FLASH ready bits: a thread sets each ready bit
         * when its enable bit is set, unless the test says that part is broken. */
        #include <pthread.h>
        #include <stdarg.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "board_config.h"
        #include "stm32_clock.h"
        rcc_regs_t model_rcc; pwr_regs_t model_pwr; {flash}_regs_t model_flash;
        void hal_clock_tree_init(void);
        static volatile int stop, hse_ok, pll_ok;
        int apg_printf(const char *fmt, ...)
        {{
            va_list ap; va_start(ap, fmt); int n = vprintf(fmt, ap); va_end(ap); return n;
        }}
        #define OR(r, b) __atomic_fetch_or(&(r), (b), __ATOMIC_SEQ_CST)
        #define AND(r, b) __atomic_fetch_and(&(r), (b), __ATOMIC_SEQ_CST)
        static volatile int running;
        static volatile unsigned ws_at_switch = 99, od_at_switch = 99;
        /* Ready bits are set and cleared atomically, so the driver's own
         * read-modify-writes of the enable bits are never lost. */
        static void *model(void *arg)
        {{
            (void)arg;
            running = 1;
            while (!stop) {{
                uint32_t cr = model_rcc.CR;
                if (hse_ok && (cr & RCC_CR_HSEON_BITS)) OR(model_rcc.CR, RCC_CR_HSERDY_BITS);
                if (!(cr & RCC_CR_HSEON_BITS)) AND(model_rcc.CR, ~RCC_CR_HSERDY_BITS);
                if (pll_ok && (cr & RCC_CR_PLLON_BITS)) OR(model_rcc.CR, RCC_CR_PLLRDY_BITS);
                if (!(cr & RCC_CR_PLLON_BITS)) AND(model_rcc.CR, ~RCC_CR_PLLRDY_BITS);
                cr = model_rcc.CR;
                uint32_t sw = model_rcc.CFGR & RCC_CFGR_SW_BITS;
                uint32_t sws = (model_rcc.CFGR & RCC_CFGR_SWS_BITS) >> RCC_CFGR_SWS_LSB;
                /* The switch completes only to a clock that runs. */
                if (sw != sws && (sw == 0 || (sw == 1 && (cr & RCC_CR_HSERDY_BITS)) ||
                                  (sw == 2 && (cr & RCC_CR_PLLRDY_BITS)))) {{
                    if (sw == 2) {{ /* what the flash and regulator had when it rose */
                        ws_at_switch = model_flash.ACR & 0xFu;
                        od_at_switch = (model_pwr.CSR & PWR_CSR_ODSWRDY_BITS) != 0;
                    }}
                    AND(model_rcc.CFGR, ~RCC_CFGR_SWS_BITS);
                    OR(model_rcc.CFGR, sw << RCC_CFGR_SWS_LSB);
                }}
                if (model_pwr.CR & PWR_CR_ODEN_BITS) OR(model_pwr.CSR, PWR_CSR_ODRDY_BITS);
                if (model_pwr.CR & PWR_CR_ODSWEN_BITS) OR(model_pwr.CSR, PWR_CSR_ODSWRDY_BITS);
            }}
            return NULL;
        }}
        int main(int argc, char **argv)
        {{
            const char *mode = argc > 1 ? argv[1] : "ok";
            hse_ok = strcmp(mode, "no-hse") != 0 && strcmp(mode, "nothing") != 0;
            pll_ok = strcmp(mode, "no-pll") != 0 && strcmp(mode, "nothing") != 0;
            if (strcmp(mode, "no-rcc") != 0)
                model_rcc.CR = RCC_CR_HSION_BITS | RCC_CR_HSIRDY_BITS; /* reset state */
            pthread_t th;
            pthread_create(&th, NULL, model, NULL);
            while (!running) {{
            }}
            hal_clock_tree_init();
            stop = 1;
            pthread_join(th, NULL);
            printf("outcome %d sysclk %u apb1 %u apb2 %u ahb %u ws %u od %u pllcfgr %08x\\n",
                   (int)stm32_clock_outcome(), (unsigned)stm32_clock_sysclk_hz(),
                   (unsigned)stm32_clock_bus_hz(0x40004800u),
                   (unsigned)stm32_clock_bus_hz(0x40011000u),
                   (unsigned)stm32_clock_bus_hz(0x40020000u),
                   (unsigned)(model_flash.ACR & 0xFu),
                   (unsigned)((model_pwr.CR & (PWR_CR_ODEN_BITS | PWR_CR_ODSWEN_BITS)) ==
                              (PWR_CR_ODEN_BITS | PWR_CR_ODSWEN_BITS)),
                   (unsigned)model_rcc.PLLCFGR);
            printf("at switch: ws %u od %u\\n", ws_at_switch, od_at_switch);
            stm32_clock_report();
            return 0;
        }}
        """))
    return build_program(
        f"stm32_rcc_{board}", [tmp / "model.c", "hal/stm32/rcc/rcc.c",
                               f"hal/stm32/{flash}/{flash}.c"],
        include=[tmp, headers, "hal/stm32"], ldflags=["-lpthread"],
        # Polls long enough that a descheduled model thread is not a dead crystal.
        defines=["STM32_READY_POLLS=(1u<<26)"])


@pytest.mark.parametrize("name", BOARDS)
def test_clock_driver_falls_back_and_reports_the_clock_in_use(
        name: str, headers: Path, tmp_path: Path) -> None:
    scons(f"board={name}", "app=hello")  # writes gen/board_config.h
    prog = _rcc_harness(tmp_path, headers, name)
    sysclk, m, n, p, ws, apb1, apb2, od = EXPECTED_CLOCKS[name]
    src_hz = Target.load(name, "hello").clock.source_hz

    at_switch: list[str] = []

    def run(mode: str) -> tuple[list[int], str]:
        out = subprocess.run([str(prog), mode], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        first, _, rest = out.stdout.partition("\n")
        switch, _, rest = rest.partition("\n")
        at_switch.append(switch)
        nums = re.findall(r"(?:outcome|sysclk|apb1|apb2|ahb|ws|od) (\d+)", first)
        cfg = int(re.search(r"pllcfgr ([0-9a-f]+)", first).group(1), 16)
        return [int(x) for x in nums] + [cfg], rest

    vals, note = run("ok")
    assert vals[:7] == [0, sysclk, sysclk // apb1, sysclk // apb2, sysclk, ws, int(od)]
    assert vals[7] & 0x3F == m and (vals[7] >> 6) & 0x1FF == n and vals[7] >> 22 & 1
    assert (vals[7] >> 16) & 3 == p // 2 - 1
    # Wait states and over-drive were in place before SYSCLK moved to the PLL.
    assert at_switch[-1] == f"at switch: ws {ws} od {int(od)}"
    assert note == ""
    # No crystal / no MCO: the PLL runs from HSI with M scaled, same clocks.
    vals, note = run("no-hse")
    assert vals[:6] == [1, sysclk, sysclk // apb1, sysclk // apb2, sysclk, ws]
    assert vals[7] & 0x3F == m * 16 * MHZ // src_hz and not vals[7] >> 22 & 1
    assert "did not start; PLL fed from HSI" in note
    # A PLL that never locks: back on HSI, and the buses are what CFGR says.
    for mode in ("no-pll", "nothing"):
        vals, note = run(mode)
        assert vals[:5] == [2, 16 * MHZ, 16 * MHZ // apb1, 16 * MHZ // apb2, 16 * MHZ]
        assert f"SYSCLK is HSI, 16000000 Hz, not {sysclk} Hz" in note
    # No RCC at all (QEMU): nothing changed, the nominal clock is reported.
    vals, note = run("no-rcc")
    assert vals[:5] == [3, sysclk, sysclk // apb1, sysclk // apb2, sysclk]
    assert vals[5:] == [0, 0, 0]  # nothing was written
    assert "RCC does not respond" in note


# --- QEMU -----------------------------------------------------------------------

QEMU_NOTE_RCC = ("clock: RCC does not respond (reads 0: an emulator without one); clock left "
                 "as it is, taken as the nominal 168000000 Hz")
QEMU_NOTE_GPIO = ("gpio: port 0x40020000 does not respond (MODER reads 0x00000000): pin 10 "
                  "will read 0")


def run_qemu(board: str, app: str) -> tuple[int, list[str]]:
    proc = scons(f"board={board}", f"app={app}", "run", "timeout=30", timeout=90)
    lines = [ln.rstrip("\r") for ln in proc.stdout.splitlines()]
    # The build's own lines (CC, LINK, size) come first; the console follows.
    start = next(i for i, ln in enumerate(lines) if ln.startswith("clock: "))
    return proc.returncode, lines[start:]


@pytest.mark.qemu
def test_netduinoplus2_hello_in_qemu() -> None:
    status, console = run_qemu("stm32f4", "hello")
    assert status == 0
    assert console[0] == QEMU_NOTE_RCC
    assert console[1] == QEMU_NOTE_GPIO  # hello brings the LED up too
    assert console[2:5] == ["hello from netduinoplus2", "chip: stm32f405rg (cortex-m4)",
                            "core clock: 168000000 Hz"]
    up = re.fullmatch(r"uptime: (\d+) us", console[5])
    assert up and 0 < int(up.group(1)) < 1_000_000
    assert len(console) == 6


@pytest.mark.qemu
def test_netduinoplus2_blinky_in_qemu_reports_the_missing_gpio() -> None:
    """QEMU 7.2's netduinoplus2 has no GPIO model: every read of PA10 is 0. blinky
    says so and fails, as it would on a board whose LED pin reads back wrong."""
    status, console = run_qemu("netduinoplus2", "blinky")
    assert console[:3] == [QEMU_NOTE_RCC, QEMU_NOTE_GPIO, "blinky: netduinoplus2 LED LED"]
    toggles = [f"toggle {i}: set {'on' if i % 2 else 'off'}, read off" for i in range(1, 11)]
    assert console[3:13] == toggles
    assert console[13] == "blinky: done, 5 mismatches"
    assert status == 1


PROBE_MAIN = r"""
#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"

/* ARM semihosting: SYS_ELAPSED (0x30) and SYS_TICKFREQ (0x31) give QEMU's host time. */
static uint32_t semihost(uint32_t op, void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void show(const char *name, uint32_t v)
{
    apg_printf("%s=%08lx\r\n", name, (unsigned long)v);
}

int app_main(void)
{
    show("RCC.CR", RCC->CR);
    RCC->AHB1ENR = 0x1FFu;
    show("RCC.AHB1ENR", RCC->AHB1ENR);
    FLASH->ACR = 5u;
    show("FLASH.ACR", FLASH->ACR);
    PWR->CR = PWR_CR_ODEN_BITS;
    show("PWR.CR", PWR->CR);
    GPIOA->MODER = 0x55555555u;
    GPIOA->ODR = 0xFFFFu;
    show("GPIOA.MODER", GPIOA->MODER);
    show("GPIOA.IDR", GPIOA->IDR);
    show("USART1.BRR", USART1->BRR);
    show("USART1.CR1", USART1->CR1);
    uint32_t t0[2], t1[2];
    uint32_t freq = semihost(0x31, 0);
    semihost(0x30, t0);
    uint64_t u0 = hal_clock_us();
    hal_delay_us(500000u);
    uint64_t u1 = hal_clock_us();
    semihost(0x30, t1);
    uint64_t host = (((uint64_t)t1[1] << 32) | t1[0]) - (((uint64_t)t0[1] << 32) | t0[0]);
    apg_printf("systick_us=%lu host_us=%lu\r\n", (unsigned long)(u1 - u0),
               (unsigned long)(host / (freq / 1000000u)));
    return 0;
}
"""


@pytest.mark.qemu
def test_what_qemu_netduinoplus2_provides(tmp_path: Path) -> None:
    """Measure QEMU 7.2's STM32F405: if a later QEMU models RCC or GPIO, this
    fails and the drivers' fall-backs and the board's notes must be revisited."""
    app = tmp_path / "stm32probe"
    app.mkdir()
    (app / "app.py").write_text(
        'from sdk.model import App\n\nAPP = App(name="stm32probe", '
        'description="reads STM32 registers under QEMU")\n')
    (app / "main.c").write_text(PROBE_MAIN)
    proc = scons("board=netduinoplus2", f"app={app}", "run", "timeout=30", timeout=90)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    seen = dict(re.findall(r"^([\w.]+)=([0-9a-f]+)\r?$", proc.stdout, re.M))
    # No RCC, FLASH, PWR or GPIO model: reads 0, writes are dropped.
    for reg in ("RCC.CR", "RCC.AHB1ENR", "FLASH.ACR", "PWR.CR", "GPIOA.MODER", "GPIOA.IDR"):
        assert int(seen[reg], 16) == 0, reg
    # The USART is modelled: it keeps BRR (84 MHz APB2 / 115200 = 729.2 -> 729) and
    # CR1 (UE | TE | RE) as the driver wrote them.
    assert int(seen["USART1.BRR"], 16) == 729
    assert int(seen["USART1.CR1"], 16) == 0x200C
    # SysTick counts at the nominal 168 MHz: half a second of SysTick time is about
    # half a second of host time (16 MHz would make it 5 s; allow for a busy host).
    m = re.search(r"systick_us=(\d+) host_us=(\d+)", proc.stdout)
    assert m
    systick_us, host_us = int(m.group(1)), int(m.group(2))
    assert systick_us >= 500_000
    assert 0.8 < host_us / systick_us < 4.0, (systick_us, host_us)
