# The benchmark's processes and measurements, shared by bench/run and bench/ab. Callers set: load_cpu, proxy_cpu,
# bench_jar, work, up_port, nginx_port, gw_port, gw_mgmt, gateway_java, gateway_jvm_options, sessions_big, pids=().
# gateway_jar picks the jar under test (default target/autoflow-gateway.jar).

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }

# --- processes ---------------------------------------------------------------------------------------------
wait_for() { # url
  for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "timed out waiting for $1" >&2; return 1
}
start_upstream() {
  taskset -c "$load_cpu" java -Xmx1g -cp "$bench_jar" io.autoflow.bench.FastUpstream --port $up_port \
    --event-loops 1 >"$work/upstream.log" 2>&1 &
  pids+=($!); up_pid=$!
  wait_for "http://127.0.0.1:$up_port/api/v1/healthz"
}
start_nginx() {
  mkdir -p "$work/nginx/logs"
  taskset -c "$proxy_cpu" nginx -p "$work/nginx" -c "$root/bench/nginx/nginx.conf" >"$work/nginx.log" 2>&1 &
  pids+=($!); nginx_pid=$!
  wait_for "http://127.0.0.1:$nginx_port/api/v1/healthz"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# The default pipeline (sessions, throttling, breaker, metrics, events, logs), its limits raised so it does not
# reject the benchmark's single client, and the seed's memory limit.
start_gateway() {
  taskset -c "$proxy_cpu" "$gateway_java" @"$gateway_jvm_options" \
    -Dautoflow.base-url=http://127.0.0.1:$up_port/api/v1 \
    -Dcamel.server.port=$gw_port -Dcamel.management.port=$gw_mgmt \
    -Dgateway.rate-limit.per-minute=1000000000 -Dgateway.rate-limit.burst=1000000000 \
    -Dgateway.rate-limit.global-per-second=50000 \
    -Dgateway.concurrency.per-client=20000 -Dgateway.concurrency.total=20000 \
    -Dautoflow.pool.max-connections=20000 -Dautoflow.http2="${BENCH_UPSTREAM_HTTP2:-h2c}" \
    -Dgateway.session.max=$((sessions_big + 20000)) "$@" \
    -jar "${gateway_jar:-target/autoflow-gateway.jar}" >"$work/gateway.log" 2>&1 &
  pids+=($!); gw_pid=$!
  wait_for "http://127.0.0.1:$gw_port/health"
}

# --- measuring ---------------------------------------------------------------------------------------------
# wrk_run <label> <target: gateway|upstream> <port> <connections> <seconds> <gap ms> [sessions file]
wrk_run() {
  local line
  line=$(BENCH_TARGET=$2 BENCH_GAP_MS=$6 BENCH_SESSIONS=${7:-} taskset -c "$load_cpu" \
    wrk -t1 -c"$4" -d"$5"s --timeout 10s -s bench/wrk/chat.lua "http://127.0.0.1:$3" | sed -n 's/^RESULT //p')
  echo "$line" | jq -c --arg lbl "$1" --argjson c "$4" --argjson gap "$6" \
    '{label: $lbl, connections: $c, gap_ms: $gap} + .'
}
seed_sessions() { # <count> <file>
  taskset -c "$load_cpu" java -cp "$bench_jar" io.autoflow.bench.SessionSeeder \
    --base "http://127.0.0.1:$gw_port" --count "$1" --concurrency 64 --out "$2" >&2
}
stream_load() { # <label> <format> <url> <body> <args...>
  local label=$1 format=$2 url=$3 body=$4; shift 4
  taskset -c "$load_cpu" java -Xmx2g -cp "$bench_jar" io.autoflow.bench.StreamLoad --format "$format" \
    --url "$url" --body "$body" "$@" 2>>"$work/streamload.log" | tail -1 | jq -c --arg lbl "$label" '{label: $lbl} + .'
}
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
