#!/usr/bin/env bash
# startup.sh - how long registry:2 and Berth take from launch to answering /v2/.
#
# Usage: bench/startup.sh [--starts N]
#
# Starts Debian's docker-registry and target/berth.jar (with the JVM options and the start-up
# cache of ./berth, written by one untimed first run) N times each (default 10), alternating, on
# 127.0.0.1 with filesystem storage in a temporary directory; prints every time and the medians.
#
# Needs: ./mvnw package (target/berth.jar), docker-registry, curl, python3, a JDK 21+ in
# $JAVA_HOME (default: Temurin 25).

set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
STARTS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) STARTS=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

BERTH_JAR=$REPO/target/berth.jar
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
bench_init startup "$BERTH_JAR" "$JAVA"

BERTH_PORT=$(free_port)
REG_PORT=$(free_port)
filesystem_config "$WORK/berth-data" "$BERTH_PORT" > "$WORK/berth.yml"
filesystem_config "$WORK/registry-data" "$REG_PORT" > "$WORK/registry.yml"

# stop PID: TERM, then wait for the process to be gone.
stop() {
  kill "$1" 2> /dev/null
  wait "$1" 2> /dev/null
}

launch_berth "$WORK/berth.yml" berth first
stop "$BERTH_PID"

berth_ms=()
registry_ms=()
for _ in $(seq 1 "$STARTS"); do
  launch_berth "$WORK/berth.yml" berth again
  berth_ms+=("$BERTH_READY_MS")
  stop "$BERTH_PID"

  start=$(date +%s%N)
  env -u AWS_CA_BUNDLE docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  poll_answer "http://127.0.0.1:$REG_PORT/v2/" "$pid" "$WORK/registry.log"
  registry_ms+=($(( ($(date +%s%N) - start) / 1000000 )))
  stop "$pid"
done

median() {
  printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
echo "== $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $("$JAVA" -version 2>&1 | head -1)"
echo "registry:2 ms to /v2/: ${registry_ms[*]} (median $(median "${registry_ms[@]}"))"
echo "Berth      ms to /v2/: ${berth_ms[*]} (median $(median "${berth_ms[@]}"))"
