# Sourced by this directory's scripts: bench/run's set-up (bench/lib.sh, the same ports and pinning) for one gateway
# with the JVM flags in $jvm (an absolute path; default ops/gateway.jvm), and warm_gateway to start it warm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
root=$PWD load_cpu=1 proxy_cpu=0 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100
gateway_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
gateway_jvm_options=$(realpath "${jvm:-ops/gateway.jvm}")
jcmd=$(dirname $gateway_java)/jcmd
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
# warm_gateway <warm-up seconds> [gateway JVM arguments]: upstream and gateway started, 100 sessions, load at 32 connections.
warm_gateway() {
  local seconds=$1; shift
  start_upstream
  start_gateway "$@"
  seed_sessions 100 $work/s.txt
  wrk_run warmup gateway $gw_port 32 "$seconds" 0 $work/s.txt >/dev/null
}
