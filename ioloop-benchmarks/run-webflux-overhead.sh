#!/usr/bin/env bash
# Issue 11: the cost of the starter monitoring Reactor Netty's event loops. A WebFlux "hello" endpoint
# (ioloop-spring-boot-starter's HelloWebFluxApplication, Boot's WebFlux server on Reactor Netty's global
# loops) runs twice, monitoring on and monitoring off, both JVMs up at once and idle while the other is
# measured. wrk loads one, then the other, DURATION each, ROUNDS rounds, the order alternating each round
# (on/off, off/on, ...). Per turn: requests/s, and the server process's CPU time per request. Prints
# the ratios per round (throughput on/off; CPU per request off/on: both 1.0 when monitoring costs nothing),
# their median and geometric mean; writes $OUT/webflux-overhead.tsv. Environment knobs (defaults):
#   ROUNDS=8  DURATION=5s  WARMUP=60s (the JIT needs it; 90s on a loaded machine)  THREADS=1  CONNECTIONS=32  SKIP_BUILD=0  SERVER_HEAP=512m
#   ON_PORT=18081 OFF_PORT=18082  OUT=ioloop-benchmarks/target/benchmarks
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${OUT:-$ROOT/ioloop-benchmarks/target/benchmarks}
ROUNDS=${ROUNDS:-8}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-60s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
SERVER_HEAP=${SERVER_HEAP:-512m}
ON_PORT=${ON_PORT:-18081}
OFF_PORT=${OFF_PORT:-18082}
STARTER=ioloop-spring-boot-starter

log() { printf '[webflux-overhead %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- 1. wrk from Debian, if missing
if ! command -v wrk >/dev/null; then
  log "installing Debian's wrk"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

# --- 2. build the starter and its test classes, and write its test classpath
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building $STARTER (test classes) and its classpath"
  ./mvnw -B -q -pl "$STARTER" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/test.classpath
fi
CP="$ROOT/$STARTER/target/test-classes:$ROOT/$STARTER/target/classes:$(cat "$ROOT/$STARTER/target/test.classpath")"
mkdir -p "$OUT"

# --- 3. start both applications; stop them on exit
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
start() { # monitoring port
  java -Xms"$SERVER_HEAP" -Xmx"$SERVER_HEAP" -XX:+UseG1GC -cp "$CP" dev.ioloop.spring.boot.netty.HelloWebFluxApplication \
      --server.port="$2" --server.address=127.0.0.1 --ioloop.monitor.reactor-netty.enabled="$1" \
      --logging.level.root=WARN --logging.level.dev.ioloop=INFO >"$OUT/webflux-$1.log" 2>&1 &
  PIDS+=($!)
}
start true "$ON_PORT"
start false "$OFF_PORT"
for port in "$ON_PORT" "$OFF_PORT"; do
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$port/hello" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/hello" >/dev/null || { log "server on port $port did not start"; exit 1; }
done
grep -h "Monitoring .* Netty event loops" "$OUT/webflux-true.log" >&2 || { log "monitoring did not start"; exit 1; }
if grep -q "Monitoring .* Netty event loops" "$OUT/webflux-false.log"; then log "monitoring is not off"; exit 1; fi

# One turn: "requests/s cpu-microseconds-per-request" of the server behind port. The CPU time is the server
# process's own (utime + stime from /proc), so it is not inflated by other processes on a shared machine, as
# the throughput is.
TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
turn() { # port pid duration
  local before after out
  before=$(cpu_ticks "$2")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" "http://127.0.0.1:$1/hello")
  after=$(cpu_ticks "$2")
  printf '%s\n' "$out" | awk -v ticks=$((after - before)) -v tick_us="$TICK_US" '
    / requests in / { requests = $1 } /^Requests\/sec:/ { rps = $2 }
    END { printf "%s %.2f\n", rps, ticks * tick_us / requests }'
}

# --- 4. warm both up, then interleaved turns
log "warming up ($WARMUP each)"
turn "$ON_PORT" "${PIDS[0]}" "$WARMUP" >/dev/null
turn "$OFF_PORT" "${PIDS[1]}" "$WARMUP" >/dev/null
TSV="$OUT/webflux-overhead.tsv"
printf 'round\ton_rps\toff_rps\trps_ratio\ton_cpu_us_per_req\toff_cpu_us_per_req\tcpu_ratio\n' >"$TSV"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    on=$(turn "$ON_PORT" "${PIDS[0]}" "$DURATION"); off=$(turn "$OFF_PORT" "${PIDS[1]}" "$DURATION")
  else
    off=$(turn "$OFF_PORT" "${PIDS[1]}" "$DURATION"); on=$(turn "$ON_PORT" "${PIDS[0]}" "$DURATION")
  fi
  line=$(awk -v r="$round" -v on="$on" -v off="$off" 'BEGIN {
    split(on, a, " "); split(off, b, " ")
    printf "%s\t%s\t%s\t%.4f\t%s\t%s\t%.4f", r, a[1], b[1], a[1] / b[1], a[2], b[2], b[2] / a[2] }')
  printf '%s\n' "$line" >>"$TSV"
  log "round $round (round, on req/s, off req/s, on/off, on CPU us/req, off CPU us/req, off/on CPU): $line"
done
summary() { # column label
  tail -n +2 "$TSV" | cut -f"$1" | sort -n | awk -v label="$2" '{ r[NR] = $1; g += log($1) }
    END {
      median = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
      printf "%s, %d rounds: median %.4f, geometric mean %.4f, min %.4f, max %.4f\n", label, NR, median, exp(g / NR), r[1], r[NR]
    }'
}
summary 4 "throughput, monitoring on / off"
summary 7 "CPU per request, off / on (above 1: monitoring costs nothing measurable)"
if grep -q "blocked for" "$OUT/webflux-true.log"; then
  log "note: the watchdog reported blocked loops during the run (see $OUT/webflux-true.log)"
fi
