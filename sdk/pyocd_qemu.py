"""pyocd over QEMU: a debug probe that is QEMU's gdbstub.

An emulated Cortex-M board is flashed the way a real one is: through pyocd's
Python API (ConnectHelper, FileProgrammer, reset), except that the "probe" is a
GDB remote-protocol connection to QEMU started with -S and no -kernel. The same
flash code path as on hardware therefore runs in CI, and the image that boots is
the one pyocd wrote.

The probe's board carries a target that speaks the GDB protocol directly (memory
m/M, registers p/P, halt, continue, `monitor system_reset`); its memory map is
the chip description's memories, all RAM (QEMU's mps2 code memory is RAM).
Unique ids are `qemu:<host>:<port>`.
"""

from __future__ import annotations

import socket
from typing import Any

from pyocd.board.board import Board as PyocdBoard
from pyocd.core import exceptions
from pyocd.core.memory_map import MemoryMap, RamRegion
from pyocd.core.target import Target
from pyocd.core.target import TargetGraphNode as PyocdTargetNode
from pyocd.probe import aggregator
from pyocd.probe.debug_probe import DebugProbe
from pyocd.target import TARGET

from sdk.model import Chip

# GDB's register numbers for ARM M-profile in QEMU's target description.
REG_SP, REG_LR, REG_PC, REG_XPSR = 13, 14, 15, 25
MAX_PACKET = 2048


class GdbRemote:
    """A minimal GDB remote serial protocol client (acks on)."""

    def __init__(self, host: str, port: int, timeout: float = 10) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def close(self) -> None:
        self.sock.close()

    def _read_byte(self) -> int:
        if not self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise exceptions.ProbeDisconnected("QEMU closed the gdbstub connection")
            self.buf = chunk
        b, self.buf = self.buf[0], self.buf[1:]
        return b

    def _read_packet(self) -> bytes:
        while self._read_byte() != ord("$"):
            pass
        body = bytearray()
        while (b := self._read_byte()) != ord("#"):
            body.append(b)
        self._read_byte()
        self._read_byte()  # checksum: TCP already guards the bytes
        self.sock.sendall(b"+")
        return bytes(body)

    def command(self, data: str) -> str:
        payload = data.encode()
        frame = b"$" + payload + b"#" + f"{sum(payload) & 0xFF:02x}".encode()
        self.sock.sendall(frame)
        while (b := self._read_byte()) != ord("+"):
            if b == ord("-"):
                self.sock.sendall(frame)
        reply = self._read_packet().decode()
        if reply.startswith("E") and len(reply) == 3:
            raise exceptions.TransferError(f"gdbstub refused {data[:20]!r}: {reply}")
        return reply

    def interrupt(self) -> None:
        self.sock.sendall(b"\x03")
        self._read_packet()  # the stop reply


class QemuTarget(PyocdTargetNode):
    """A pyocd target that is QEMU's CPU, reached through its gdbstub."""

    def __init__(self, session: Any, memory_map: MemoryMap) -> None:
        super().__init__(session, memory_map)
        self._state = Target.State.HALTED
        self.node_name = "qemu"

    @property
    def gdb(self) -> GdbRemote:
        probe = self.session.probe
        assert isinstance(probe, QemuGdbProbe) and probe.gdb is not None
        return probe.gdb

    # -- life cycle ---------------------------------------------------------------
    def init(self) -> None:
        # QEMU answers p/P only after the target description has been read.
        self.gdb.command("qSupported:multiprocess+")
        self.gdb.command("qXfer:features:read:target.xml:0,ffb")
        self.gdb.command("?")

    def disconnect(self, resume: bool = True) -> None:
        pass

    trace_enabled = False  # no SWO/ETM behind a gdbstub

    @property
    def selected_core(self) -> QemuTarget:
        return self  # one core, and it is the target itself

    def trace_start(self) -> None:
        pass

    def trace_stop(self) -> None:
        pass

    @property
    def supported_security_states(self) -> Any:
        return (Target.SecurityState.NONSECURE,)

    @property
    def supported_reset_types(self) -> Any:
        return {Target.ResetType.SW}

    # -- run control ----------------------------------------------------------------
    def halt(self) -> None:
        if self._state == Target.State.RUNNING:
            self.gdb.interrupt()
        self._state = Target.State.HALTED

    def resume(self) -> None:
        """Let the CPU run. QEMU's stop reply comes only when it halts again, and
        no one waits for that: the firmware runs on until it exits QEMU."""
        self.gdb.sock.sendall(b"$c#63")
        self._state = Target.State.RUNNING

    def reset(self, reset_type: Any = None) -> None:
        """System reset: the core reloads SP and PC from the vector table that was
        just written, then runs."""
        self.reset_and_halt(reset_type)
        self.resume()

    def reset_and_halt(self, reset_type: Any = None) -> None:
        self.halt()
        self.gdb.command("qRcmd," + b"system_reset".hex())
        self._state = Target.State.HALTED

    def get_state(self) -> Any:
        return self._state

    # -- memory ------------------------------------------------------------------
    def write_memory_block8(self, addr: int, data: Any) -> None:
        data = bytes(data)
        step = MAX_PACKET // 2 - 32
        for off in range(0, len(data), step):
            chunk = data[off:off + step]
            if self.gdb.command(f"M{addr + off:x},{len(chunk):x}:{chunk.hex()}") != "OK":
                raise exceptions.TransferError(f"QEMU did not write {addr + off:#x}")

    def read_memory_block8(self, addr: int, size: int) -> Any:
        out = bytearray()
        step = MAX_PACKET // 2 - 32
        for off in range(0, size, step):
            n = min(step, size - off)
            out += bytes.fromhex(self.gdb.command(f"m{addr + off:x},{n:x}"))
        return list(out)

    def write_memory_block32(self, addr: int, data: Any) -> None:
        self.write_memory_block8(addr, b"".join(int(w).to_bytes(4, "little") for w in data))

    def read_memory_block32(self, addr: int, size: int) -> Any:
        raw = bytes(self.read_memory_block8(addr, size * 4))
        return [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw), 4)]

    def write_memory(self, addr: int, data: int, transfer_size: int = 32) -> None:
        self.write_memory_block8(addr, data.to_bytes(transfer_size // 8, "little"))

    def read_memory(self, addr: int, transfer_size: int = 32, now: bool = True) -> Any:
        value = int.from_bytes(bytes(self.read_memory_block8(addr, transfer_size // 8)), "little")
        return value if now else (lambda: value)

    # -- registers -----------------------------------------------------------------
    def read_core_register_raw(self, reg: Any) -> int:
        return int.from_bytes(bytes.fromhex(self.gdb.command(f"p{int(reg):x}")), "little")

    def write_core_register_raw(self, reg: Any, data: int) -> None:
        self.gdb.command(f"P{int(reg):x}={data.to_bytes(4, 'little').hex()}")

    def read_core_register(self, id: Any) -> Any:  # noqa: A002 - pyocd's name
        return self.read_core_register_raw(id)

    def write_core_register(self, id: Any, data: Any) -> None:  # noqa: A002
        self.write_core_register_raw(id, int(data))


class QemuBoard(PyocdBoard):
    def __init__(self, session: Any, target_type: str) -> None:
        super().__init__(session, target=target_type)


class QemuGdbProbe(DebugProbe):
    """The probe: a TCP connection to QEMU's gdbstub."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.host, self.port = host, port
        self.gdb: GdbRemote | None = None

    @classmethod
    def get_all_connected_probes(cls, unique_id: Any = None, is_explicit: bool = False) -> list:
        return []  # never found by scanning: named explicitly as qemu:<host>:<port>

    @classmethod
    def get_probe_with_id(cls, unique_id: str, is_explicit: bool = False) -> Any:
        host, _, port = unique_id.rpartition(":")
        return cls(host or "127.0.0.1", int(port)) if port.isdigit() else None

    @property
    def description(self) -> str:
        return f"QEMU gdbstub at {self.host}:{self.port}"

    @property
    def vendor_name(self) -> str:
        return "QEMU"

    @property
    def product_name(self) -> str:
        return "gdbstub"

    @property
    def supported_wire_protocols(self) -> Any:
        return [DebugProbe.Protocol.SWD]

    @property
    def unique_id(self) -> str:
        return f"qemu:{self.host}:{self.port}"

    @property
    def wire_protocol(self) -> Any:
        return DebugProbe.Protocol.SWD if self.gdb else None

    @property
    def is_open(self) -> bool:
        return self.gdb is not None

    @property
    def capabilities(self) -> Any:
        return set()

    def create_associated_board(self) -> Any:
        assert self.session is not None
        return QemuBoard(self.session, self.session.options.get("target_override"))

    def open(self) -> None:
        self.gdb = GdbRemote(self.host, self.port)

    def close(self) -> None:
        if self.gdb:
            self.gdb.close()
            self.gdb = None

    def connect(self, protocol: Any = None) -> None:
        pass

    def disconnect(self) -> None:
        pass

    def set_clock(self, frequency: float) -> None:
        pass


def register(chip: Chip) -> str:
    """Make pyocd know the probe type and a target for this chip; return the
    target type name to pass as target_override."""
    aggregator.PROBE_CLASSES["qemu"] = QemuGdbProbe
    name = f"apogee_qemu_{chip.name.replace('-', '_')}"
    regions = [RamRegion(start=m.origin, length=m.size, name=m.name) for m in chip.memories]

    class ChipTarget(QemuTarget):
        VENDOR = "QEMU"
        MEMORY_MAP = MemoryMap(*regions)

        def __init__(self, session: Any) -> None:
            super().__init__(session, self.MEMORY_MAP)

    TARGET[name] = ChipTarget
    return name
