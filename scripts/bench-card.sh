#!/usr/bin/env bash
# Card-render benchmark: portal calls per opening of the deal-card tab, and render latency at 20 concurrent
# openings of warm cards (the same frame re-posted). Runs ui/CardRenderBench as a @QuarkusTest: real HTTP, the
# embedded MariaDB, WireMock as the portal, the service at INFO log level. Not part of ./mvnw verify.
# Knobs: CARDS (20 seeded deals), CONCURRENCY (20 clients), OPENINGS (50 warm openings per client).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test -Dtest=CardRenderBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.cards="${CARDS:-20}" -Dbench.concurrency="${CONCURRENCY:-20}" -Dbench.openings="${OPENINGS:-50}" \
  -DargLine="-Dbench.cards=${CARDS:-20} -Dbench.concurrency=${CONCURRENCY:-20} -Dbench.openings=${OPENINGS:-50}" \
  2>&1 | grep -A3 'CARD BENCH' || { echo "benchmark failed; see target/surefire-reports"; exit 1; }
