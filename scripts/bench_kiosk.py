"""Kiosk benchmarks on a real pseudo-terminal (80×24), no tmux needed.

1. **Start:** process start to the login screen drawn, for ``quizbank kiosk --demo`` against a
   bare Textual "hello" app on the same machine (target: within 1.5× of it).
2. **Key to frame:** the time from a key reaching the kiosk (written to the terminal it reads)
   to the next frame showing its effect, over 100 PageDown/PageUp navigations (target: median
   under 50 ms), and the same for 100 answers (A/B), whose frame waits for the commit. ``pilot.press`` waits for idle twice (about 40 ms) around every key, so it
   cannot measure this; a pty measures what a member sees.

Run ``python scripts/bench_kiosk.py [--runs N] [--keys N]`` (``scripts/bench.py`` runs it too);
it prints one line per figure and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello")

Hello().run()
"""

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1bP.*?\x1b\\\\", re.DOTALL)


class Pty:
    """A child process on a pseudo-terminal of 80×24 whose output we can wait on."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execvpe(argv[0], argv, {**os.environ, **(env or {}), "TERM": "xterm-256color", "LANG": "C.UTF-8"})
        self.pid = pid
        self.fd = fd
        self.raw = b""

    def text(self) -> str:
        return _ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20.0, since: int = 0) -> float:
        """Read until ``needle`` appears in the output after byte ``since``; the time it appeared."""
        end = time.perf_counter() + timeout
        while True:
            if needle in _ANSI.sub(b"", self.raw[since:]).decode("utf-8", "replace"):
                return time.perf_counter()
            left = end - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no {needle!r} in:\n{self.text()[-2000:]}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise TimeoutError(f"process ended before {needle!r}")
                self.raw += chunk

    def send(self, data: bytes) -> float:
        os.write(self.fd, data)
        return time.perf_counter()

    def drain(self, quiet: float = 0.05) -> None:
        while select.select([self.fd], [], [], quiet)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.raw += chunk

    def stop(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.time() + 3
            while time.time() < deadline:
                self.drain(0.02)
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    os.close(self.fd)
                    return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def kiosk_argv(db: Path) -> list[str]:
    return [sys.executable, "-m", "quizbank", "kiosk", "--demo", "--db", str(db), "--admin-pin", "4321"]


def start_times(argv: list[str], needle: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        p = Pty(argv)
        try:
            times.append(p.wait_for(needle) - p.t0)
        finally:
            p.stop()
    return times


def key_times(db: Path, n: int) -> tuple[list[float], list[float]]:
    """Seconds from a key reaching the kiosk to the frame showing its effect.

    First PageDown/PageUp (the next question drawn), then choosing A/B on a single-choice
    question: that frame appears only after the answer was committed to the database.
    """
    p = Pty(kiosk_argv(db))
    try:
        p.wait_for("编号")
        time.sleep(0.5)  # keys typed while Textual is still starting its input thread are lost
        p.drain()
        p.send(b"1002\r")
        p.wait_for("开始考试")
        p.send(b"\r")
        p.wait_for("第 1/")
        total = int(re.search(r"第 1/(\d+)", p.text()).group(1))  # type: ignore[union-attr]
        p.drain()
        no, step, times = 1, 1, []
        for _ in range(n):
            if not 1 <= no + step <= total:
                step = -step
            no += step
            since = len(p.raw)
            sent = p.send(b"\x1b[6~" if step > 0 else b"\x1b[5~")
            times.append(p.wait_for(f"第 {no}/{total}", since=since) - sent)
            p.drain(0.01)
        p.send(b"\x1b[5~" * total)  # back to question 1 (a single-choice question)
        p.wait_for("第 1/")
        p.drain(0.2)
        answers = []
        for i in range(n):
            letter = "AB"[i % 2]
            since = len(p.raw)
            sent = p.send(letter.lower().encode())
            answers.append(p.wait_for(f"[✓] {letter}.", since=since) - sent)
            p.drain(0.01)
        return times, answers
    finally:
        p.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="process starts of each app (median reported)")
    parser.add_argument("--keys", type=int, default=100, help="navigations timed")
    args = parser.parse_args([] if argv is None else argv)  # scripts/bench.py calls main()
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        db = Path(tmp) / "bench.db"
        start_times(kiosk_argv(db), "编号", 1)  # warm the caches (.pyc, the database file)
        bares, kiosks = [], []
        for _ in range(args.runs):  # interleaved, so that both see the same machine load
            bares += start_times([sys.executable, str(hello)], "hello", 1)
            kiosks += start_times(kiosk_argv(db), "编号", 1)
        bare, kiosk = statistics.median(bares), statistics.median(kiosks)
        keys, answers = key_times(db, args.keys)
    med = statistics.median(keys)
    p95 = sorted(keys)[max(0, int(len(keys) * 0.95) - 1)]
    amed = statistics.median(answers)
    ap95 = sorted(answers)[max(0, int(len(answers) * 0.95) - 1)]
    ratio = kiosk / bare
    print(
        f"start to first frame: bare Textual hello {bare * 1000:.0f} ms, kiosk login {kiosk * 1000:.0f} ms, ratio {ratio:.2f} (target <= 1.5)"
    )
    print(
        f"key to next frame over {len(keys)} navigations: median {med * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {max(keys) * 1000:.1f} ms (target median < 50 ms)"
    )
    print(
        f"answer key to the frame showing it saved, over {len(answers)} choices: median {amed * 1000:.1f} ms, p95 {ap95 * 1000:.1f} ms (includes the database commit)"
    )
    return 0 if ratio <= 1.5 and med < 0.050 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
