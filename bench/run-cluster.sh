#!/usr/bin/env bash
# Sockwave's cluster benchmark (issue #16): three `sockwave serve --redis` nodes and one redis-server, then three
# Socket.IO 4 nodes with @socket.io/redis-adapter on a fresh redis-server, each cluster driven in turn by the same
# load generator in the same run. Writes bench/results/cluster-<date>.md, .json and .svg. See
# bench/cluster/README.md.
#
# Usage: bench/run-cluster.sh [--quick] [--systems "sockwave socketio"] [--no-build] [--out DIR]
# Environment (flags win): CLUSTER_CLIENTS, CLUSTER_ROOMS, CLUSTER_FIXED_RATE, CLUSTER_WARMUP, CLUSTER_MEASURE,
#   CLUSTER_RAMP, CLUSTER_RAMP_STEP, CLUSTER_PAUSE, CLUSTER_FAULT_LEAD, CLUSTER_FAULT_TIMEOUT, CLUSTER_SETTLE,
#   CLUSTER_SYSTEMS, CLUSTER_SERVER_CPU, CLUSTER_LOAD_CPU, CLUSTER_NODE_JVM, CLUSTER_LOAD_JVM, CLUSTER_MAX_SECONDS,
#   CLUSTER_OUT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CLIENTS="${CLUSTER_CLIENTS:-3000}"
ROOMS="${CLUSTER_ROOMS:-10}"
FIXED_RATE="${CLUSTER_FIXED_RATE:-4000}"
WARMUP="${CLUSTER_WARMUP:-5}"
MEASURE="${CLUSTER_MEASURE:-10}"
RAMP="${CLUSTER_RAMP:-4000,10000,20000,40000,60000,80000,100000,130000,160000}"
RAMP_STEP="${CLUSTER_RAMP_STEP:-3}"
PAUSE="${CLUSTER_PAUSE:-5}"
FAULT_LEAD="${CLUSTER_FAULT_LEAD:-3}"
FAULT_TIMEOUT="${CLUSTER_FAULT_TIMEOUT:-30}"
SETTLE="${CLUSTER_SETTLE:-1}"
SYSTEMS="${CLUSTER_SYSTEMS:-sockwave socketio}"
# The nodes and Redis share one CPU, the generator has the other, as in the peer benchmark.
SERVER_CPU="${CLUSTER_SERVER_CPU:-0}"
LOAD_CPU="${CLUSTER_LOAD_CPU:-1}"
# G1 is named because a JVM that sees one CPU would otherwise pick Serial GC.
NODE_JVM="${CLUSTER_NODE_JVM:--Xms256m -Xmx512m -XX:+UseG1GC}"
LOAD_JVM="${CLUSTER_LOAD_JVM:--Xms1g -Xmx1g -XX:+UseG1GC}"
# The whole run stops by itself after this long, whatever happens.
MAX_SECONDS="${CLUSTER_MAX_SECONDS:-1500}"
OUT="${CLUSTER_OUT:-bench/results}"
BUILD=1

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) CLIENTS=600; WARMUP=2; MEASURE=3; RAMP=4000,20000,60000; RAMP_STEP=1; FAULT_LEAD=1
            FAULT_TIMEOUT=15; SETTLE=0.5; MAX_SECONDS=400; shift ;;
        --systems) SYSTEMS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

for tool in java taskset redis-server node npm; do
    command -v "$tool" >/dev/null || { echo "run-cluster.sh needs $tool" >&2; exit 1; }
done
if [ "$(nproc --all)" -lt 2 ]; then
    echo "run-cluster.sh needs two CPUs: one for the nodes and Redis, one for the load generator" >&2
    exit 1
fi
# The generator holds a descriptor per member; a node may hold half of them after another node is killed.
NEED_FDS=$((CLIENTS + 1000))
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED_FDS" ]; then
    echo "ulimit -n is $(ulimit -n); $NEED_FDS descriptors are needed (raise the hard limit)" >&2
    exit 1
fi

if [ "$BUILD" = 1 ]; then
    echo "building the CLI and the generator..."
    mvn -q -B -pl cli,bench/cluster -am package -DskipTests
    npm ci --prefix bench/cluster/socketio --no-audit --no-fund --silent
fi
JAR="$(ls bench/cluster/target/sockwave-bench-cluster-*-all.jar | head -n 1)"
CLI_JAR=cli/target/sockwave.jar

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cluster.XXXXXX")"
RESULTS="$WORK/results.tsv"
PIDS=()

stop_all() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -CONT "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
cleanup() {
    [ -z "${WATCHDOG:-}" ] || kill "$WATCHDOG" 2>/dev/null || true
    stop_all
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The watchdog's sleep is killed with it: left behind, it would hold what the run holds (a caller's flock on the
# benchmark lock, say) for the whole MAX_SECONDS.
(
    trap 'kill "$NAP" 2>/dev/null; exit 0' TERM
    sleep "$MAX_SECONDS" &
    NAP=$!
    wait "$NAP"
    echo "run-cluster.sh: stopped after $MAX_SECONDS s" >&2
    kill -TERM $$
) &
WATCHDOG=$!

# free_port: a port nothing listens on, from the range below the ephemeral one.
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 10000))
        ss -ltnH "sport = :$port" | grep -q . || { echo "$port"; return; }
    done
}

# await_line FILE REGEX PID: waits (30 s at most) for a line of FILE matching REGEX; prints its first number group.
await_port() {
    for _ in $(seq 300); do
        if grep -qE "listening on 127\.0\.0\.1:[0-9]+" "$1" 2>/dev/null; then
            grep -oE "listening on 127\.0\.0\.1:[0-9]+" "$1" | head -n 1 | sed 's/.*://'
            return 0
        fi
        kill -0 "$2" 2>/dev/null || break
        sleep 0.1
    done
    echo "a node did not start; its log:" >&2
    cat "$1" >&2
    return 1
}

start_redis() {
    REDIS_PORT="$(free_port)"
    mkdir -p "$WORK/redis-$1"
    taskset -c "$SERVER_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$WORK/redis-$1" --protected-mode no >"$WORK/redis-$1.log" 2>&1 &
    REDIS_PID=$!
    PIDS+=("$REDIS_PID")
    for _ in $(seq 100); do
        redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    echo "redis-server did not start" >&2
    cat "$WORK/redis-$1.log" >&2
    return 1
}

# start_nodes SYSTEM: three nodes of the system on the running Redis; sets NODES (port:pid[:memfile],...).
start_nodes() {
    local i log pid port
    NODES=""
    for i in 0 1 2; do
        log="$WORK/$1-node$i.log"
        if [ "$1" = sockwave ]; then
            # shellcheck disable=SC2086 # NODE_JVM is a list of flags
            taskset -c "$SERVER_CPU" java $NODE_JVM -jar "$CLI_JAR" serve --host 127.0.0.1 --port 0 --quiet \
                --redis "redis://127.0.0.1:$REDIS_PORT" --node-id "n$i" >"$log" 2>&1 &
            pid=$!
            PIDS+=("$pid")
            port="$(await_port "$log" "$pid")"
            NODES="$NODES,$port:$pid"
        else
            taskset -c "$SERVER_CPU" node --expose-gc bench/cluster/socketio/server.js --port 0 \
                --redis "redis://127.0.0.1:$REDIS_PORT" --mem-file "$WORK/mem-$i.json" \
                --max-lifetime "$MAX_SECONDS" >"$log" 2>&1 &
            pid=$!
            PIDS+=("$pid")
            port="$(await_port "$log" "$pid")"
            NODES="$NODES,$port:$pid:$WORK/mem-$i.json"
        fi
    done
    NODES="${NODES#,}"
}

run_line() {
    printf 'run\t%s\t%s\n' "$1" "$2" >>"$RESULTS"
}
run_line machine "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc --all) CPUs"
run_line java "$(java -version 2>&1 | head -n 1)"
run_line node "$(node --version); $(cd bench/cluster/socketio && npm ls --depth 0 2>/dev/null | tail -n +2 | \
    sed 's/^[^a-z@]*//' | tr '\n' ' ')"
run_line redis "$(redis-server --version | cut -d ' ' -f 1-3)"
run_line pinning "nodes and redis-server on CPU $SERVER_CPU, generator on CPU $LOAD_CPU (taskset); the machine's other work shares both"
run_line node_jvm "$NODE_JVM"
run_line load_jvm "$LOAD_JVM"
run_line started "$(date -u +%FT%TZ), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

STARTED=$SECONDS
for system in $SYSTEMS; do
    echo "== $system at $((SECONDS - STARTED)) s, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
    start_redis "$system"
    start_nodes "$system"
    # shellcheck disable=SC2086
    taskset -c "$LOAD_CPU" java $LOAD_JVM -jar "$JAR" run --system "$system" --nodes "$NODES" \
        --redis-pid "$REDIS_PID" --out "$RESULTS" --clients "$CLIENTS" --rooms "$ROOMS" \
        --fixed-rate "$FIXED_RATE" --warmup "$WARMUP" --measure "$MEASURE" --ramp "$RAMP" \
        --ramp-step "$RAMP_STEP" --pause "$PAUSE" --fault-lead "$FAULT_LEAD" --fault-timeout "$FAULT_TIMEOUT" \
        --settle "$SETTLE" || echo "the generator failed for $system" >&2
    stop_all
done
run_line ended "$(date -u +%FT%TZ), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

java -jar "$JAR" report --in "$RESULTS" --out-dir "$OUT" --stamp "$(date -u +%Y%m%d-%H%M%S)"
echo "cluster: done in $((SECONDS - STARTED)) s"
