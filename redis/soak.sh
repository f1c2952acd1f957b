#!/usr/bin/env bash
# The soak of issue #16 (not in the default suite): three room nodes in one JVM on a real redis-server with
# appendfsync always; 50 rooms, 600 members, 200 publishes/s for SECONDS (default 600), with a node killed, Redis
# paused 5 s and Redis crashed and restarted. Prints lost/duplicated/reordered counts (all must be 0) and latency.
#   redis/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl redis -am test -Dtest=RoomsSoak -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsockwave.soak.seconds="${1:-600}" -DtrimStackTrace=false
cat redis/target/surefire-reports/io.sockwave.redis.RoomsSoak-output.txt 2>/dev/null | grep '^soak:' || true
