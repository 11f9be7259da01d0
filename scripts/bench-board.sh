#!/usr/bin/env bash
# Board benchmark: 10,000 claims received over a year with their stage histories, items, dealers, managers and
# decisions in the service's own tables; portal calls per opening of the supervisor's board, and render latency of
# the board with its analytics for 90 days, warm, at 2 concurrent clients. Runs ui/BoardRenderBench as a @QuarkusTest:
# real HTTP, the embedded MariaDB, WireMock as the portal, the service at INFO log level. Not part of ./mvnw verify.
# Knobs: CLAIMS (10000), DAYS (90), CONCURRENCY (2), OPENINGS (50 warm renders per client).
set -euo pipefail
cd "$(dirname "$0")/.."
args="-Dbench.claims=${CLAIMS:-10000} -Dbench.days=${DAYS:-90} -Dbench.concurrency=${CONCURRENCY:-2} -Dbench.openings=${OPENINGS:-50}"
./mvnw -B -q test -Dtest=BoardRenderBench -Dsurefire.failIfNoSpecifiedTests=false -Dcds.skip $args -DargLine="$args" \
  2>&1 | grep -A3 'BOARD BENCH' || { echo "benchmark failed; see target/surefire-reports"; exit 1; }
