#!/usr/bin/env bash
# The soak of issue #16 with real processes (not in the default suite): a redis-server with appendfsync always,
# three `sockwave serve --redis` nodes, 600 WebSocket clients in 50 rooms, 200 messages/s for SECONDS (default 600),
# with a node killed, Redis paused 5 s, Redis crashed and restarted, a node drained and another killed. Checks every
# client's transcript against the room logs in Redis; prints lost/duplicated/reordered counts (all must be 0) and
# the delivery latency; exits non-zero on any violation. The whole output is kept in cli/target/cluster-soak.log.
#   cli/cluster-soak.sh [SECONDS]      # 60 for the short run
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p cli/target
status=0
mvn -B -pl cli -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=ClusterSoak -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dsockwave.soak.seconds="${1:-600}" > cli/target/cluster-soak.log 2>&1 || status=$?
grep -E ' s  (soak|fault)' cli/target/cluster-soak.log || true
[ "$status" -eq 0 ] || { grep -E 'ERROR|FAIL' cli/target/cluster-soak.log | head -20; echo "cluster-soak: failed ($status), see cli/target/cluster-soak.log"; }
exit "$status"
