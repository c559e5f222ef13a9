#!/usr/bin/env bash
# Runs the scale-out measurement and writes its blocks of benchmarks/RESULTS.md ("scale-out" and
# "memory") and benchmarks/scale-out.png; the rest of RESULTS.md stays as it is.
#
#   benchmarks/scale-out.sh                         # 2, 8 and 32 nodes, 20 trials of each kind (about 10-15 minutes)
#   benchmarks/scale-out.sh -Dlatchkey.scale.nodes=2,8,32,64 -Dlatchkey.scale.trials=5
#       # any -D passes through: latchkey.scale.{nodes,trials,bound,rate}, latchkey.footprint.tokens
#
# ScaleOutTest (integration-tests) runs N Latchkey nodes, each with its own cache, change-feed poller
# and HikariCP pool, on one embedded PostgreSQL (pg_stat_statements loaded), with the feed polled only
# and with NOTIFY wake-ups; CacheFootprintTest measures retained bytes per cached entry with JOL.
# Needs Java 17+ and Maven; the embedded PostgreSQL comes from Maven Central.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
shown="benchmarks/scale-out.sh${*:+ $*}"
mvn -B -pl integration-tests -am verify -Pscale \
  -Dtest='ScaleOutTest,CacheFootprintTest' -Dsurefire.failIfNoSpecifiedTests=false \
  "-Dlatchkey.scale.command=$shown" "$@"
echo "wrote $here/RESULTS.md (sections scale-out, memory) and $here/scale-out.png"
