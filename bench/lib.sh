# Shared by the bench/*-compare.sh scripts: set-up, process bookkeeping, free ports, readiness
# polling, starting Berth, running the comparison. Source it, then call bench_init.

PIDS=()

# bench_init NAME FILE...: checks that every FILE exists and that docker-registry is installed,
# makes WORK (a temporary directory) and has bench_cleanup stop everything and remove it at exit.
bench_init() {
  local name=$1 f
  shift
  for f in "$@"; do
    [ -e "$f" ] || { echo "missing $f (run ./mvnw package first?)" >&2; exit 2; }
  done
  command -v docker-registry > /dev/null || { echo "docker-registry is not installed" >&2; exit 2; }
  WORK=$(mktemp -d "/tmp/$name.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# run_compare REGISTRY_PORT BERTH_PORT DESCRIPTION BENCH_OPTIONS...: prints the machine and what
# runs where, then ../shared/bench/compare.sh A=registry:2 B=Berth for $ROUNDS rounds.
run_compare() {
  local reg_port=$1 berth_port=$2 description=$3
  shift 3
  echo "== $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "== A = registry:2 $(docker-registry --version 2> /dev/null | awk '{print $3}') :$reg_port, B = Berth :$berth_port; $description"
  "$SHARED/compare.sh" "http://127.0.0.1:$reg_port" "http://127.0.0.1:$berth_port" --rounds "$ROUNDS" -- "$@"
}

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

# start_s3proxy JAR ACCESS SECRET: starts S3Proxy (filesystem backend in $WORK/s3proxy-data, one
# directory per bucket, SigV4 or V2 with the given keys) on 127.0.0.1 and a free port, waits until
# it answers, adds it to PIDS and sets S3_PORT and S3PROXY_PID.
start_s3proxy() {
  local jar=$1 access=$2 secret=$3
  S3_PORT=$(free_port)
  mkdir -p "$WORK/s3proxy-data"
  cat > "$WORK/s3proxy.properties" << PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$access
s3proxy.credential=$secret
jclouds.provider=filesystem
jclouds.identity=$access
jclouds.credential=$secret
jclouds.filesystem.basedir=$WORK/s3proxy-data
PROPS
  "$JAVA" -Xmx512m -jar "$jar" --properties "$WORK/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  PIDS+=("$S3PROXY_PID")
  # Without credentials S3Proxy answers 403: it is up.
  await "http://127.0.0.1:$S3_PORT/" "200 403" s3proxy "$S3PROXY_PID"
}

# Peak resident memory of a process in MiB.
peak_mib() {
  awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

# bench_config PORT SECRET STORAGE: a configuration that registry:2 and Berth both read, for
# 127.0.0.1:PORT, with quiet logs, deletes on, the shared SECRET, and STORAGE (the driver's lines of
# the storage section, indented by two spaces).
bench_config() {
  cat << CONF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
$3
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$1
  secret: $2
  draintimeout: 5s
CONF
}

# filesystem_config ROOTDIRECTORY PORT: bench_config with filesystem storage under ROOTDIRECTORY.
filesystem_config() {
  bench_config "$2" bench-secret "  filesystem:
    rootdirectory: $1"
}

# s3_config PORT SECRET ACCESS_KEY SECRET_KEY BUCKET ROOTDIRECTORY REDIRECT_DISABLE: bench_config
# with s3 storage in BUCKET of the S3Proxy at 127.0.0.1:$S3_PORT (see start_s3proxy), path-style,
# SigV4, under ROOTDIRECTORY, with storage.redirect.disable: REDIRECT_DISABLE.
s3_config() {
  bench_config "$1" "$2" "  s3:
    accesskey: $3
    secretkey: $4
    region: us-east-1
    regionendpoint: http://127.0.0.1:$S3_PORT
    forcepathstyle: true
    secure: false
    v4auth: true
    bucket: $5
    rootdirectory: $6
  redirect:
    disable: $7"
}

# poll_answer URL PID LOG: returns as soon as URL answers at all, polling every 10 ms (bounded:
# 3000 polls); exits with LOG when the process PID dies first.
poll_answer() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 1 3000); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    kill -0 "$pid" 2> /dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.01
  done
}

# launch_berth CONFIG NAME first|again: starts $BERTH_JAR serve CONFIG with the JVM options of
# ./berth ($BERTH_JAVA_OPTS overrides them), as ./berth does on its first run (which writes the
# ahead-of-time cache of Java 25 and newer, or the class-data archive, in $WORK as it exits) or on
# a later one (which uses it). Waits (bounded: 30 s) for http://127.0.0.1:$BERTH_PORT/v2/, logs to
# $WORK/NAME.log, adds the process to PIDS, sets BERTH_PID and BERTH_READY_MS (launch to answer).
launch_berth() {
  local config=$1 name=$2 run=$3 start startup
  local opts=(${BERTH_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx64m -XX:NewRatio=1})
  # Asked once per script: it costs a JVM start.
  JAVA_MAJOR=${JAVA_MAJOR:-$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')}
  if [ "${JAVA_MAJOR%%.*}" -lt 25 ]; then
    startup=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$WORK/berth.jsa" -Xlog:cds=off)
  elif [ "$run" = first ]; then
    startup=(-XX:AOTCacheOutput="$WORK/berth.aot" -Xlog:aot=off -Xlog:cds=off)
  else
    startup=(-XX:AOTCache="$WORK/berth.aot" -Xlog:aot=off -Xlog:cds=off)
  fi
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  start=$(date +%s%N)
  "$JAVA" "${opts[@]}" "${startup[@]}" -jar "$BERTH_JAR" serve "$config" > "$WORK/$name.log" 2>&1 &
  BERTH_PID=$!
  PIDS+=("$BERTH_PID")
  poll_answer "http://127.0.0.1:$BERTH_PORT/v2/" "$BERTH_PID" "$WORK/$name.log"
  BERTH_READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
  await "http://127.0.0.1:$BERTH_PORT/v2/" 200 "$name" "$BERTH_PID"
}

# start_berth CONFIG NAME: launch_berth twice, first and again, stopping the first once it has
# written its cache; the second keeps running and is the one timed.
start_berth() {
  launch_berth "$1" "$2" first
  kill "$BERTH_PID"
  wait "$BERTH_PID" 2> /dev/null
  launch_berth "$1" "$2" again
}
