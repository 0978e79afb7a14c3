#!/usr/bin/env bash
# Server CPU time per request (issue 12): redis-benchmark against our sample server ("ioloop"), optionally
# another sample jar ("before"), and redis-server, in turns, ROUNDS rounds, JVMs warmed first. For each turn
# the server's utime+stime (/proc/<pid>/stat) across the redis-benchmark run, divided by the requests, and
# its voluntary context switches per request (how often it went to sleep in epoll_wait: the batching regime
# the turn ran in, which moves CPU per request by up to a third on this machine; see BENCHMARKS.md).
#
# Unlike requests per second, CPU per request does not depend on how much CPU the load generator got, but
# it does depend on how many clients each wake-up finds ready: compare servers only in the same rounds.
#
# Writes $OUT/cpu.tsv (round server config test requests us_per_req user_us sys_us ctxsw_per_req rps jit_pct
# age_s [epoll_waits_per_req]) and prints a summary: medians per server and the per-round ratios to redis-server.
# jit_pct is the share of the turn's server CPU its JIT compiler threads took: a JVM still compiling is not in
# its steady state yet, which is what the rounds measure (hence the WARM passes; BENCHMARKS.md).
# Everything runs on 127.0.0.1. Environment knobs (defaults):
#   ROUNDS=4  WARM=6 (passes of every measured workload before the rounds)  SKIP_BUILD=0  SERVER_HEAP=1g  OUT=ioloop-benchmarks/target/cpu-per-request
#   WARM_MINUTES=0  more warm passes until the JVMs have run this long: code that runs a few times a second (the
#                 sample's 10 Hz cron and its observation) reaches C2 only after ~5,000 runs, 8 minutes at 10 Hz
#   IOLOOP_PORT=16440 (before: +1, redis-server: +2, PING servers: +3 to +7)
#   CONFIGS=c50-P1,c50-P16    the configurations (c50-P1: -c 50 -P 1 -n 100000; c50-P16: -c 50 -P 16 -n 1000000)
#   TESTS=set,get,ping_inline redis-benchmark tests, each its own turn
#   SAMPLE_JAR=   the sample-app jar measured as "ioloop" (default: the one in ioloop-sample-app/target)
#   BEFORE_JAR=   another sample-app jar (e.g. main's) measured as "before" in the same turns
#   SAMPLE_JAVA_OPTS= / BEFORE_JAVA_OPTS=   extra JVM options for each (e.g. -XX:+UseSerialGC)
#   PERF=0        PERF=1 also counts epoll_wait calls per request (perf stat on the syscall tracepoint)
#   PING_SERVERS=0  PING_SERVERS=1 also runs ioloop-benchmarks' five PING servers (dev.ioloop.benchmarks.ping):
#                 ping-jdk (bare JDK selector), ping-epoll (Netty's native epoll, below its channels),
#                 ping-ioloop (ioloop-core's TCPServer/IOStream), ping-uring (Netty's io_uring, through its
#                 channels) and ping-ring (Netty's io_uring loop, below its channels: its own recv and send
#                 operations): one parser, five loops. They answer PING only:
#                 use TESTS=ping_inline,ping_mbulk with them.
# Other engineers share the machine: run it under `flock /tmp/bench.lock` so load runs never overlap.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${OUT:-$ROOT/ioloop-benchmarks/target/cpu-per-request}
ROUNDS=${ROUNDS:-4}
WARM=${WARM:-6}
WARM_MINUTES=${WARM_MINUTES:-0}
SERVER_HEAP=${SERVER_HEAP:-1g}
IOLOOP_PORT=${IOLOOP_PORT:-16440}
TESTS=${TESTS:-set,get,ping_inline}
WANTED_CONFIGS=",${CONFIGS:-c50-P1,c50-P16},"
ALL_CONFIGS=("c50-P1|100000|-c 50 -P 1" "c50-P16|1000000|-c 50 -P 16")
CONFIG_LIST=()
for entry in "${ALL_CONFIGS[@]}"; do
  [[ "$WANTED_CONFIGS" == *",${entry%%|*},"* ]] && CONFIG_LIST+=("$entry")
done
BEFORE_JAR=${BEFORE_JAR:-}
PERF=${PERF:-0}
PING_SERVERS=${PING_SERVERS:-0}
# the sample's documented run command is `java -jar`; the heap is fixed so that both JVMs get the same one
JAVA_OPTS=(-Xms"$SERVER_HEAP" -Xmx"$SERVER_HEAP" -XX:+UseG1GC -Duser.language=en)
read -r -a SAMPLE_EXTRA <<<"${SAMPLE_JAVA_OPTS:-}"
read -r -a BEFORE_EXTRA <<<"${BEFORE_JAVA_OPTS:-}"

log() { printf '[run-cpu %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- 1. redis-server and redis-benchmark from Debian, if missing
"$ROOT/ioloop-benchmarks/install-redis.sh"
if [ "$PERF" = 1 ] && ! command -v perf >/dev/null; then
  log "PERF=1 but no perf on PATH (Debian: linux-perf)"; exit 1
fi

# --- 2. build the sample app unless told not to
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building ioloop-sample-app"
  ./mvnw -B -q -pl ioloop-sample-app -am package -DskipTests
  if [ "$PING_SERVERS" = 1 ]; then
    log "building ioloop-benchmarks (the PING servers)"
    ./mvnw -B -q -pl ioloop-benchmarks -am package -DskipTests
  fi
fi
SAMPLE_JAR=${SAMPLE_JAR:-$(ls ioloop-sample-app/target/ioloop-sample-app-*.jar 2>/dev/null \
  | grep -v -e '-plain' -e '-sources' -e '-tests' | head -1 || true)}
[ -n "$SAMPLE_JAR" ] && [ -f "$SAMPLE_JAR" ] || { log "no sample-app jar (SAMPLE_JAR=$SAMPLE_JAR)"; exit 1; }
mkdir -p "$OUT"

# --- 3. servers; stopped on exit
declare -A PID PORT
PIDS=()
stop_servers() { # everything this script started, then wait for it to go
  [ ${#PIDS[@]} -gt 0 ] || return 0
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
}
trap stop_servers EXIT
SERVERS=(ioloop)
STARTED_AT=$SECONDS # the servers' start: the JVMs' age at each turn (age_s) counts from here
java "${JAVA_OPTS[@]}" "${SAMPLE_EXTRA[@]}" -jar "$SAMPLE_JAR" --sample.redis.port="$IOLOOP_PORT" --server.port=0 \
  >"$OUT/ioloop.log" 2>&1 &
PID[ioloop]=$!; PORT[ioloop]=$IOLOOP_PORT; PIDS+=($!)
if [ -n "$BEFORE_JAR" ]; then
  java "${JAVA_OPTS[@]}" "${BEFORE_EXTRA[@]}" -jar "$BEFORE_JAR" --sample.redis.port=$((IOLOOP_PORT + 1)) \
    --server.port=0 >"$OUT/before.log" 2>&1 &
  PID[before]=$!; PORT[before]=$((IOLOOP_PORT + 1)); PIDS+=($!); SERVERS+=(before)
fi
if [ "$PING_SERVERS" = 1 ]; then
  [ -f ioloop-benchmarks/target/benchmarks.classpath ] || { log "no ioloop-benchmarks build: run without SKIP_BUILD=1"; exit 1; }
  BENCH_CP="$ROOT/ioloop-benchmarks/target/classes:$(cat "$ROOT/ioloop-benchmarks/target/benchmarks.classpath")"
  port=$((IOLOOP_PORT + 3))
  for kind in jdk epoll ioloop uring ring; do
    java "${JAVA_OPTS[@]}" -cp "$BENCH_CP" dev.ioloop.benchmarks.ping.PingServers "$kind" "$port" \
      >"$OUT/ping-$kind.log" 2>&1 &
    PID[ping-$kind]=$!; PORT[ping-$kind]=$port; PIDS+=($!); SERVERS+=("ping-$kind")
    port=$((port + 1))
  done
fi
redis-server --port $((IOLOOP_PORT + 2)) --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  >"$OUT/redis.log" 2>&1 &
PID[redis]=$!; PORT[redis]=$((IOLOOP_PORT + 2)); PIDS+=($!); SERVERS+=(redis)
for s in "${SERVERS[@]}"; do
  ok=0
  for _ in $(seq 1 120); do
    if [ "$(redis-cli -h 127.0.0.1 -p "${PORT[$s]}" ping 2>/dev/null)" = PONG ]; then ok=1; break; fi
    kill -0 "${PID[$s]}" 2>/dev/null || break
    sleep 0.5
  done
  [ $ok = 1 ] || { log "$s not answering PING on port ${PORT[$s]}; see $OUT/$s.log"; exit 1; }
done
log "servers up: ${SERVERS[*]}"

# --- 4. warm the JVMs (JIT) with every measured workload, WARM times. With 2 passes at -P 1 the compiler threads
# still took 2-4% of the JVM's CPU in the first rounds, 0-1% from the fourth (BENCHMARKS.md): the jit_pct column.
warm_pass() { # one pass of every measured workload against server $1
  local entry n args
  for entry in "${CONFIG_LIST[@]}"; do
    IFS='|' read -r _ n args <<<"$entry"
    # shellcheck disable=SC2086
    redis-benchmark -h 127.0.0.1 -p "${PORT[$1]}" -t "$TESTS" $args -n "$n" -q >/dev/null 2>&1
  done
}
JVMS=()
for s in "${SERVERS[@]}"; do
  [ "$s" = redis ] || JVMS+=("$s")
done
for s in "${JVMS[@]}"; do
  log "warming $s ($WARM passes)"
  for _ in $(seq 1 "$WARM"); do warm_pass "$s"; done
done
# then, with WARM_MINUTES, passes in turns until the JVMs are that old (they all started together)
passes=0
while [ $((SECONDS - STARTED_AT)) -lt $((WARM_MINUTES * 60)) ]; do
  for s in "${JVMS[@]}"; do warm_pass "$s"; done
  passes=$((passes + 1))
done
[ "$passes" -gt 0 ] && log "warmed $passes more passes each: the JVMs are $((SECONDS - STARTED_AT)) s old"

# --- 5. rounds: per configuration and test, each server in turn (order rotated per round)
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }
# ticks of the JIT compiler threads (HotSpot names them "C1 CompilerThre..." and "C2 CompilerThre...")
jit_ticks() {
  local t n=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) n=$((n + $(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }'))) ;;
    esac
  done
  echo "$n"
}
vol_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { n += $2 } END { print n }'; }
header='round\tserver\tconfig\ttest\trequests\tus_per_req\tuser_us\tsys_us\tctxsw_per_req\trps\tjit_pct\tage_s'
[ "$PERF" = 1 ] && header="$header\tepoll_waits_per_req"
printf "$header\n" >"$OUT/cpu.tsv"
printf 'round\tload1\n' >"$OUT/load.tsv"
for round in $(seq 1 "$ROUNDS"); do
  printf '%s\t%s\n' "$round" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/load.tsv"
  n=${#SERVERS[@]}
  ORDER=()
  for i in $(seq 0 $((n - 1))); do ORDER+=("${SERVERS[$(((i + round - 1) % n))]}"); done
  for entry in "${CONFIG_LIST[@]}"; do
    IFS='|' read -r config requests args <<<"$entry"
    for test in ${TESTS//,/ }; do
      for s in "${ORDER[@]}"; do
        pid=${PID[$s]}
        if [ "$PERF" = 1 ]; then
          perf stat -x, -e syscalls:sys_enter_epoll_wait -p "$pid" -o "$OUT/perf-turn.txt" &
          perf_pid=$!
          sleep 0.2
        fi
        read -r u0 s0 < <(cpu_ticks "$pid"); c0=$(vol_switches "$pid"); j0=$(jit_ticks "$pid")
        # shellcheck disable=SC2086
        rps=$(redis-benchmark -h 127.0.0.1 -p "${PORT[$s]}" -t "$test" $args -n "$requests" -q --csv 2>/dev/null \
          | tail -1 | cut -d, -f2 | tr -d '"')
        read -r u1 s1 < <(cpu_ticks "$pid"); c1=$(vol_switches "$pid"); j1=$(jit_ticks "$pid")
        extra=""
        if [ "$PERF" = 1 ]; then
          kill -INT "$perf_pid"; wait "$perf_pid" || true
          extra=$(awk -F, -v n="$requests" '$3 ~ /epoll_wait/ { printf "\t%.3f", $1 / n }' "$OUT/perf-turn.txt")
        fi
        awk -v r="$round" -v s="$s" -v c="$config" -v t="$test" -v n="$requests" -v hz="$HZ" -v rps="$rps" \
          -v u="$((u1 - u0))" -v k="$((s1 - s0))" -v cs="$((c1 - c0))" -v j="$((j1 - j0))" -v extra="$extra" \
          -v age="$((SECONDS - STARTED_AT))" 'BEGIN {
            printf "%s\t%s\t%s\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.3f\t%s\t%.1f\t%d%s\n", r, s, c, t, n,
              (u + k) * 1e6 / hz / n, u * 1e6 / hz / n, k * 1e6 / hz / n, cs / n, rps,
              (u + k > 0 ? 100 * j / (u + k) : 0), age, extra }' >>"$OUT/cpu.tsv"
        log "round $round $config $test $s: $(tail -1 "$OUT/cpu.tsv" | cut -f6) us/request"
      done
    done
  done
done

# --- 6. summary: medians per server, and each round's ratio to redis-server (>1: more CPU than redis-server)
python3 - "$OUT/cpu.tsv" "$OUT/load.tsv" <<'PY'
import collections, csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
loads = [r['load1'] for r in csv.DictReader(open(sys.argv[2]), delimiter='\t')]
cell = {(r['round'], r['server'], r['config'], r['test']): r for r in rows}
servers = list(dict.fromkeys(r['server'] for r in rows))
keys = list(dict.fromkeys((r['config'], r['test']) for r in rows))
rounds = list(dict.fromkeys(r['round'] for r in rows))
print('load average (1 min) at each round start:', ' '.join(loads))
print('JVM age (s) at the first and last turn:', rows[0]['age_s'], rows[-1]['age_s'])
print('config\ttest\t' + '\t'.join(f'{s} us/req' for s in servers)
      + '\t' + '\t'.join(f'{s}/redis per round (median)' for s in servers if s != 'redis'))
for config, test in keys:
    med = [statistics.median(float(cell[(r, s, config, test)]['us_per_req']) for r in rounds) for s in servers]
    ratios = []
    for s in servers:
        if s == 'redis':
            continue
        per = [float(cell[(r, s, config, test)]['us_per_req']) / float(cell[(r, 'redis', config, test)]['us_per_req'])
               for r in rounds]
        ratios.append(' '.join(f'{x:.2f}' for x in per) + f' ({statistics.median(per):.2f})')
    print(f'{config}\t{test}\t' + '\t'.join(f'{m:.2f}' for m in med) + '\t' + '\t'.join(ratios))
# user time alone: steadier than the total, whose system part moves with the batching regime of each turn
print('config\ttest\t' + '\t'.join(f'{s} user us/req (median)' for s in servers))
for config, test in keys:
    print(f'{config}\t{test}\t' + '\t'.join(
        f"{statistics.median(float(cell[(r, s, config, test)]['user_us']) for r in rounds):.2f}" for s in servers))
# the JVMs' compiler threads in the rounds: more than a percent or two means they were not warm yet
jvms = [s for s in servers if s in ('ioloop', 'before')]
print('JIT compiler threads, % of server CPU per round:')
for s in jvms:
    per = [sum(float(r['jit_pct']) for r in rows if r['round'] == rd and r['server'] == s)
           / sum(1 for r in rows if r['round'] == rd and r['server'] == s) for rd in rounds]
    print(f'  {s}: ' + ' '.join(f'{x:.1f}' for x in per))
PY
log "wrote $OUT/cpu.tsv"
