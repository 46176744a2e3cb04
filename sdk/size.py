"""Flash and RAM of an image, by section and by component, from its ELF."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

FLASH_SECTIONS = (".text", ".rodata", ".ARM.exidx", ".data")  # .data's image is in flash
RAM_SECTIONS = (".data", ".bss", ".stack")


@dataclass
class SizeReport:
    sections: dict[str, int]
    components: dict[str, tuple[int, int]]  # component -> (flash, ram)

    @property
    def flash(self) -> int:
        return sum(v for k, v in self.sections.items() if k in FLASH_SECTIONS)

    @property
    def ram(self) -> int:
        return sum(v for k, v in self.sections.items() if k in RAM_SECTIONS)


def component_of(source: str) -> str:
    """hal/arm/systick/systick.c -> hal/arm/systick; netstack/tcp/x.c -> netstack/tcp."""
    parts = Path(source).parts
    if not parts or parts[0] in ("..", "/") or source.startswith("/"):
        return "libc+libgcc"
    if parts[0] in ("hal", "netstack") and len(parts) > 2:
        return "/".join(parts[:-1][:3])
    if parts[0] == "build":
        return "generated"
    if parts[0] == "examples":
        return "app"
    return parts[0] if len(parts) > 1 else "other"


def _symbol_files(elf: ELFFile) -> dict[int, str]:
    """Symbol address -> source file, from the DWARF line programs' CU names."""
    out: dict[int, str] = {}
    if not elf.has_dwarf_info():
        return out
    dwarf = elf.get_dwarf_info()
    for cu in dwarf.iter_CUs():
        top = cu.get_top_DIE()
        name = top.attributes.get("DW_AT_name")
        if name is None:
            continue
        src = name.value.decode(errors="replace")
        for die in cu.iter_DIEs():
            low = die.attributes.get("DW_AT_low_pc")
            if low is not None:
                out[low.value & ~1] = src
            loc = die.attributes.get("DW_AT_location")
            # A static's location is DW_OP_addr (0x03) and its address: 4 bytes on
            # 32-bit targets, 8 on AArch64 and the host.
            if die.tag == "DW_TAG_variable" and loc is not None and \
                    isinstance(loc.value, list) and len(loc.value) in (5, 9) and \
                    loc.value[0] == 3:
                out[int.from_bytes(bytes(loc.value[1:]), "little")] = src
    return out


def report(elf_path: Path) -> SizeReport:
    with open(elf_path, "rb") as f:
        elf = ELFFile(f)
        sections: dict[str, int] = {}
        ranges = []
        for s in elf.iter_sections():
            if s.name in FLASH_SECTIONS + RAM_SECTIONS and s["sh_size"]:
                sections[s.name] = s["sh_size"]
                ranges.append((s.name, s["sh_addr"], s["sh_addr"] + s["sh_size"]))
        files = _symbol_files(elf)
        comps: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        symtab = elf.get_section_by_name(".symtab")
        if isinstance(symtab, SymbolTableSection):
            for sym in symtab.iter_symbols():
                if sym["st_info"]["type"] not in ("STT_FUNC", "STT_OBJECT") or not sym["st_size"]:
                    continue
                addr = sym["st_value"] & ~1
                sec = next((n for n, lo, hi in ranges if lo <= addr < hi), None)
                if sec is None:
                    continue
                comp = component_of(files[addr]) if addr in files else "libc"
                if sec in (".text", ".rodata"):
                    comps[comp][0] += sym["st_size"]
                else:
                    comps[comp][1] += sym["st_size"]
                    if sec == ".data":
                        comps[comp][0] += sym["st_size"]
        if ".stack" in sections:
            comps["stack"][1] += sections[".stack"]
    return SizeReport(sections, {k: (v[0], v[1]) for k, v in sorted(comps.items())})


def one_line(name: str, r: SizeReport) -> str:
    return f"{name}: flash {r.flash} B, RAM {r.ram} B (" + ", ".join(
        f"{k} {v}" for k, v in r.sections.items()) + ")"


def table(r: SizeReport) -> str:
    lines = [f"{'section':<16}{'bytes':>10}"]
    lines += [f"{k:<16}{v:>10}" for k, v in r.sections.items()]
    lines += ["", f"{'component':<28}{'flash':>10}{'RAM':>10}"]
    lines += [f"{k:<28}{f:>10}{m:>10}" for k, (f, m) in r.components.items()]
    lines += [f"{'total':<28}{r.flash:>10}{r.ram:>10}"]
    return "\n".join(lines)
