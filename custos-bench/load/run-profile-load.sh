#!/usr/bin/env bash
# Load benchmark of GET /v1/people/{id}/profile through the full gateway (token check, decision, durable audit
# entry) against the same read with no checks (custos-bench's UncheckedProfile), with wrk on the same machine.
#
#   custos-bench/load/run-profile-load.sh                      # embedded store in ./bench-data
#   CUSTOS_DB_URL=jdbc:postgresql://127.0.0.1:5432/loadbench CUSTOS_DB_USER=postgres custos-bench/load/run-profile-load.sh
#
# Settings (environment): SECONDS_PER_RUN (20), CONCURRENCY ("16 64 256"), PEOPLE (10000), TOKENS (256),
# PORT (8181), DATA (bench-data), WRK_THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
CONCURRENCY=${CONCURRENCY:-"16 64 256"}
PEOPLE=${PEOPLE:-10000}
TOKENS=${TOKENS:-256}
PORT=${PORT:-8181}
DATA=${DATA:-bench-data}
WRK_THREADS=${WRK_THREADS:-2}
# The store keeps no private keys: on PostgreSQL the gateway's key files are named here (made on the store's first start).
export CUSTOS_LOG_KEY=${CUSTOS_LOG_KEY:-$DATA/keys/log-signing-key.pem}
export CUSTOS_KEYS_MASTER=${CUSTOS_KEYS_MASTER:-$DATA/keys/master.key}
command -v wrk >/dev/null || { echo "run-profile-load: wrk is missing (apt-get install wrk)" >&2; exit 1; }
JAVA_HOME=${JAVA_HOME:-$(bin/find-jdk)}

./mvnw -q -pl custos-bench -am package -DskipTests
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$JAVA_HOME/bin/java" ${LOAD_JAVA_OPTS:-} -cp 'custos-bench/target/custos-bench.jar:custos-bench/target/lib/*' \
    custos.bench.load.GatewayLoadServer "$DATA" "$PEOPLE" "$TOKENS" "$PORT" "$work/tokens" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  grep -q "load server: ready" "$work/server.log" && break
  kill -0 $server 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 1
done
grep "load server:" "$work/server.log"

# wrk prints latency percentiles with --latency; requests/s and non-2xx counts in its summary.
run() { # mode concurrency
  TOKENS="$work/tokens" MODE=$1 wrk -t"$WRK_THREADS" -c"$2" -d"${SECONDS_PER_RUN}s" --latency \
      -s custos-bench/load/profile.lua "http://127.0.0.1:$PORT" > "$work/wrk-$1-$2.txt"
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-$1-$2.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk-$1-$2.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-$1-$2.txt")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors:/ {print "socket:" $0}' "$work/wrk-$1-$2.txt" | paste -sd' ')
  echo "$1 $2 $rps $p50 $p99 ${errors:-0}"
}

# A short warm-up of both paths so the JIT has compiled them before anything is measured.
SECONDS_PER_RUN=5 run checked 64 > /dev/null
SECONDS_PER_RUN=5 run unchecked 64 > /dev/null

echo
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
printf '%-11s %6s %12s %10s %10s %s\n' path conns 'req/s' p50 p99 'non-2xx'
for c in $CONCURRENCY; do
  checked=$(run checked "$c"); unchecked=$(run unchecked "$c")
  printf '%-11s %6s %12s %10s %10s %s\n' $checked
  printf '%-11s %6s %12s %10s %10s %s\n' $unchecked
  awk -v a="$(echo "$checked" | cut -d' ' -f3)" -v b="$(echo "$unchecked" | cut -d' ' -f3)" -v c="$c" \
      'BEGIN { printf "overhead at %s connections: %.1f%% (1 - checked/unchecked)\n", c, 100 * (1 - a / b) }'
done
