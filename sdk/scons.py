"""The SCons side of the build. SConstruct calls main(globals()); everything else
(loading, checks, generation, source lists) is plain Python in sdk/.

    scons board=B [app=A] [target] [timeout=S] [hostfwd=F] [probe=UID] [verbose=1]
    targets: (default) build   run   flash   size   boards
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sdk import build, heapcheck, size
from sdk.errors import SdkError, rel
from sdk.model import Uf2Flash
from sdk.target import Target, board_aliases

_exit_status = 0


def _fail(msg: str, status: int = 2) -> None:
    print(f"apogee: error: {msg}", file=sys.stderr)
    sys.stdout.flush()
    os._exit(status)


def _set_exit_status(status: int) -> None:
    """Make scons exit with the firmware's status once SCons itself is done."""
    global _exit_status
    if status and not _exit_status:
        _exit_status = status
        atexit.register(lambda: os._exit(_exit_status))


def list_boards() -> str:
    from sdk import loader
    from sdk.target import load_board_file

    lines = []
    for path in loader.board_files().values():
        b = load_board_file(path)
        alias = f" (alias {', '.join(b.aliases)})" if b.aliases else ""
        lines.append(f"{b.name:<16}{b.description}{alias}")
    return "\n".join(lines)


# Build actions are module-level functions that take their parameters from the
# environment: SCons signs an action by its code and closure, and a closure over
# per-run objects would make every build look changed.
def _check_image(target: Any, source: Any, env: Any) -> int:
    elf = Path(str(target[0]))
    try:
        if env["APOGEE_HOST"]:
            heapcheck.check_objects([Path(str(o)) for o in source], env["APOGEE_NM"])
        else:
            heapcheck.check_cross(elf, Path(env["APOGEE_MAP"]), env["APOGEE_NM"])
    except SdkError as exc:
        elf.unlink(missing_ok=True)
        print(f"apogee: error: {exc}", file=sys.stderr)
        return 1
    print(size.one_line(rel(elf), size.report(elf)))
    return 0


def _objcopy(target: Any, source: Any, env: Any) -> int:
    fmt = {".bin": "binary", ".hex": "ihex"}[Path(str(target[0])).suffix]
    return subprocess.call([env["OBJCOPY"], "-O", fmt, str(source[0]), str(target[0])])


def _uf2(target: Any, source: Any, env: Any) -> int:
    from sdk import uf2
    from sdk.target import Target

    t = Target.load(env["APOGEE_BOARD"], env["APOGEE_APP"])
    try:
        uf2.write(Path(str(source[0])).with_suffix(".elf"), t.board, t.chip)
    except SdkError as exc:
        print(f"apogee: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _expand(board: str, app: str) -> list[tuple[str, str]]:
    """board=all and app=all stand for every board and every example app."""
    from sdk import loader

    boards = sorted(loader.board_files()) if board == "all" else [board]
    apps = sorted(loader.app_files()) if app == "all" else [app]
    return [(b, a) for b in boards for a in apps if _app_suits(b, a, board, app)]


def _app_suits(board: str, app: str, board_arg: str, app_arg: str) -> bool:
    """With 'all', leave out the pairs that could never build (an app needing a
    network on a board without one); a pair named explicitly is always tried, so
    its error is shown."""
    if board_arg != "all" and app_arg != "all":
        return True
    from sdk.target import find_app, find_board

    b, _ = find_board(board)
    a, _ = find_app(app)
    if "network" in a.needs and b.network is None:
        return False
    try:
        build.check_network_driver(Target.load(board, app))
    except SdkError:
        return False
    return True


def _declare(g: dict[str, Any], t: Target, verbose: bool) -> tuple[list[Any], Path]:
    """Generate the target's files and declare its objects, image and conversions."""
    tc = build.tools(t)
    tc.check()
    gen = build.write_generated(t)
    out = build.build_dir(t)

    env = g["Environment"](
        tools=["gcc", "gnulink", "as"],
        ENV={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        CC=tc.tool("gcc"), AS=tc.tool("gcc"), LINK=tc.tool("gcc"),
        CCFLAGS=[*build.toolchain.COMMON_CFLAGS, *tc.cflags],
        ASPPFLAGS=["$CCFLAGS", "$_CPPINCFLAGS"],
        CPPPATH=[str(d) for d in build.include_dirs(t)],
        CPPDEFINES=[],
        LINKFLAGS=[*tc.ldflags, "-Wl,--gc-sections"],
    )
    env.Append(CCFLAGS=["-include", str(gen / "apogee_config.h")])
    if not verbose:
        name = t.board.name
        env["CCCOMSTR"] = f"CC      [{name}] $SOURCE"
        env["ASPPCOMSTR"] = f"AS      [{name}] $SOURCE"
        env["LINKCOMSTR"] = f"LINK    [{name}] $TARGET"

    sources = build.hal_sources(t) + build.app_sources(t)
    if tc.family != "host":
        sources += [gen / "board.c", gen / "vectors.c"]
    objects = []
    for src in sources:
        src = Path(src)
        relative = src.relative_to(out) if src.is_relative_to(out) else Path(rel(src))
        obj = out / "obj" / relative.with_suffix(".o")
        o = env.Object(target=str(obj), source=str(src))
        # Every object sees the app's sizes through -include, which SCons's C
        # scanner does not follow: without this, a changed size would leave old
        # objects linked beside new ones, each with its own idea of a struct's size.
        env.Depends(o, str(gen / "apogee_config.h"))
        objects.append(o)

    elf = out / f"{t.app.name}.elf"
    map_file = out / f"{t.app.name}.map"
    linkflags = ["$LINKFLAGS", f"-Wl,-Map={map_file}"]
    if tc.family != "host":
        linkflags += [f"-T{gen / 'link.ld'}"]
    prog = env.Program(target=str(elf), source=objects, LINKFLAGS=linkflags)
    if tc.family != "host":
        env.Depends(prog, str(gen / "link.ld"))

    env["APOGEE_NM"] = tc.tool("nm")
    env["APOGEE_HOST"] = tc.family == "host"
    env["APOGEE_MAP"] = str(map_file)
    env["OBJCOPY"] = tc.tool("objcopy")
    env.AddPostAction(prog, env.Action(_check_image, None))
    artifacts = [prog]
    if tc.family != "host":
        for suffix in (".bin", ".hex"):
            artifacts.append(env.Command(str(elf.with_suffix(suffix)), prog,
                                         env.Action(_objcopy, None)))
    if isinstance(t.board.flash, Uf2Flash):
        # UF2 for the USB boot loader; writing it checks the boot block's CRC.
        env["APOGEE_BOARD"] = str(t.board_file)
        env["APOGEE_APP"] = str(t.app_dir)
        artifacts.append(env.Command(str(elf.with_suffix(".uf2")), artifacts[1],
                                     env.Action(_uf2, None)))
    return artifacts, elf



def main(g: dict[str, Any]) -> None:
    args: dict[str, str] = g["ARGUMENTS"]
    targets: list[str] = list(g["COMMAND_LINE_TARGETS"])
    try:
        _main(g, args, targets)
    except SdkError as exc:
        _fail(str(exc))


def _main(g: dict[str, Any], args: dict[str, str], targets: list[str]) -> None:
    known = {"board", "app", "timeout", "hostfwd", "probe", "verbose"}
    for k in args:
        if k not in known:
            raise SdkError(f"unknown option {k}=; options: {', '.join(sorted(known))}")
    unknown = [t for t in targets if t not in ("run", "flash", "size", "boards")
               and not t.startswith("build")]
    if unknown:
        raise SdkError(f"unknown target {unknown[0]!r}; targets: run, flash, size, boards "
                       "(none: build)")
    if "boards" in targets:
        print(list_boards())
        sys.stdout.flush()
        os._exit(0)
    if "board" not in args:
        raise SdkError("say which board: scons board=<board>; boards: "
                       + ", ".join(sorted(board_aliases())))

    pairs = _expand(args["board"], args.get("app", "hello"))
    if len(pairs) > 1 and {"run", "flash", "size"} & set(targets):
        raise SdkError("run, flash and size take one board and one app, not 'all'")
    loaded = [Target.load(b, a) for b, a in pairs]  # every check before any build
    for t in loaded:
        build.check_network_driver(t)

    g["SetOption"]("implicit_cache", 1)
    if g["GetOption"]("num_jobs") == 1:
        g["SetOption"]("num_jobs", os.cpu_count() or 1)
    # Content signatures, not timestamps: a file rewritten within the same second as
    # the last build (an editor, a script, a test) must still rebuild what uses it.
    g["Decider"]("content")
    verbose = args.get("verbose") == "1"
    for t in loaded:
        artifacts, elf = _declare(g, t, verbose)
        g["Default"](artifacts)
    t = loaded[0]

    if "run" in targets:
        from sdk import emulate

        try:
            timeout = float(args["timeout"]) if "timeout" in args else None
        except ValueError:
            raise SdkError(f"timeout={args['timeout']}: give seconds, e.g. timeout=30") from None
        hostfwd = emulate.parse_hostfwd(args["hostfwd"]) if "hostfwd" in args else ()
        if hostfwd and t.board.network is None:
            raise SdkError(f"hostfwd: board {t.board.name} has no network interface")

        def do_run(target: Any, source: Any, env: Any) -> int:
            sys.stdout.flush()
            try:
                _set_exit_status(emulate.run(t.board, elf, timeout, hostfwd))
            except SdkError as exc:
                print(f"apogee: error: {exc}", file=sys.stderr)
                _set_exit_status(2)
            return 0

        g["AlwaysBuild"](g["Alias"]("run", artifacts, g["Action"](do_run, None)))
    if "size" in targets:
        def do_size(target: Any, source: Any, env: Any) -> int:
            print(size.table(size.report(elf)))
            return 0

        g["AlwaysBuild"](g["Alias"]("size", artifacts, g["Action"](do_size, None)))
    if "flash" in targets:
        def do_flash(target: Any, source: Any, env: Any) -> int:
            from sdk import flash

            sys.stdout.flush()
            try:
                _set_exit_status(flash.flash(t, elf, probe=args.get("probe")))
            except SdkError as exc:
                print(f"apogee: error: {exc}", file=sys.stderr)
                _set_exit_status(2)
            return 0

        g["AlwaysBuild"](g["Alias"]("flash", artifacts, g["Action"](do_flash, None)))
