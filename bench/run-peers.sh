#!/usr/bin/env bash
# Sockwave's peer benchmark: Sockwave, Netty 4.2 (NIO and epoll), Jetty 12 and Vert.x 5 echo servers, each in its
# own JVM, and uWebSockets.js under Node, each process pinned to one CPU, driven one after another by the same load
# generator pinned to another CPU, in interleaved rounds. Writes bench/results/peers-<date>.md and .json.
# See bench/peers/README.md.
#
# Usage: bench/run-peers.sh [--quick] [--rounds N] [--warmup S] [--measure S] [--servers "LIST"]
#                           [--scenarios "LIST"] [--scale-levels "N,N,..."] [--no-build] [--out DIR]
# The compression scenarios are opt-in: --scenarios idle-deflate,idle-deflate-nct,deflate-chat,deflate-chat-nct
# (any of them) runs against the servers that negotiate permessage-deflate, DEFLATE_SERVERS below, unless --servers
# or PEERS_SERVERS names others.
# Environment (flags win): PEERS_ROUNDS, PEERS_WARMUP, PEERS_MEASURE, PEERS_SERVERS, PEERS_SCENARIOS,
#   PEERS_IDLE_CONNECTIONS, PEERS_SCALE_LEVELS, PEERS_RATE_MEASURE, PEERS_RATE_SERVER_WARMUP, PEERS_RATE_SERVERS,
#   PEERS_HANDSHAKE_LOAD_JVM, PEERS_HANDSHAKE_WARMUP, PEERS_WSS_HANDSHAKE_WARMUP,
#   PEERS_SETTLE, PEERS_SERVER_WARMUP, PEERS_SERVER_CPU, PEERS_LOAD_CPU, PEERS_SERVER_JVM, PEERS_LOAD_JVM,
#   PEERS_OUT, PEERS_PROFILE, PEERS_BASELINE (the label ratios are taken of; sockwave); per server label (its
#   non-alphanumerics as _): PEERS_SERVER_JVM_<label>, PEERS_SERVER_JAVA_<label>.
# wss:// (opt-in): --scenarios tls16k,tlshandshake runs them on each server that has a wss:// variant (sockwave,
#   netty-nio, netty-epoll, vertx), started with --tls jdk; an entry LABEL=KIND:PROVIDER (PROVIDER jdk, conscrypt
#   or openssl) is a wss:// variant that runs only those, e.g. sockwave-conscrypt=sockwave:conscrypt,
#   sockwave-tcnative=sockwave:openssl (netty-tcnative's engine behind an SSLContext), netty-tcnative=netty-epoll:openssl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ROUNDS="${PEERS_ROUNDS:-3}"
WARMUP="${PEERS_WARMUP:-1}"
# Unmeasured load given to each fresh server before its first cell, to warm its JIT: a quarter of it in each of
# the 32 B echo at 1 and 16 in flight, the 16 KiB echo and the broadcast.
SERVER_WARMUP="${PEERS_SERVER_WARMUP:-2}"
MEASURE="${PEERS_MEASURE:-2}"
# The fixed-rate scenario measures every server at once, each getting every n-th millisecond: per round, each
# server gets this many seconds of turns.
RATE_MEASURE="${PEERS_RATE_MEASURE:-3}"
RATE_SERVER_WARMUP="${PEERS_RATE_SERVER_WARMUP:-2}"
# Jetty sits out the side-by-side run: at 10,000 messages/s its thread pool keeps about a core busy, which would
# delay every other server's turns. Its fixed-rate cells stay empty.
RATE_SERVERS="${PEERS_RATE_SERVERS:-}"
# The A/A twin (a second netty-epoll, labelled netty-epoll-aa) must agree with netty-epoll within 10 %. Jetty and
# Netty on NIO are left out by default, so that a full run stays within ten minutes; --servers brings them back
# (kinds: sockwave netty-nio netty-epoll jetty uwebsockets vertx).
SERVERS="${PEERS_SERVERS:-sockwave netty-epoll uwebsockets vertx netty-epoll-aa=netty-epoll}"
SERVERS_GIVEN="${PEERS_SERVERS:+1}"
# The lineup of the compression scenarios: Sockwave and Netty each with permessage-deflate on (labelled as the
# plain ones, so that the report's ratios and targets find them), and the npm ws library under Node.
DEFLATE_SERVERS="sockwave=sockwave-deflate netty-epoll=netty-epoll-deflate ws-node"
# Idle memory first, while the server is fresh (it must have served nothing); then the load scenarios. A subset,
# such as "rate10k" alone with more rounds, gives one noisy figure more samples in the same time.
SCENARIOS="${PEERS_SCENARIOS:-idle10k,echo32x1,echo32x16,echo16k,rate10k,handshake,broadcast}"
IDLE_CONNECTIONS="${PEERS_IDLE_CONNECTIONS:-10000}"
# The opt-in scenario "scale" opens connections in steps to each of these levels and holds them (issue #20's).
SCALE_LEVELS="${PEERS_SCALE_LEVELS:-10000,25000,50000,100000}"
SETTLE="${PEERS_SETTLE:-0.5}"
SERVER_CPU="${PEERS_SERVER_CPU:-0}"
LOAD_CPU="${PEERS_LOAD_CPU:-1}"
# Same flags for every server. G1 is named because a JVM that sees one CPU would otherwise pick Serial GC; Netty's
# leak detector (a debugging aid that samples allocations) is off, as in production.
SERVER_JVM="${PEERS_SERVER_JVM:--Xms1g -Xmx1g -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled}"
LOAD_JVM="${PEERS_LOAD_JVM:--Xms1g -Xmx1g -XX:+UseG1GC}"
# uWebSockets.js runs under Node with its defaults, from the package pinned in this folder's package-lock.json.
UWS_DIR="bench/peers/uwebsockets"
# ws (npm, with permessage-deflate) runs under Node with its defaults, pinned by this folder's package-lock.json.
WS_DIR="bench/peers/ws"
# Connection churn makes a fresh generator's C2 compiler take half its CPU for the whole cell (the paths of connect,
# upgrade and close keep being recompiled), so the handshake scenario runs in a generator of its own with C1 only:
# it compiles in a second, and its code, slower than C2's, is still faster than a generator compiling. The throughput
# scenarios keep C2, whose code they need. The longer warm-up lets each server compile its closing-handshake path.
HANDSHAKE_LOAD_JVM="${PEERS_HANDSHAKE_LOAD_JVM:-$LOAD_JVM -XX:TieredStopAtLevel=1}"
HANDSHAKE_WARMUP="${PEERS_HANDSHAKE_WARMUP:-3}"
# A full TLS handshake runs far more code than the plain one (the JDK's SunJSSE above all): after 3 s the JDK-TLS
# servers' JIT still took 35 to 50 % of their CPU (peers-20261203-220817.md), and the per-CPU-second figure swung
# 0.73x-1.32x between rounds; after 20 s it took 8 to 17 % and the rounds agreed (peers-20261203-221836.md).
WSS_HANDSHAKE_WARMUP="${PEERS_WSS_HANDSHAKE_WARMUP:-20}"
OUT="${PEERS_OUT:-bench/results}"
# The label every ratio is taken of: a run of wss:// variants only may have no plain sockwave.
BASELINE="${PEERS_BASELINE:-sockwave}"
# jfr: every server JVM records a JFR profile (settings=profile), one file per server process, and a text summary
# of each (hot methods, native methods, allocation, GC, VM operations, thread CPU) goes beside the report. It costs the
# servers a little CPU and wakes them every 10-20 ms: profile runs show where the time goes, not figures to compare.
PROFILE="${PEERS_PROFILE:-}"
BUILD=1

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ROUNDS=1; WARMUP=0.5; MEASURE=1; RATE_MEASURE=1; SETTLE=0.5; SERVER_WARMUP=0.5
            RATE_SERVER_WARMUP=0.5; HANDSHAKE_WARMUP=0.5; WSS_HANDSHAKE_WARMUP=0.5; shift ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --measure) MEASURE="$2"; shift 2 ;;
        --servers) SERVERS="$2"; SERVERS_GIVEN=1; shift 2 ;;
        --scenarios) SCENARIOS="$2"; shift 2 ;;
        --scale-levels) SCALE_LEVELS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

for tool in java taskset getconf; do
    command -v "$tool" >/dev/null || { echo "run-peers.sh needs $tool" >&2; exit 1; }
done
if [ "$(nproc --all)" -lt 2 ]; then
    echo "run-peers.sh needs two CPUs: one for the server, one for the load generator" >&2
    exit 1
fi

# Each side of 10,000 idle connections holds 10,000 descriptors, in separate processes.
NEED_FDS=$((IDLE_CONNECTIONS + 1000))
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# The scale scenario holds its top level of connections at once, on both sides. Levels past the descriptor limit
# are left out, and the most that fits is measured in their stead; the output says so.
if [[ ",$SCENARIOS," == *,scale,* ]] && [ "$(ulimit -Hn)" != unlimited ]; then
    FIT=$((($(ulimit -Hn) - 1500) / 1000 * 1000))
    KEPT=""
    DROPPED=""
    for level in ${SCALE_LEVELS//,/ }; do
        if [ "$level" -le "$FIT" ]; then KEPT="$KEPT,$level"; else DROPPED="$DROPPED $level"; fi
    done
    if [ -n "$DROPPED" ]; then
        echo "scale: the hard ulimit -n is $(ulimit -Hn), so at most $FIT connections fit in one process;" \
            "left out:$DROPPED; $FIT measured in their stead" >&2
        [ "${KEPT##*,}" = "$FIT" ] || KEPT="$KEPT,$FIT"
    fi
    SCALE_LEVELS="${KEPT#,}"
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED_FDS" ]; then
    echo "ulimit -n is $(ulimit -n); $NEED_FDS descriptors are needed per process (raise the hard limit)" >&2
    exit 1
fi
# One source address gives the ephemeral port range; the idle connections must fit in it at once.
read -r PORT_LOW PORT_HIGH < /proc/sys/net/ipv4/ip_local_port_range
if [ $((PORT_HIGH - PORT_LOW)) -lt $((IDLE_CONNECTIONS + 2000)) ]; then
    echo "ephemeral port range $PORT_LOW-$PORT_HIGH is too small for $IDLE_CONNECTIONS connections" >&2
    exit 1
fi

# Each idle compressed-memory scenario gets a fresh server of its own: zlib's memory, freed when one scenario's
# connections close, stays resident in the allocator and would be reused by the next scenario's unseen.
FRESH_DEFLATE=""
for scenario in idle-deflate idle-deflate-nct; do
    case ",$SCENARIOS," in *",$scenario,"*) FRESH_DEFLATE="$FRESH_DEFLATE $scenario" ;; esac
done
case ",$SCENARIOS," in
    *,deflate-chat,*|*,deflate-chat-nct,*|*,idle-deflate,*|*,idle-deflate-nct,*)
        [ -n "$SERVERS_GIVEN" ] || SERVERS="$DEFLATE_SERVERS" ;;
esac

read -r -a ENTRIES <<< "$SERVERS"
# node_dir KIND: the folder of a Node server's script and of its npm package (named as the folder), or nothing for
# a JVM server.
node_dir() {
    case "$1" in
        uwebsockets) echo "$UWS_DIR" ;;
        ws-node) echo "$WS_DIR" ;;
    esac
}
NODE_VERSION=""
for kind in uwebsockets ws-node; do
    for entry in "${ENTRIES[@]}"; do
        [ "${entry#*=}" = "$kind" ] || continue
        dir="$(node_dir "$kind")"
        command -v node >/dev/null || { echo "the $kind server needs node (apt-get install nodejs)" >&2; exit 1; }
        if [ ! -d "$dir/node_modules/$(basename "$dir")" ]; then
            echo "installing $(basename "$dir") (npm ci --prefix $dir)..."
            npm ci --prefix "$dir" --no-audit --no-fund
        fi
        NODE_VERSION="$(node --version)"
        break
    done
done

if [ "$BUILD" = 1 ]; then
    echo "building the benchmark jar..."
    mvn -q -B -pl bench/peers -am package -DskipTests
fi
JAR="$(ls bench/peers/target/sockwave-bench-peers-*-all.jar | head -n 1)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/peers.XXXXXX")"
NAME="peers-$(date +%Y%m%d-%H%M%S)"
case "$PROFILE" in
    ""|jfr) ;;
    *) echo "PEERS_PROFILE=$PROFILE: only jfr is known" >&2; exit 2 ;;
esac
RESULTS="$WORK/results.tsv"
# The servers running now: one during the per-server rounds, all of them during the fixed-rate scenario.
SERVER_PIDS=()

stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        # A JVM that ignores SIGTERM for 10 s is killed outright.
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}
cleanup() {
    stop_servers
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# label_setting NAME LABEL DEFAULT: the value of NAME_<label> (the label's non-alphanumerics as _), or DEFAULT.
label_setting() {
    local var="$1_${2//[^A-Za-z0-9_]/_}"
    echo "${!var:-$3}"
}

# server_jvm LABEL / server_java LABEL: a server's JVM flags and java binary, PEERS_SERVER_JVM_<label> and
# PEERS_SERVER_JAVA_<label> when set, so that one kind can run under several JVMs or collectors side by side.
server_jvm() { label_setting PEERS_SERVER_JVM "$1" "$SERVER_JVM"; }
server_java() { label_setting PEERS_SERVER_JAVA "$1" java; }

# profile_flags LABEL TAG: the JFR flags of a server process when PEERS_PROFILE=jfr; written to WORK until the end.
profile_flags() {
    [ "$PROFILE" = jfr ] || return 0
    echo "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$WORK/profile-$1-$2.jfr"
}

# start_server KIND LABEL LOG TAG [TLS]: starts a server pinned to SERVER_CPU (a JVM, or Node for uwebsockets and
# ws-node), adds it to SERVER_PIDS, sets SERVER_PID and PORT. TAG names its profile (the round, or rate10k); with
# TLS (a provider), a wss:// server.
start_server() {
    local port_file="$WORK/port-$2"
    rm -f "$port_file"
    local node_folder
    node_folder="$(node_dir "$1")"
    if [ -n "$node_folder" ]; then
        taskset -c "$SERVER_CPU" node "$node_folder/server.js" --port-file "$port_file" --max-lifetime 1200 >"$3" 2>&1 &
    else
        # shellcheck disable=SC2046 # the JVM flags are lists
        taskset -c "$SERVER_CPU" "$(server_java "$2")" $(server_jvm "$2") $(profile_flags "$2" "${4:-run}") \
            -jar "$JAR" server --kind "$1" --port-file "$port_file" --max-lifetime 1200 ${5:+--tls "$5"} \
            >"$3" 2>&1 &
    fi
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    for _ in $(seq 300); do
        [ -s "$port_file" ] && { PORT="$(cat "$port_file")"; return 0; }
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "server $1 did not start; its log:" >&2
    cat "$3" >&2
    stop_servers
    return 1
}

# run_load LABEL ROUND SCENARIOS JVM-FLAGS WARMUP SERVER-WARMUP: drives the running server with a fresh generator;
# a failed load is recorded, not fatal.
run_load() {
    # shellcheck disable=SC2086
    taskset -c "$LOAD_CPU" java $4 -Dpeers.clkTck="$(getconf CLK_TCK)" -jar "$JAR" load \
        --port "$PORT" --server-pid "$SERVER_PID" --label "$1" --round "$2" --scenarios "$3" --out "$RESULTS" \
        --warmup "$5" --measure "$MEASURE" --idle-connections "$IDLE_CONNECTIONS" --settle "$SETTLE" \
        --server-warmup "$6" --scale-levels "$SCALE_LEVELS" \
        || echo "load generator failed for $1 in round $2 ($3)" >&2
}

# run_rate: the fixed-rate scenario with the servers of RATE_SERVERS running at once, taking turns one tick at a time.
run_rate() {
    local targets="" entry label kind
    for entry in "${RATE_ENTRIES[@]}"; do
        label="${entry%%=*}"
        kind="${entry#*=}"
        start_server "$kind" "$label" "$WORK/server-$label-rate.log" rate10k || return 0
        targets="$targets,$label:$PORT:$SERVER_PID"
    done
    # shellcheck disable=SC2086
    taskset -c "$LOAD_CPU" java $LOAD_JVM -Dpeers.clkTck="$(getconf CLK_TCK)" -jar "$JAR" rate \
        --targets "${targets#,}" --rounds "$ROUNDS" --warmup "$WARMUP" --measure "$RATE_MEASURE" \
        --server-warmup "$RATE_SERVER_WARMUP" --out "$RESULTS" || echo "load generator failed for rate10k" >&2
    stop_servers
}

# run_wss LABEL KIND PROVIDER ROUND: the wss:// scenarios on a fresh server started with --tls PROVIDER, the 16 KiB
# echo in a generator like the other throughput scenarios, the handshakes in one like the plain handshakes'.
run_wss() {
    if start_server "$2" "$1" "$WORK/server-$1-$4-wss.log" "round$4-wss" "$3"; then
        [ -z "$WSS_MAIN" ] || run_load "$1" "$4" "$WSS_MAIN" "$LOAD_JVM" "$WARMUP" "$SERVER_WARMUP"
        [ -z "$WSS_HANDSHAKE" ] || run_load "$1" "$4" "$WSS_HANDSHAKE" "$HANDSHAKE_LOAD_JVM" "$WSS_HANDSHAKE_WARMUP" 0
        stop_servers
    fi
}

# summarize_profiles: each server process's recording, summarised as text by the first jfr tool that has `jfr view`
# (JDK 21+), goes to OUT as NAME-LABEL-TAG.txt; the recording itself as NAME-LABEL-TAG.jfr (ignored by git).
summarize_profiles() {
    local jfr_tool="" candidate file base view
    for candidate in "$(command -v jfr || true)" /usr/lib/jvm/*/bin/jfr; do
        if [ -x "$candidate" ] && "$candidate" help view >/dev/null 2>&1; then
            jfr_tool="$candidate"
            break
        fi
    done
    mkdir -p "$OUT"
    for file in "$WORK"/profile-*.jfr; do
        [ -s "$file" ] || continue
        base="$NAME-$(basename "$file" .jfr | sed 's/^profile-//')"
        cp "$file" "$OUT/$base.jfr"
        if [ -z "$jfr_tool" ]; then
            echo "no jfr tool with 'view' (JDK 21+) found: $OUT/$base.jfr kept without a summary" >&2
            continue
        fi
        {
            echo "# $base: JFR (settings=profile) of one server process; read with $jfr_tool view"
            for view in hot-methods native-methods allocation-by-site gc gc-pauses vm-operations thread-cpu-load; do
                echo
                "$jfr_tool" view --width 160 --truncate beginning "$view" "$file" 2>&1 | head -n 40
            done
        } >"$OUT/$base.txt"
        echo "profile: $OUT/$base.txt (and .jfr)"
    done
}

if [ -z "$RATE_SERVERS" ]; then
    for entry in "${ENTRIES[@]}"; do
        # Jetty sits the fixed rate out (see RATE_SERVERS), and wss:// variants (KIND:PROVIDER) serve only wss://.
        case "${entry#*=}" in jetty | *:*) ;; *) RATE_SERVERS="$RATE_SERVERS $entry" ;; esac
    done
fi
read -r -a RATE_ENTRIES <<< "$RATE_SERVERS"
COUNT=${#ENTRIES[@]}
STARTED=$SECONDS
echo "peers: $ROUNDS round(s) of ${ENTRIES[*]}, ${WARMUP} s warm-up + ${MEASURE} s per cell; work dir $WORK"
# The fixed-rate scenario runs apart, every server at once (see run_rate); the others server by server.
# The handshake scenario gets a generator of its own (see HANDSHAKE_LOAD_JVM), after the others.
PER_SERVER="$(echo ",$SCENARIOS," | sed 's/,rate10k,/,/g; s/^,//; s/,$//')"
# The wss:// scenarios run on a server of their own, started with --tls (see run_wss), after the plain ones.
PLAIN="$(echo ",$PER_SERVER," | sed 's/,tls16k,/,/g; s/,tlshandshake,/,/g; s/^,//; s/,$//')"
WSS_MAIN="$(echo ",$PER_SERVER," | grep -o ',tls16k,' | tr -d , || true)"
WSS_HANDSHAKE="$(echo ",$PER_SERVER," | grep -o ',tlshandshake,' | tr -d , || true)"
MAIN="$(echo ",$PLAIN," | sed 's/,handshake,/,/g; s/,idle-deflate,/,/g; s/,idle-deflate-nct,/,/g; s/^,//; s/,$//')"
HANDSHAKE=""
case ",$PLAIN," in *,handshake,*) HANDSHAKE=handshake ;; esac
if [ -n "$PER_SERVER" ]; then
    for ((round = 1; round <= ROUNDS; round++)); do
        # Rotate the order each round (A B C, B C A, C A B...), so that drift does not always favour one server.
        for ((i = 0; i < COUNT; i++)); do
            entry="${ENTRIES[$(((i + round - 1) % COUNT))]}"
            label="${entry%%=*}"
            kind="${entry#*=}"
            provider=""
            [ "${kind#*:}" = "$kind" ] || { provider="${kind#*:}"; kind="${kind%%:*}"; }
            echo "== round $round: $label ($kind${provider:+, wss:// by $provider}) at $((SECONDS - STARTED)) s"
            if [ -z "$provider" ] && [ -n "$MAIN$HANDSHAKE" ] \
                && start_server "$kind" "$label" "$WORK/server-$label-$round.log" "round$round"; then
                [ -z "$MAIN" ] || run_load "$label" "$round" "$MAIN" "$LOAD_JVM" "$WARMUP" "$SERVER_WARMUP"
                [ -z "$HANDSHAKE" ] || run_load "$label" "$round" handshake "$HANDSHAKE_LOAD_JVM" \
                    "$HANDSHAKE_WARMUP" 0
                stop_servers
            fi
            for scenario in $FRESH_DEFLATE; do
                [ -z "$provider" ] || break
                if start_server "$kind" "$label" "$WORK/server-$label-$round-$scenario.log" \
                    "round$round-$scenario"; then
                    run_load "$label" "$round" "$scenario" "$LOAD_JVM" "$WARMUP" 0
                    stop_servers
                fi
            done
            if [ "$PLAIN" != "$PER_SERVER" ]; then
                case "$kind" in
                    sockwave | netty-nio | netty-epoll | vertx)
                        run_wss "$label" "$kind" "${provider:-jdk}" "$round" ;;
                    *) echo "   $label: no wss:// server for $kind; its wss:// cells stay empty" ;;
                esac
            fi
        done
    done
fi
RATE_RAN=""
if [ "$PER_SERVER" != "$SCENARIOS" ]; then
    if [ ${#RATE_ENTRIES[@]} -gt 0 ]; then
        RATE_RAN="${RATE_ENTRIES[*]}"
        echo "== rate10k: ${RATE_ENTRIES[*]} side by side, $ROUNDS round(s) at $((SECONDS - STARTED)) s"
        run_rate
    else
        echo "== rate10k skipped: no server to run it on (Jetty sits it out; see PEERS_RATE_SERVERS)" >&2
    fi
fi

if [ ! -s "$RESULTS" ]; then
    echo "no results were recorded" >&2
    exit 1
fi
# The report names every server whose JVM differs from the common one.
SERVER_JVMS="$SERVER_JVM"
for entry in "${ENTRIES[@]}"; do
    label="${entry%%=*}"
    [ "${entry#*=}" != uwebsockets ] || continue
    if [ "$(server_jvm "$label")" != "$SERVER_JVM" ] || [ "$(server_java "$label")" != java ]; then
        # shellcheck disable=SC2046 # unquoted: the flags' runs of spaces become one
        SERVER_JVMS="$SERVER_JVMS\`; $label: \`$(server_java "$label") $(echo $(server_jvm "$label"))"
    fi
done
[ -z "$PROFILE" ] || SERVER_JVMS="$SERVER_JVMS -XX:StartFlightRecording=settings=profile (every JVM)"
java -jar "$JAR" report --in "$RESULTS" --out-dir "$OUT" --name "$NAME" --servers "$SERVERS" --rounds "$ROUNDS" \
    --warmup "$WARMUP" --measure "$MEASURE" --rate-measure "$RATE_MEASURE" --rate-servers "$RATE_RAN" \
    --idle-connections "$IDLE_CONNECTIONS" --settle "$SETTLE" --server-jvm "$SERVER_JVMS" --load-jvm "$LOAD_JVM" \
    --handshake-load-jvm "$HANDSHAKE_LOAD_JVM" --handshake-warmup "$HANDSHAKE_WARMUP" --server-cpu "$SERVER_CPU" \
    --load-cpu "$LOAD_CPU" --node-version "$NODE_VERSION" --baseline "$BASELINE"
if [ "$PROFILE" = jfr ]; then
    summarize_profiles
fi
echo "peers: done in $((SECONDS - STARTED)) s"
