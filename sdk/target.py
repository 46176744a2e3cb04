"""A build target: one board and one app, loaded, validated and solved.

Everything a generator or the build needs comes from here, and every check
happens here, before a file is written or a compiler runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sdk import loader, validate
from sdk.clocks import ClockError, ClockSolution, solve
from sdk.components import COMPONENTS, Component
from sdk.errors import DescriptionError, SdkError, rel
from sdk.model import App, Board, Chip, Peripheral, RegisterBlock

HAL_RAM_BYTES = 256  # the HAL's own statics: console, clock, LED state


def _names(items: dict[str, Path]) -> str:
    return ", ".join(items)


def board_aliases() -> dict[str, str]:
    """Every name a board answers to (its name and aliases) -> board file stem."""
    names: dict[str, str] = {}
    for stem, path in loader.board_files().items():
        board = load_board_file(path)
        names[board.name] = stem
        for a in board.aliases:
            names[a] = stem
    return names


def load_board_file(path: Path) -> Board:
    board: Board = loader.exec_description(path, "BOARD", Board)
    return board


def find_board(name: str) -> tuple[Board, Path]:
    if name.endswith(".py"):
        path = Path(name).resolve()
        return load_board_file(path), path
    files = loader.board_files()
    if name in files:
        return load_board_file(files[name]), files[name]
    for stem, path in files.items():
        board = load_board_file(path)
        if name in board.aliases:
            return board, files[stem]
    valid = sorted(board_aliases())
    raise SdkError(f"unknown board {name!r}; boards: {', '.join(valid)}")


def find_app(name: str) -> tuple[App, Path]:
    candidate = Path(name)
    if (candidate / "app.py").is_file() and ("/" in name or candidate.is_absolute()):
        path = (candidate / "app.py").resolve()
    else:
        files = loader.app_files()
        if name not in files:
            raise SdkError(f"unknown app {name!r}; apps: {_names(files)}")
        path = files[name]
    app: App = loader.exec_description(path, "APP", App)
    validate.check_app(app, path)
    return app, path


def load_chip(name: str, board_file: Path) -> tuple[Chip, Path]:
    path = loader.chip_file(name)
    if not path.is_file():
        chips = ", ".join(sorted(p.stem for p in loader.CHIPS_DIR.glob("*.py")))
        raise DescriptionError(board_file, "chip", f"a chip of hal/chips/ ({chips})", name)
    chip: Chip = loader.exec_description(path, "CHIP", Chip)
    validate.check_chip(chip, path)
    return chip, path


def load_block(block: str, chip_file: Path, field: str) -> RegisterBlock:
    path = loader.block_file(block)
    if not path.is_file():
        raise DescriptionError(chip_file, field, f"a register block with {rel(path)}", block)
    rb: RegisterBlock = loader.exec_description(path, "BLOCK", RegisterBlock)
    validate.check_block(rb, path)
    return rb


@dataclass
class Target:
    board: Board
    board_file: Path
    chip: Chip
    chip_file: Path
    app: App
    app_file: Path

    @classmethod
    def load(cls, board_name: str, app_name: str) -> Target:
        board, board_file = find_board(board_name)
        chip, chip_file = load_chip(board.chip, board_file)
        validate.check_board(board, chip, board_file)
        app, app_file = find_app(app_name)
        t = cls(board, board_file, chip, chip_file, app, app_file)
        t.blocks  # noqa: B018 - load and validate every register block now
        t.clock  # noqa: B018 - solve now: an unreachable clock is a load error
        t.check_app_fits()
        return t

    @property
    def app_dir(self) -> Path:
        return self.app_file.parent

    @cached_property
    def blocks(self) -> dict[str, RegisterBlock]:
        """Every register block the chip's peripherals use, by block path."""
        out: dict[str, RegisterBlock] = {}
        for i, p in enumerate(self.chip.peripherals):
            if p.block not in out:
                out[p.block] = load_block(p.block, self.chip_file, f"peripherals[{i}].block")
        return out

    @cached_property
    def clock(self) -> ClockSolution | None:
        b = self.board
        if not self.chip.clock_tree.startswith("stm32") or b.clock_source is None:
            return None
        try:
            return solve(self.chip, b.clock_source, b.sysclk_hz, b.usb_48mhz)
        except ClockError as exc:
            raise DescriptionError(self.board_file, "sysclk_hz", "a reachable clock",
                                   f"{b.sysclk_hz} ({exc})") from None

    @property
    def core_clock_hz(self) -> int:
        return self.clock.sysclk_hz if self.clock else self.chip.fixed_clock_hz

    def bus_clock_hz(self, p: Peripheral) -> int:
        if self.clock and p.bus:
            return self.clock.bus_hz(p.bus)
        return self.chip.facts.get(f"{p.bus}_hz", self.core_clock_hz) if p.bus else \
            self.core_clock_hz

    @cached_property
    def components(self) -> list[Component]:
        """The app's components and, after them, those they require."""
        out: list[Component] = []
        for i, name in enumerate(self.app.components):
            if name not in COMPONENTS:
                raise DescriptionError(self.app_file, f"components[{i}]",
                                       f"one of {', '.join(COMPONENTS)}", name)
            out.append(COMPONENTS[name])
        for c in out:  # grows while it is walked: requirements of requirements too
            out += [COMPONENTS[r] for r in c.requires if COMPONENTS[r] not in out]
        return out

    def ram_estimate(self) -> int:
        sizes = self.app.sizes
        own = sum(v for k, v in sizes.items() if k.endswith("_BYTES"))
        return HAL_RAM_BYTES + self.app.stack_bytes + own + sum(
            c.ram_bytes(sizes) for c in self.components)

    @property
    def ram_bytes(self) -> int:
        """The RAM the linker script places data, bss and stack in: the largest."""
        return max((m.size for m in self.chip.memories if m.kind == "ram"), default=0)

    def check_app_fits(self) -> None:
        need = self.ram_estimate()
        if self.board.emulator and self.board.emulator.exit == "process":
            return  # the native board is a Linux process: no RAM limit to check
        have = self.ram_bytes
        if need > have:
            raise DescriptionError(
                self.app_file, "sizes",
                f"static RAM within {self.board.name}'s {have} bytes",
                f"{need} bytes (stack {self.app.stack_bytes})")
        for i, c in enumerate(self.components):
            if c.needs_network and self.board.network is None:
                raise DescriptionError(self.app_file, f"components[{i}]",
                                       f"a board with a network interface ({self.board.name} "
                                       "has none)", c.name)
