#!/usr/bin/env bash
# Installs (if missing) and starts (if not answering) a local Docker engine for the tests.
# Idempotent: safe to run again (skips the install if present, the start if the socket answers).
# Log (apt and dockerd): ${MUX_DOCKERD_LOG:-/var/log/mux-dockerd.log}. Fails loudly if the engine
# does not answer within ${MUX_DOCKERD_TIMEOUT:-60} seconds.
# Also installs busybox-static, which the docker-backend tests use to build their image offline.
set -euo pipefail

SOCKET="${MUX_DOCKER_SOCKET:-/var/run/docker.sock}"
LOG="${MUX_DOCKERD_LOG:-/var/log/mux-dockerd.log}"
TIMEOUT_SECONDS="${MUX_DOCKERD_TIMEOUT:-60}"

say() { echo "install-docker: $*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

engine_answers() {
  curl --silent --max-time 2 --unix-socket "$SOCKET" http://localhost/_ping 2>/dev/null | grep -q OK
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    fail "need root to run: $* (run this script as root or install sudo)"; fi
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -q >>"$LOG" 2>&1 || fail "apt-get update failed (see $LOG)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 \
    || fail "apt-get install ${missing[*]} failed (see $LOG)"
fi

if engine_answers; then
  say "engine already answering on $SOCKET"
  exit 0
fi

# A previous engine killed without a clean stop (e.g. when the session that started it ended)
# leaves pid files behind, and dockerd refuses to start while they exist. A process they name may
# still be dying, or be a leftover engine that no longer answers: give it a moment, then end it.
alive() { # running and not a zombie
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}
remove_stale_pid_file() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && alive "$pid"; then
    for _ in $(seq 1 10); do alive "$pid" || break; sleep 1; done
    if alive "$pid"; then
      say "ending leftover engine process $pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo '?')) named by $file"
      as_root kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 10); do alive "$pid" || break; sleep 1; done
      alive "$pid" && as_root kill -9 "$pid" 2>/dev/null || true
      sleep 1
      alive "$pid" && fail "process $pid named by $file does not end: stop it by hand and run this again"
    fi
  fi
  say "removing stale $file (process ${pid:-?} is gone)"
  as_root rm -f "$file"
}
remove_stale_pid_file /var/run/docker.pid
remove_stale_pid_file /var/run/docker/containerd/containerd.pid

say "starting dockerd (log: $LOG)"
# setsid: the engine outlives this script and the shell that called it.
as_root setsid dockerd --host="unix://$SOCKET" >>"$LOG" 2>&1 < /dev/null &
dockerd_pid=$!

for _ in $(seq 1 "$TIMEOUT_SECONDS"); do
  if ! kill -0 "$dockerd_pid" 2>/dev/null && ! engine_answers; then
    say "last lines of $LOG:"
    tail -n 20 "$LOG" >&2 || true
    fail "dockerd exited during start-up (see $LOG)"
  fi
  if engine_answers; then
    say "engine ready: $(curl -s --unix-socket "$SOCKET" http://localhost/version | grep -o '"Version":"[^"]*"' | head -1)"
    exit 0
  fi
  sleep 1
done
say "last lines of $LOG:"
tail -n 20 "$LOG" >&2 || true
fail "dockerd did not answer on $SOCKET within ${TIMEOUT_SECONDS}s (see $LOG)"
