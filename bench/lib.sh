# Shared by the bench/*-compare.sh scripts: process bookkeeping, free ports, readiness polling.
# Source it after setting WORK (a temporary directory the caller owns).

PIDS=()

# Stops every process in PIDS (TERM, then KILL after 10 s) and removes WORK.
bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2> /dev/null
  done
  rm -rf "$WORK"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# await URL "STATUS..." NAME PID: polls (bounded: 60 s) until URL answers one of the statuses;
# exits with NAME's log ($WORK/NAME.log) when the process dies or the time is up.
await() {
  local url=$1 want=$2 name=$3 pid=$4 code
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2> /dev/null || { echo "$name exited; its log:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url")
    case " $want " in *" $code "*) return 0 ;; esac
    sleep 0.2
  done
  echo "$name did not answer on $url within 60 s; its log:" >&2; cat "$WORK/$name.log" >&2; exit 1
}

# Peak resident memory of a process in MiB.
peak_mib() {
  awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}
