#!/usr/bin/env bash
# Macro benchmark (issue 6): redis-benchmark, the one client, against our sample server (ioloop),
# the Netty 4.2 RESP baseline (this module) and redis-server, taking turns, ROUNDS rounds, JVMs warmed
# first; then IDLE_CONNECTIONS idle connections to each server: heap and RSS per connection.
#
# Writes $OUT/load.tsv (round server config test rps) and $OUT/idle.tsv; run-all.sh turns them into
# ratios. Everything runs on 127.0.0.1. Environment knobs (defaults):
#   ROUNDS=3  IDLE_CONNECTIONS=10000  SKIP_BUILD=0  SERVER_HEAP=1g
#   IDLE_ONLY=0 (1: skip the warm-up and the rounds, measure only the idle connections; load.tsv is not written)
#   IOLOOP_PORT=16380 NETTY_PORT=16381 REDIS_PORT=16382  OUT=ioloop-benchmarks/target/benchmarks
#   SERVERS=ioloop,netty,redis   the servers to measure (a subset, e.g. SERVERS=ioloop,redis)
#   CONFIGS=c50-P16,c50-P1,c1000-P1   the configurations to measure (a subset)
#   BEFORE_JAR=   another sample-app jar (e.g. one built from main) measured as server "before" on
#                 IOLOOP_PORT+10, in the same turns: before/after ratios from one run
#   IDLE=1        IDLE=0 skips the idle-connection measurement
#   SAMPLE_JAR=   the sample-app jar to measure as "ioloop" (default: the one in ioloop-sample-app/target;
#                 pass a copy to keep building while it runs)
# Other engineers share the machine: run it under `flock /tmp/bench.lock` so load runs never overlap.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${OUT:-$ROOT/ioloop-benchmarks/target/benchmarks}
ROUNDS=${ROUNDS:-3}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
SERVER_HEAP=${SERVER_HEAP:-1g}
IOLOOP_PORT=${IOLOOP_PORT:-16380}
NETTY_PORT=${NETTY_PORT:-16381}
REDIS_PORT=${REDIS_PORT:-16382}
TESTS=ping_inline,ping_mbulk,set,get
ALL_CONFIGS=("c50-P16|-c 50 -P 16 -n 1000000" "c50-P1|-c 50 -P 1 -n 100000" "c1000-P1|-c 1000 -P 1 -n 100000")
WANTED_CONFIGS=",${CONFIGS:-c50-P16,c50-P1,c1000-P1},"
WANTED_SERVERS=",${SERVERS:-ioloop,netty,redis},"
BEFORE_JAR=${BEFORE_JAR:-}
CONFIGS=()
for entry in "${ALL_CONFIGS[@]}"; do
  [[ "$WANTED_CONFIGS" == *",${entry%%|*},"* ]] && CONFIGS+=("$entry")
done
wanted() { [[ "$WANTED_SERVERS" == *",$1,"* ]]; }
JAVA_OPTS=(-Xms"$SERVER_HEAP" -Xmx"$SERVER_HEAP" -XX:+UseG1GC -Duser.language=en)

log() { printf '[run-load %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- 1. redis-server and redis-benchmark from Debian, if missing
"$ROOT/ioloop-benchmarks/install-redis.sh"

# --- 2. build: the benchmark module, and the sample app when the checkout has it
MODULES=ioloop-benchmarks
[ -f ioloop-sample-app/pom.xml ] && MODULES="$MODULES,ioloop-sample-app"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building $MODULES"
  ./mvnw -B -q -pl "$MODULES" -am package -DskipTests
fi
CP="$ROOT/ioloop-benchmarks/target/classes:$(cat "$ROOT/ioloop-benchmarks/target/benchmarks.classpath")"
SAMPLE_JAR=${SAMPLE_JAR:-}
if [ -z "$SAMPLE_JAR" ] && [ -d ioloop-sample-app/target ]; then
  SAMPLE_JAR=$(ls ioloop-sample-app/target/ioloop-sample-app-*.jar 2>/dev/null | grep -v -e '-plain' -e '-sources' -e '-tests' | head -1 || true)
fi

mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- 3. start the servers (idle while another is measured); stop them on exit
declare -A PID PORT
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_ready() { # name port
  for _ in $(seq 1 120); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$2" ping 2>/dev/null)" = PONG ]; then return 0; fi
    if ! kill -0 "${PID[$1]}" 2>/dev/null; then log "$1 died; see $OUT/$1.log"; tail -20 "$OUT/$1.log" >&2; return 1; fi
    sleep 0.5
  done
  log "$1 not answering PING on port $2 after 60 s"; return 1
}

SERVERS=()
if [ -z "$SAMPLE_JAR" ]; then
  log "no sample app jar (ioloop-sample-app not in this checkout yet): measuring the peers only"
elif wanted ioloop; then
  java "${JAVA_OPTS[@]}" -jar "$SAMPLE_JAR" --sample.redis.port="$IOLOOP_PORT" --sample.redis.maxclients=20000 \
    --server.port=0 >"$OUT/ioloop.log" 2>&1 &
  PID[ioloop]=$!; PORT[ioloop]=$IOLOOP_PORT; PIDS+=($!); SERVERS+=(ioloop)
fi
if [ -n "$BEFORE_JAR" ]; then
  java "${JAVA_OPTS[@]}" -jar "$BEFORE_JAR" --sample.redis.port=$((IOLOOP_PORT + 10)) --sample.redis.maxclients=20000 \
    --server.port=0 >"$OUT/before.log" 2>&1 &
  PID[before]=$!; PORT[before]=$((IOLOOP_PORT + 10)); PIDS+=($!); SERVERS+=(before)
fi
if wanted netty; then
  java "${JAVA_OPTS[@]}" -cp "$CP" dev.ioloop.benchmarks.resp.NettyRespServer "$NETTY_PORT" >"$OUT/netty.log" 2>&1 &
  PID[netty]=$!; PORT[netty]=$NETTY_PORT; PIDS+=($!); SERVERS+=(netty)
fi
if wanted redis; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --maxclients 18000 \
    --daemonize no >"$OUT/redis.log" 2>&1 &
  PID[redis]=$!; PORT[redis]=$REDIS_PORT; PIDS+=($!); SERVERS+=(redis)
fi
for s in "${SERVERS[@]}"; do wait_ready "$s" "${PORT[$s]}"; done
log "servers up: ${SERVERS[*]}"

bench() { # port config-args...
  local port=$1; shift
  # shellcheck disable=SC2068
  redis-benchmark -h 127.0.0.1 -p "$port" -t "$TESTS" $@ -q --csv 2>/dev/null
}

# --- 4. warm the JVMs (JIT, pools) with the same workloads, each at its measured size: on this shared
# machine C2 was still compiling after 300,000 pipelined requests, and the first round paid for it
[ "${IDLE_ONLY:-0}" = 1 ] && { log "IDLE_ONLY=1: no warm-up, no rounds"; ROUNDS=0; CONFIGS=(); }
for s in "${SERVERS[@]}"; do
  [ "$s" = redis ] || [ ${#CONFIGS[@]} -eq 0 ] && continue
  log "warming $s"
  for entry in "${CONFIGS[@]}"; do
    # shellcheck disable=SC2086
    bench "${PORT[$s]}" ${entry#*|} >/dev/null
  done
done

# --- 5. rounds: per configuration, each server in turn (order rotated per round)
[ "$ROUNDS" -gt 0 ] && printf 'round\tserver\tconfig\ttest\trps\n' >"$OUT/load.tsv"
for round in $(seq 1 "$ROUNDS"); do
  n=${#SERVERS[@]}
  ORDER=()
  for i in $(seq 0 $((n - 1))); do ORDER+=("${SERVERS[$(((i + round - 1) % n))]}"); done
  for entry in "${CONFIGS[@]}"; do
    config=${entry%%|*}; args=${entry#*|}
    for s in "${ORDER[@]}"; do
      log "round $round $config $s"
      # shellcheck disable=SC2086
      bench "${PORT[$s]}" $args | awk -F'","' -v r="$round" -v s="$s" -v c="$config" \
        'NR > 1 { gsub(/"/, "", $1); gsub(/"/, "", $2); printf "%s\t%s\t%s\t%s\t%s\n", r, s, c, $1, $2 }' \
        >>"$OUT/load.tsv"
    done
  done
done

# --- 6. idle connections: heap (after a full GC) and RSS per connection
if [ "${IDLE:-1}" = 0 ]; then
  log "wrote $OUT/load.tsv (IDLE=0: no idle-connection measurement)"
  exit 0
fi
heap_used_kb() { # pid -> used heap in KiB after a GC
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

printf 'server\tconnections\theap_bytes_per_connection\trss_bytes_per_connection\n' >"$OUT/idle.tsv"
for s in "${SERVERS[@]}"; do
  pid=${PID[$s]}
  heap0=n/a; [ "$s" != redis ] && heap0=$(heap_used_kb "$pid")
  rss0=$(rss_kb "$pid")
  log "opening $IDLE_CONNECTIONS idle connections to $s"
  java -Xmx512m -cp "$CP" dev.ioloop.benchmarks.IdleConnections 127.0.0.1 "${PORT[$s]}" "$IDLE_CONNECTIONS" \
    >"$OUT/idle-$s.log" 2>&1 &
  client=$!; PIDS+=("$client")
  for _ in $(seq 1 240); do
    grep -q READY "$OUT/idle-$s.log" 2>/dev/null && break
    kill -0 "$client" 2>/dev/null || break
    sleep 0.5
  done
  if grep -q READY "$OUT/idle-$s.log" 2>/dev/null; then
    heap1=n/a; [ "$s" != redis ] && heap1=$(heap_used_kb "$pid")
    rss1=$(rss_kb "$pid")
    per() { if [ "$1" = n/a ]; then echo n/a; else echo $((($2 - $1) * 1024 / IDLE_CONNECTIONS)); fi; }
    printf '%s\t%s\t%s\t%s\n' "$s" "$IDLE_CONNECTIONS" "$(per "$heap0" "$heap1")" "$(per "$rss0" "$rss1")" >>"$OUT/idle.tsv"
  else
    log "idle connections to $s failed; see $OUT/idle-$s.log"
  fi
  kill "$client" 2>/dev/null || true
  wait "$client" 2>/dev/null || true
  sleep 2 # let the server close them before the next one
done

if [ "$ROUNDS" -gt 0 ]; then log "wrote $OUT/load.tsv and $OUT/idle.tsv"; else log "wrote $OUT/idle.tsv"; fi
