#!/usr/bin/env bash
# Runs the sockwave command-line tool (cli/target/sockwave.jar), building it first when it is missing or older
# than any source of the repository. Usage: ./sockwave.sh serve | connect URL | bench URL | --help
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$root/cli/target/sockwave.jar"

stale() {
    [[ ! -f "$jar" ]] && return 0
    # Any pom or main source newer than the jar; the first one found is enough.
    [[ -n "$(find "$root" \( -name target -o -name .git \) -prune -o \
        -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit 2>/dev/null)" ]]
}

if stale; then
    if ! command -v mvn >/dev/null 2>&1; then
        echo "sockwave: Maven (mvn) is needed to build $jar; install it, or build the jar elsewhere" >&2
        exit 1
    fi
    echo "sockwave: building cli/target/sockwave.jar..." >&2
    # Maven's output goes to stderr, so that standard output stays the tool's own; Maven 3.8 writes colour
    # resets even in batch mode, which are dropped.
    if ! (cd "$root" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true package -pl cli -am 2>&1 \
            | sed 's/\x1b\[[0-9;]*m//g') >&2; then
        echo "sockwave: the build failed (see above)" >&2
        exit 1
    fi
fi

exec java -jar "$jar" "$@"
