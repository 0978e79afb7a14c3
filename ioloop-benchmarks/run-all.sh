#!/usr/bin/env bash
# The one command (issue 6): micro benchmarks (JMH B1-B7, impl = ioloop | ioloop-netty | netty | jdk, in
# one JMH run), the same workloads interleaved in 100 ms slices (InterleavedRatios), TLS echo against
# Netty's SslHandler (TlsRatios, tls.tsv; run-tls-load.sh is the TLS load run), the B5 wake-up
# latency main (HdrHistogram, samples interleaved), the macro load run (run-load.sh), then
# the ratio table: printed, and written to ioloop-benchmarks/target/benchmarks/ratios.md and ratios.tsv.
# About 14-16 minutes on 2 cores. Knobs: SKIP_MICRO=1, SKIP_LOAD=1, JMH_ARGS (replaces the settings),
# LATENCY_SAMPLES=5000, and run-load.sh's (ROUNDS, IDLE_CONNECTIONS, ports).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export OUT=${OUT:-$ROOT/ioloop-benchmarks/target/benchmarks}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -w 1s -i 5 -r 1s}
BENCH_HEAP=${BENCH_HEAP:-2g}
log() { printf '[run-all %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

MODULES=ioloop-benchmarks
[ -f ioloop-sample-app/pom.xml ] && MODULES="$MODULES,ioloop-sample-app"
log "building $MODULES"
./mvnw -B -q -pl "$MODULES" -am package -DskipTests
CP="$ROOT/ioloop-benchmarks/target/classes:$(cat "$ROOT/ioloop-benchmarks/target/benchmarks.classpath")"
mkdir -p "$OUT"

if [ "${SKIP_MICRO:-0}" != 1 ]; then
  log "JMH B1-B6: $JMH_ARGS (fixed heap $BENCH_HEAP)"
  # shellcheck disable=SC2086
  java -Xmx512m -Duser.language=en -cp "$CP" org.openjdk.jmh.Main $JMH_ARGS \
    -jvmArgs "-Xms$BENCH_HEAP -Xmx$BENCH_HEAP -XX:+UseG1GC -Duser.language=en" \
    -rf csv -rff "$OUT/jmh.csv" 'dev\.ioloop\.benchmarks\.[A-Za-z]+Benchmark\.' | tee "$OUT/jmh.log"
  log "B1, B2, B3, B6 again, interleaved in 100 ms slices (the ratios to trust on a shared machine)"
  java -Xms$BENCH_HEAP -Xmx$BENCH_HEAP -Duser.language=en -cp "$CP" dev.ioloop.benchmarks.InterleavedRatios \
    "${INTERLEAVED_ROUNDS:-30}" 100 "$OUT/interleaved.tsv"
  log "TLS echo vs Netty's SslHandler (JDK provider), interleaved in 100 ms slices"
  java -Xms1g -Xmx1g -Duser.language=en -cp "$CP" dev.ioloop.benchmarks.TlsRatios \
    "${INTERLEAVED_ROUNDS:-30}" 100 "$OUT/tls.tsv"
  log "B5 wake-up latency (HdrHistogram)"
  java -Xms1g -Xmx1g -Duser.language=en -cp "$CP" dev.ioloop.benchmarks.WakeupLatencyMain \
    "${LATENCY_SAMPLES:-5000}" 3 "$OUT/latency.tsv"
fi

if [ "${SKIP_LOAD:-0}" != 1 ]; then
  SKIP_BUILD=1 "$ROOT/ioloop-benchmarks/run-load.sh"
fi

log "ratio table"
java -Duser.language=en -cp "$CP" dev.ioloop.benchmarks.report.RatioReport "$OUT"
log "wrote $OUT/ratios.md and $OUT/ratios.tsv"
