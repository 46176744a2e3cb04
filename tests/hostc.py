"""Build the project's C code for the host, for tests that drive the real C.

Host tests compile the same sources the firmware uses with the host's gcc or
clang, then either run the program or load it as a shared library (cffi ABI mode,
ctypes). Outputs land in build/host/<name>-<hash>/ and are reused while the
sources, headers and flags are unchanged, so a second test run compiles nothing.

    from tests.hostc import build_program, build_library
    lib = build_library("sha2", ["netstack/crypto/sha256.c"], include=["netstack/crypto"])
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST_BUILD = ROOT / "build" / "host"

# The firmware's warning policy holds on the host too.
WARNINGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wno-unused-parameter"]
COMMON_INCLUDE = ["hal/include"]

SANITIZERS = {
    "": [],
    "asan": [
        "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
    ],
    "fuzz": ["-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all"],
}


class HostBuildError(RuntimeError):
    """The C code did not compile; the message carries the compiler's output."""


def _digest(paths: Sequence[Path], flags: Sequence[str]) -> str:
    h = hashlib.sha256("\0".join(flags).encode())
    for p in sorted(set(paths)):
        h.update(str(p).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _headers_under(dirs: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for d in dirs:
        if d.is_dir():
            found.extend(d.rglob("*.h"))
    return found


def _build(
    name: str,
    sources: Sequence[str | Path],
    *,
    include: Sequence[str | Path],
    defines: Sequence[str],
    cflags: Sequence[str],
    ldflags: Sequence[str],
    sanitize: str,
    shared: bool,
    compiler: str | None,
) -> Path:
    cc = compiler or ("clang" if sanitize == "fuzz" else "gcc")
    if shutil.which(cc) is None:
        raise HostBuildError(f"{cc} is not installed (run ./apogee setup --test)")
    srcs = [(ROOT / s).resolve() for s in sources]
    incs = [(ROOT / i).resolve() for i in [*COMMON_INCLUDE, *include]]
    flags = [
        cc,
        *WARNINGS,
        "-O1",
        "-g",
        *SANITIZERS[sanitize],
        *(["-fPIC", "-shared"] if shared else []),
        *[f"-I{i}" for i in incs],
        *[f"-D{d}" for d in defines],
        *cflags,
    ]
    key = _digest([*srcs, *_headers_under(incs)], [*flags, *ldflags])
    out_dir = HOST_BUILD / f"{name}-{key}"
    out = out_dir / (f"lib{name}.so" if shared else name)
    if out.exists():
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    # Tests may run in parallel processes: one builds, the others wait for it.
    with open(out_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if out.exists():
            return out
        tmp = out.with_suffix(out.suffix + f".tmp{os.getpid()}")
        cmd = [*flags, "-o", str(tmp), *map(str, srcs), *ldflags]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise HostBuildError(f"host build of {name} failed:\n{' '.join(cmd)}\n{proc.stderr}")
        tmp.rename(out)
    return out


def build_program(
    name: str,
    sources: Sequence[str | Path],
    *,
    include: Sequence[str | Path] = (),
    defines: Sequence[str] = (),
    cflags: Sequence[str] = (),
    ldflags: Sequence[str] = (),
    sanitize: str = "",
    compiler: str | None = None,
) -> Path:
    """Compile and link a host executable; return its path. sanitize: '', 'asan', 'fuzz'."""
    return _build(
        name, sources, include=include, defines=defines, cflags=cflags, ldflags=ldflags,
        sanitize=sanitize, shared=False, compiler=compiler,
    )


def build_library(
    name: str,
    sources: Sequence[str | Path],
    *,
    include: Sequence[str | Path] = (),
    defines: Sequence[str] = (),
    cflags: Sequence[str] = (),
    ldflags: Sequence[str] = (),
    compiler: str | None = None,
) -> Path:
    """Compile a host shared library (for cffi.dlopen or ctypes); return its path."""
    return _build(
        name, sources, include=include, defines=defines, cflags=cflags, ldflags=ldflags,
        sanitize="", shared=True, compiler=compiler,
    )
