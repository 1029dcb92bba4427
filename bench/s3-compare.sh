#!/usr/bin/env bash
# s3-compare.sh - registry:2 and Berth side by side on one S3 bucket, as in the README table.
#
# Usage: bench/s3-compare.sh [--rounds N] [--redirect] [-- BENCH_OPTIONS...]
#
# Starts one S3Proxy (target/s3proxy/s3proxy.jar, filesystem backend in a temporary directory,
# SigV4, on 127.0.0.1) with one bucket, then Debian's docker-registry (A) and target/berth.jar (B)
# with the s3 driver on that bucket, each under its own rootdirectory, Berth with the JVM options
# of ./berth. Runs ../shared/bench/compare.sh A B (every measure unless BENCH_OPTIONS say
# otherwise; the README's S3 rows: `-- --only push,chunked,pull --sizes "64 512"`), prints peak
# memory, and stops what it started. Both registries serve blob GETs themselves unless --redirect is
# given, which keeps registry:2's default of a 307 to a presigned S3Proxy URL (curl follows it,
# so the pull then measures S3Proxy more than the registry).
#
# Needs: ./mvnw package (target/berth.jar, target/s3proxy/s3proxy.jar), docker-registry, skopeo,
# wrk, hey, jq, curl, python3, a JDK 21+ in $JAVA_HOME (default: Temurin 25).

set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_DIR:-$REPO/../shared/bench}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
ROUNDS=3
REDIRECT_DISABLE=true
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --redirect) REDIRECT_DISABLE=false ;;
    --) shift; break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

BERTH_JAR=$REPO/target/berth.jar
S3PROXY_JAR=$REPO/target/s3proxy/s3proxy.jar
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
bench_init s3-compare "$BERTH_JAR" "$S3PROXY_JAR" "$SHARED/compare.sh" "$JAVA"

BUCKET=bench
ACCESS_KEY=s3-compare-access
SECRET_KEY=s3-compare-secret-0123456789

start_s3proxy "$S3PROXY_JAR" "$ACCESS_KEY" "$SECRET_KEY"
# S3Proxy's filesystem backend keeps each bucket as a directory under its base directory.
mkdir -p "$WORK/s3proxy-data/$BUCKET"

config() {  # config ROOTDIRECTORY PORT
  s3_config "$2" s3-compare-secret "$ACCESS_KEY" "$SECRET_KEY" "$BUCKET" "$1" "$REDIRECT_DISABLE"
}

REG_PORT=$(free_port)
config /registry2 "$REG_PORT" > "$WORK/registry.yml"
# The Debian build's S3 SDK refuses to start while AWS_CA_BUNDLE is set.
env -u AWS_CA_BUNDLE docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
PIDS+=($!)
REG_PID=$!
await "http://127.0.0.1:$REG_PORT/v2/" 200 registry "$REG_PID"

BERTH_PORT=$(free_port)
config /berth "$BERTH_PORT" > "$WORK/berth.yml"
start_berth "$WORK/berth.yml" berth

run_compare "$REG_PORT" "$BERTH_PORT" "one S3Proxy bucket $BUCKET at :$S3_PORT (A under /registry2, B under /berth), storage.redirect.disable: $REDIRECT_DISABLE; Berth's /v2/ answered ${BERTH_READY_MS} ms after launch" "$@"
status=$?
echo "== peak resident memory (VmHWM): registry:2 $(peak_mib "$REG_PID") MiB, Berth $(peak_mib "$BERTH_PID") MiB, S3Proxy $(peak_mib "$S3PROXY_PID") MiB"
exit $status
