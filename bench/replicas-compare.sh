#!/usr/bin/env bash
# replicas-compare.sh - Berth behind HAProxy with 1 and with 3 replicas on one S3Proxy bucket.
#
# Usage: bench/replicas-compare.sh [--replicas "1 3"] [--rounds N] [--hop-mib M] [--chunk-mib C]
#                                  [-- BENCH_OPTIONS...]
#
# For each replica count it starts a fresh S3Proxy bucket, that many target/berth.jar replicas
# (JVM options of ./berth, or $BERTH_JAVA_OPTS) and one HAProxy (balance roundrobin, per-request
# balancing on keep-alive connections, /readyz health checks), all on 127.0.0.1, and runs
# ../shared/bench/bench.sh against HAProxy's URL (BENCH_OPTIONS go to it, default: everything).
# With more than one replica it then measures the cross-replica cost of an upload: M MiB in C MiB
# PATCH chunks, each on its own connection, once pinned to one replica and once alternating
# between replicas (median of N rounds each).
#
# Needs: ./mvnw package (target/berth.jar and target/s3proxy/s3proxy.jar), haproxy, curl (with
# --aws-sigv4), skopeo, wrk or hey, jq, python3, a JDK 21+ in $JAVA_HOME (default: Temurin 25).

set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_DIR:-$REPO/../shared/bench}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
COUNTS="1 3"
ROUNDS=3
HOP_MIB=256
CHUNK_MIB=8
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) COUNTS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --hop-mib) HOP_MIB=$2; shift ;;
    --chunk-mib) CHUNK_MIB=$2; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
for v in ROUNDS HOP_MIB CHUNK_MIB; do
  case "${!v}" in ''|*[!0-9]*|0) echo "$v must be a positive integer" >&2; exit 2 ;; esac
done
[ "$ROUNDS" -le 25 ] && [ "$HOP_MIB" -le 4096 ] || { echo "an option is above its bound" >&2; exit 2; }
for n in $COUNTS; do
  case "$n" in ''|*[!0-9]*|0) echo "replica counts must be positive integers" >&2; exit 2 ;; esac
  [ "$n" -le 8 ] || { echo "at most 8 replicas" >&2; exit 2; }
done

BERTH_JAR=$REPO/target/berth.jar
S3PROXY_JAR=$REPO/target/s3proxy/s3proxy.jar
for f in "$BERTH_JAR" "$S3PROXY_JAR" "$SHARED/bench.sh" "$JAVA"; do
  [ -e "$f" ] || { echo "missing $f (run ./mvnw package first?)" >&2; exit 2; }
done
command -v haproxy > /dev/null || { echo "haproxy is not installed" >&2; exit 2; }

WORK=$(mktemp -d /tmp/replicas-compare.XXXXXX)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

ACCESS=bench-access
SECRET=bench-secret-0123456789
start_s3proxy "$S3PROXY_JAR" "$ACCESS" "$SECRET"

s3() {  # s3 METHOD PATH: one signed request to S3Proxy
  curl -sf --max-time 30 -X "$1" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS:$SECRET" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    "http://127.0.0.1:$S3_PORT$2" -o /dev/null
}

berth_config() {  # berth_config BUCKET PORT
  s3_config "$2" replicas-compare-secret "$ACCESS" "$SECRET" "$1" /berth true
}

haproxy_config() {  # haproxy_config PORT SERVER_PORT...
  local port=$1 i=0; shift
  cat << CONF
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 600s
  timeout server 600s
  timeout http-request 30s
  retries 3
  option redispatch 1
  http-reuse safe
  default-server inter 500ms fall 2 rise 1
frontend registry
  bind 127.0.0.1:$port
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
CONF
  for p in "$@"; do
    i=$((i + 1))
    echo "  use-server r$i if { req.hdr(X-Bench-Replica) -m str r$i }"
  done
  i=0
  for p in "$@"; do
    i=$((i + 1))
    echo "  server r$i 127.0.0.1:$p check"
  done
}

# hop_upload URL MODE: one chunked upload of the test file, each PATCH on a new connection,
# pinned to r1 (MODE=stay) or balanced (MODE=alternate); prints the seconds it took.
hop_upload() {
  local url=$1 mode=$2 pin=() location start end offset=0 size chunk
  [ "$mode" = stay ] && pin=(-H "X-Bench-Replica: r1")
  start=$(date +%s%N)
  location=$(curl -sf --max-time 30 "${pin[@]}" -X POST -D - -o /dev/null \
    "$url/v2/bench/hop/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  [ -n "$location" ] || { echo "POST did not answer a Location" >&2; return 1; }
  for chunk in "$WORK"/hop-chunks/*; do
    size=$(stat -c %s "$chunk")
    location=$(curl -sf --max-time 600 "${pin[@]}" -X PATCH \
      -H "Content-Type: application/octet-stream" \
      -H "Content-Range: $offset-$((offset + size - 1))" --data-binary @"$chunk" -D - -o /dev/null \
      "${location/#\//$url/}" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
    [ -n "$location" ] || { echo "PATCH at $offset failed" >&2; return 1; }
    offset=$((offset + size))
  done
  case "$location" in *\?*) location="$location&digest=$HOP_DIGEST" ;; *) location="$location?digest=$HOP_DIGEST" ;; esac
  curl -sf --max-time 600 "${pin[@]}" -X PUT -o /dev/null "${location/#\//$url/}" \
    || { echo "PUT failed" >&2; return 1; }
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN {printf "%.3f", ns / 1e9}'
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

mkdir -p "$WORK/hop-chunks"
head -c "$((HOP_MIB * 1024 * 1024))" /dev/urandom > "$WORK/hop.bin"
HOP_DIGEST="sha256:$(sha256sum "$WORK/hop.bin" | cut -d' ' -f1)"
(cd "$WORK/hop-chunks" && split -b "$((CHUNK_MIB * 1024 * 1024))" -a 4 "$WORK/hop.bin" chunk-)
rm "$WORK/hop.bin"

echo "== $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
JVM_OPTS=(${BERTH_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx128m})
status=0
for n in $COUNTS; do
  bucket=bench-$n
  s3 PUT "/$bucket" || { echo "failed to create bucket $bucket" >&2; exit 1; }
  ports=()
  first=${#PIDS[@]}
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    berth_config "$bucket" "$port" > "$WORK/berth-$n-$i.yml"
    "$JAVA" "${JVM_OPTS[@]}" -jar "$BERTH_JAR" serve "$WORK/berth-$n-$i.yml" > "$WORK/berth-$n-$i.log" 2>&1 &
    PIDS+=($!)
    ports+=("$port")
  done
  for i in $(seq 1 "$n"); do
    await "http://127.0.0.1:${ports[$((i - 1))]}/v2/" 200 "berth-$n-$i" "${PIDS[$((first + i - 1))]}"
  done
  HA_PORT=$(free_port)
  haproxy_config "$HA_PORT" "${ports[@]}" > "$WORK/haproxy-$n.cfg"
  haproxy -db -f "$WORK/haproxy-$n.cfg" > "$WORK/haproxy-$n.log" 2>&1 &
  PIDS+=($!)
  await "http://127.0.0.1:$HA_PORT/v2/" 200 "haproxy-$n" "${PIDS[-1]}"
  URL=http://127.0.0.1:$HA_PORT

  echo "== $n replica(s) of Berth behind HAProxy $(haproxy -v | awk 'NR==1 {print $3}') at $URL, S3Proxy bucket $bucket"
  "$SHARED/bench.sh" "$URL" --work "$WORK/bench-$n" "$@" || status=$?

  if [ "$n" -gt 1 ]; then
    for mode in stay alternate; do
      : > "$WORK/hop-$mode.times"
      for _ in $(seq 1 "$ROUNDS"); do
        hop_upload "$URL" "$mode" >> "$WORK/hop-$mode.times" || { status=1; break; }
        echo >> "$WORK/hop-$mode.times"
      done
    done
    stay=$(grep . "$WORK/hop-stay.times" | median)
    alternate=$(grep . "$WORK/hop-alternate.times" | median)
    awk -v mib="$HOP_MIB" -v c="$CHUNK_MIB" -v s="$stay" -v a="$alternate" -v n="$n" 'BEGIN {
      printf "RESULT hop-upload %d MiB in %d MiB chunks, one connection each, %d replicas: on one replica %.1f MiB/s (%.2f s), alternating %.1f MiB/s (%.2f s), alternating/one = %.2f\n",
        mib, c, n, mib / s, s, mib / a, a, s / a }'
  fi
  # This configuration's processes stop before the next one starts.
  for pid in "${PIDS[@]:$first}"; do kill "$pid" 2> /dev/null; done
  for pid in "${PIDS[@]:$first}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
  done
  PIDS=("${PIDS[@]:0:$first}")
done
exit $status
