"""The real kiosk in a real terminal (tmux, LANG=C.UTF-8, 80×24): the drive script, a SIGKILL
mid-exam, and the SIGTERM / SIGHUP / SIGQUIT handlers. Skipped where tmux is missing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizbank.store import Store

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.slow,
]

ROOT = Path(__file__).resolve().parents[2]
QUIZBANK = f"{sys.executable} -m quizbank"
PIN = "4321"


class TmuxKiosk:
    """One tmux session running ``quizbank kiosk`` on one database, on a tmux server of its own.

    The kiosk runs under ``timeout`` so that nothing outlives a test run that was cut short.
    """

    def __init__(self, name: str, db: Path) -> None:
        self.name = name
        self.db = db

    def tmux(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True, check=check)

    def start(self, *extra: str, env: str = "") -> None:
        cmd = (
            f"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color {env} timeout --foreground 120 {QUIZBANK} kiosk --demo "
            f"--db {self.db} --admin-pin {PIN} {' '.join(extra)}; echo EXITED rc=$?; sleep 30"
        )
        if self.alive():
            self.tmux("respawn-pane", "-k", "-t", self.name, cmd, check=True)
        else:
            self.tmux("new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", cmd, check=True)
        self.wait_for("编号")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.name).returncode == 0

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys, check=True)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {text!r}; the screen shows:\n{self.screen()}")

    def kiosk_pid(self) -> int:
        pane = self.tmux("display", "-p", "-t", self.name, "#{pane_pid}", check=True).stdout.strip()
        # pane shell → timeout → the kiosk
        timeout_pid = subprocess.run(["pgrep", "-P", pane], capture_output=True, text=True).stdout.split()
        assert timeout_pid, f"no kiosk under pane {pane}"
        out = subprocess.run(["pgrep", "-P", timeout_pid[0]], capture_output=True, text=True).stdout.split()
        assert out, f"no kiosk under timeout {timeout_pid[0]}"
        return int(out[0])

    def kill(self) -> None:
        """Kill the session (the terminal goes away: the kiosk gets SIGHUP) and the server."""
        self.tmux("kill-session", "-t", self.name)
        self.tmux("kill-server")


@pytest.fixture
def tk(tmp_path: Path) -> Iterator[TmuxKiosk]:
    k = TmuxKiosk(f"qb-test-{os.getpid()}-{time.monotonic_ns() % 10**9}", tmp_path / "kiosk.db")
    yield k
    k.kill()


def answers(db: Path, member_id: str) -> tuple[str, dict[int, object], set[int], object]:
    with Store.open(db) as store:
        rec = list(store.attempts(member_id=member_id))[-1]
        return (
            rec.status,
            {a.no: a.response for a in rec.answers if a.response is not None},
            {a.no for a in rec.answers if a.marked},
            rec,
        )


def remaining(screen: str) -> int:
    m = re.search(r"剩余 (\d+):(\d\d)", screen)
    assert m, screen
    return int(m.group(1)) * 60 + int(m.group(2))


def test_drive_script_result_screen_and_database_agree(tmp_path: Path) -> None:
    db = tmp_path / "drive.db"
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "drive_kiosk.sh"), str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QUIZBANK": QUIZBANK},
    )
    assert run.returncode == 0, run.stderr + run.stdout
    shown = run.stdout
    assert "考试结果" in shown
    assert "张建国（编号 1001" in shown
    m = re.search(r"得分 (\d+(?:\.\d+)?) 分（满分 100 分", shown)
    assert m, shown
    status, given, _, rec = answers(db, "1001")
    assert status == "submitted"
    assert given == {1: "B", 2: "A", 3: "C"}
    assert float(m.group(1)) == rec.score  # type: ignore[attr-defined]
    assert ("不合格" in shown) == (not rec.passed)  # type: ignore[attr-defined]


def test_sigkill_mid_exam_loses_nothing_and_the_clock_runs_on(tk: TmuxKiosk) -> None:
    tk.start("--time-limit", "10m")
    tk.keys("1002", "Enter")
    tk.wait_for("开始考试")
    tk.keys("Enter")
    tk.wait_for("第 1/")
    tk.keys("b")
    tk.wait_for("已保存")
    tk.keys("NPage")
    tk.wait_for("第 2/")
    tk.keys("c")
    tk.wait_for("已保存")
    tk.keys("F3")
    tk.wait_for("标记待查")
    before = remaining(tk.screen())
    os.kill(tk.kiosk_pid(), signal.SIGKILL)
    tk.wait_for("EXITED rc=137")
    status, given, marked, rec = answers(tk.db, "1002")
    assert status == "in_progress"
    assert given == {1: "B", 2: "C"}
    assert marked == {2}

    time.sleep(2)  # the kiosk is down for a while: the clock does not stop for it
    tk.start("--time-limit", "10m")
    tk.keys("1002", "Enter")
    shown = tk.wait_for("已恢复")
    assert "第 3/" in shown  # the first unanswered question
    after = remaining(shown)
    assert after <= before - 2
    deadline_left = (rec.deadline - rec.started_at).total_seconds()  # type: ignore[attr-defined]
    assert deadline_left == 600
    tk.keys("PPage")
    shown = tk.wait_for("标记待查")
    assert "[✓] C." in shown
    status, given, marked, _ = answers(tk.db, "1002")
    assert (status, given, marked) == ("in_progress", {1: "B", 2: "C"}, {2})


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGQUIT])
def test_sigterm_and_sigquit_save_restore_the_terminal_and_exit(tk: TmuxKiosk, sig: signal.Signals) -> None:
    tk.start()
    tk.keys("1002", "Enter")
    tk.wait_for("开始考试")
    tk.keys("Enter")
    tk.wait_for("第 1/")
    tk.keys("F2", "End", "Enter")
    tk.wait_for("填空题")
    tk.keys("实事求是", literal=True)  # typed, not saved by Enter
    tk.wait_for("输入中")
    os.kill(tk.kiosk_pid(), sig)
    shown = tk.wait_for(f"EXITED rc={128 + sig}")
    assert "PgDn" not in shown  # the kiosk's screen is gone: the terminal was restored
    _, given, _, rec = answers(tk.db, "1002")
    last = len(rec.answers)  # type: ignore[attr-defined]
    assert list(given) == [last]
    assert given[last][0] == "实事求是"  # type: ignore[index]  # the other blanks (if any) empty


def test_sighup_closing_the_terminal_saves_and_ends_the_process(tk: TmuxKiosk) -> None:
    tk.start()
    tk.keys("1002", "Enter")
    tk.wait_for("开始考试")
    tk.keys("Enter")
    tk.wait_for("第 1/")
    tk.keys("F2", "End", "Enter")
    tk.wait_for("填空题")
    tk.keys("中国", literal=True)
    tk.wait_for("输入中")
    pid = tk.kiosk_pid()
    tk.kill()  # closes the terminal: the kiosk gets SIGHUP
    wait_gone(pid)
    _, given, _, rec = answers(tk.db, "1002")
    last = len(rec.answers)  # type: ignore[attr-defined]
    assert list(given) == [last]
    assert given[last][0] == "中国"  # type: ignore[index]


def test_ctrl_keys_do_nothing_in_a_real_terminal(tk: TmuxKiosk) -> None:
    tk.start(env="TEXTUAL_ALLOW_SIGNALS=1")  # ignored: with it Ctrl+C would raise SIGINT
    for key in ("C-c", "C-q", "C-z", "C-\\", "C-p", "C-d"):
        tk.keys(key)
    time.sleep(0.5)
    assert tk.kiosk_pid()
    shown = tk.screen()
    assert "编号" in shown
    assert "EXITED" not in shown
    tk.keys("F12")
    tk.wait_for("管理员退出")
    tk.keys(PIN, "Enter")
    tk.wait_for("EXITED rc=0")


def wait_gone(pid: int, timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"the kiosk (pid {pid}) is still running")


def test_closing_the_terminal_while_the_admin_leaves_still_ends_the_process(tk: TmuxKiosk) -> None:
    # tmux sends SIGHUP and SIGCONT when a session is killed; racing Textual's own shutdown
    # this once left the process waiting forever on a terminal writer thread
    tk.start()
    pid = tk.kiosk_pid()
    tk.keys("F12")
    tk.wait_for("管理员退出")
    tk.keys(PIN, "Enter")
    tk.kill()
    wait_gone(pid)
