#!/usr/bin/env bash
# Drive the exam kiosk in tmux the way a member would, and print what the screen shows.
#
#   scripts/drive_kiosk.sh [DB]
#
# Runs `quizbank kiosk --demo` in a detached tmux session (LANG=C.UTF-8, 80x24) on DB (default:
# a new temporary file), logs in as 1001, answers the first three questions (B, A, C),
# submits with F10 and Y, prints the result screen, then closes the kiosk with F12 and the
# admin PIN. The last line printed is "DB=<path>" so a caller can check the database.
#
# QUIZBANK overrides the command (default: quizbank), e.g. QUIZBANK="python -m quizbank".
set -euo pipefail

DB=${1:-$(mktemp -d)/drive.db}
QUIZBANK=${QUIZBANK:-quizbank}
PIN=4321
SESSION=qb-drive-$$
TMUX_SOCKET=qb-drive-$$  # a tmux server of its own: the user's sessions are not touched
tmux() { command tmux -L "$TMUX_SOCKET" "$@"; }

command -v tmux >/dev/null || { echo "drive_kiosk.sh: needs tmux" >&2; exit 2; }

cleanup() { tmux kill-server 2>/dev/null || true; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT
wait_for() {
  local text=$1 limit=${2:-15} i=0
  while ! screen | grep -qF -- "$text"; do
    sleep 0.1
    i=$((i + 1))
    if [ "$i" -ge $((limit * 10)) ]; then
      echo "drive_kiosk.sh: timed out waiting for: $text" >&2
      screen >&2
      exit 1
    fi
  done
}

keys() { tmux send-keys -t "$SESSION" "$@"; }

tmux new-session -d -s "$SESSION" -x 80 -y 24 \
  "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color $QUIZBANK kiosk --demo --db '$DB' --admin-pin $PIN; sleep 5"

wait_for "编号"
keys 1001 Enter
wait_for "开始考试"
keys Enter
wait_for "第 1/"
for pick in B A C; do
  keys "$pick"
  wait_for "已保存"
  keys NPage
  [ "$pick" = C ] || wait_for "未作答"
done
keys F10
wait_for "确认交卷"
keys y
wait_for "考试结果"
sleep 0.3
screen
keys F12
wait_for "管理员退出"
keys "$PIN" Enter
echo "DB=$DB"
