#!/usr/bin/env bash
# filesystem-compare.sh - registry:2 and Berth side by side on local disk, as in the README table.
#
# Usage: bench/filesystem-compare.sh [--rounds N] [-- BENCH_OPTIONS...]
#
# Starts Debian's docker-registry (A) and target/berth.jar (B), each with filesystem storage in
# its own temporary directory on 127.0.0.1, Berth with the JVM options of ./berth, measures how
# long Berth takes from launch to answering /v2/, runs ../shared/bench/compare.sh A B (every
# measure unless BENCH_OPTIONS say otherwise), prints peak memory, and stops what it started.
#
# On a freshly booted VM the first write to each page of memory is slow; touch the memory once
# first (for example `head -c 8G /dev/zero > /dev/shm/x; rm /dev/shm/x`) or the first rounds
# measure the hypervisor.
#
# Needs: ./mvnw package (target/berth.jar), docker-registry, skopeo, wrk, hey, jq, curl,
# python3, a JDK 21+ in $JAVA_HOME (default: Temurin 25).

set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_DIR:-$REPO/../shared/bench}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

BERTH_JAR=$REPO/target/berth.jar
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
bench_init filesystem-compare "$BERTH_JAR" "$SHARED/compare.sh" "$JAVA"

REG_PORT=$(free_port)
filesystem_config "$WORK/registry-data" "$REG_PORT" > "$WORK/registry.yml"
env -u AWS_CA_BUNDLE docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
PIDS+=($!)
await "http://127.0.0.1:$REG_PORT/v2/" 200 registry "${PIDS[-1]}"

BERTH_PORT=$(free_port)
filesystem_config "$WORK/berth-data" "$BERTH_PORT" > "$WORK/berth.yml"
start_berth "$WORK/berth.yml" berth
run_compare "$REG_PORT" "$BERTH_PORT" "filesystem; Berth's /v2/ answered ${BERTH_READY_MS} ms after launch" "$@"
status=$?
echo "== peak resident memory (VmHWM): registry:2 $(peak_mib "${PIDS[0]}") MiB, Berth $(peak_mib "$BERTH_PID") MiB"
exit $status
