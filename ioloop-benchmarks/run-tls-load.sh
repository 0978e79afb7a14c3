#!/usr/bin/env bash
# TLS load run (issue 14): redis-benchmark --tls (Debian's redis-tools 7.0, built with TLS) against the
# sample app's tls-port and redis-server --tls-port, taking turns, ROUNDS rounds, the JVM warmed first.
# The certificate is made here with openssl (a throwaway self-signed one in $OUT/tls); nothing is committed.
#
# Writes $OUT/tls-load.tsv (round server config test rps) and prints the median requests/s of each
# server and their ratio (ioloop / redis). Everything runs on 127.0.0.1. Knobs (defaults):
#   ROUNDS=3  SKIP_BUILD=0  SERVER_HEAP=1g  IOLOOP_TLS_PORT=16390  REDIS_TLS_PORT=16392
#   OUT=ioloop-benchmarks/target/benchmarks
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${OUT:-$ROOT/ioloop-benchmarks/target/benchmarks}
ROUNDS=${ROUNDS:-3}
SERVER_HEAP=${SERVER_HEAP:-1g}
IOLOOP_TLS_PORT=${IOLOOP_TLS_PORT:-16390}
REDIS_TLS_PORT=${REDIS_TLS_PORT:-16392}
TESTS=ping_mbulk,set,get
CONFIGS=("c50-P16|-c 50 -P 16 -n 500000" "c50-P1|-c 50 -P 1 -n 100000")
log() { printf '[run-tls-load %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if ! command -v redis-benchmark >/dev/null || ! command -v redis-server >/dev/null || ! command -v openssl >/dev/null; then
  log "installing Debian's redis-server, redis-tools and openssl"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server redis-tools openssl >/dev/null
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building ioloop-sample-app"
  ./mvnw -B -q -pl ioloop-sample-app -am package -DskipTests
fi
SAMPLE_JAR=$(ls ioloop-sample-app/target/ioloop-sample-app-*.jar | grep -v -e '-plain' -e '-sources' -e '-tests' | head -1)

mkdir -p "$OUT/tls"
CERT=$OUT/tls/server.crt
KEY=$OUT/tls/server.key
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$KEY" -out "$CERT" 2>/dev/null

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

java -Xms"$SERVER_HEAP" -Xmx"$SERVER_HEAP" -XX:+UseG1GC -jar "$SAMPLE_JAR" --sample.redis.port=0 --server.port=0 \
  --sample.redis.tls-port="$IOLOOP_TLS_PORT" --sample.redis.ssl.bundle=bench \
  --spring.ssl.bundle.pem.bench.keystore.certificate="file:$CERT" \
  --spring.ssl.bundle.pem.bench.keystore.private-key="file:$KEY" >"$OUT/tls-ioloop.log" 2>&1 &
PIDS+=($!)
redis-server --port 0 --tls-port "$REDIS_TLS_PORT" --bind 127.0.0.1 --tls-cert-file "$CERT" --tls-key-file "$KEY" \
  --tls-ca-cert-file "$CERT" --tls-auth-clients no --save '' --appendonly no --daemonize no >"$OUT/tls-redis.log" 2>&1 &
PIDS+=($!)

tls_cli() { redis-cli --tls --cacert "$CERT" -h 127.0.0.1 "$@"; }
for port in "$IOLOOP_TLS_PORT" "$REDIS_TLS_PORT"; do
  for _ in $(seq 1 120); do
    [ "$(tls_cli -p "$port" ping 2>/dev/null)" = PONG ] && break
    sleep 0.5
  done
  [ "$(tls_cli -p "$port" ping 2>/dev/null)" = PONG ] || { log "nothing answers PING over TLS on $port"; exit 1; }
done
log "both answer PING over TLS"

bench() { # port args...
  local port=$1; shift
  # shellcheck disable=SC2068
  redis-benchmark --tls --cacert "$CERT" -h 127.0.0.1 -p "$port" -t "$TESTS" $@ -q --csv 2>/dev/null
}
log "warming the JVM"
bench "$IOLOOP_TLS_PORT" -c 50 -P 16 -n 200000 >/dev/null
bench "$IOLOOP_TLS_PORT" -c 50 -P 1 -n 50000 >/dev/null

printf 'round\tserver\tconfig\ttest\trps\n' >"$OUT/tls-load.tsv"
for round in $(seq 1 "$ROUNDS"); do
  ORDER=(ioloop redis); [ $((round % 2)) = 0 ] && ORDER=(redis ioloop)
  for entry in "${CONFIGS[@]}"; do
    config=${entry%%|*}; args=${entry#*|}
    for s in "${ORDER[@]}"; do
      port=$IOLOOP_TLS_PORT; [ "$s" = redis ] && port=$REDIS_TLS_PORT
      log "round $round $config $s"
      # shellcheck disable=SC2086
      bench "$port" $args | awk -F'","' -v r="$round" -v s="$s" -v c="$config" \
        'NR > 1 { gsub(/"/, "", $1); gsub(/"/, "", $2); printf "%s\t%s\t%s\t%s\t%s\n", r, s, c, $1, $2 }' \
        >>"$OUT/tls-load.tsv"
    done
  done
done

# median per server, config and test; then ours / redis
printf 'config\ttest\tioloop_rps\tredis_rps\tratio\n'
awk -F'\t' 'NR > 1 { v[$3 "\t" $4 "\t" $2] = v[$3 "\t" $4 "\t" $2] " " $5; keys[$3 "\t" $4] = 1 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { for (k in keys) { o = median(v[k "\tioloop"]); r = median(v[k "\tredis"]);
        printf "%s\t%.0f\t%.0f\t%.2f\n", k, o, r, (r > 0 ? o / r : 0) } }' "$OUT/tls-load.tsv" | sort
