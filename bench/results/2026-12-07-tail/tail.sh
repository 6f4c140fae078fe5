#!/bin/bash
# tail.sh [rounds]: where the steady p99 comes from. A warm gateway (60 s at 32 connections, 100 sessions) with
# every safepoint logged, then the steady load (32 connections, 0-62 ms apart, 20 s); tail.py lines each
# request-log entry (end time, duration_ms) up against the safepoint pauses and reports the slow ones' causes.
out=$(realpath -m "$(dirname "$0")"); rounds=${1:-1}
. "$(dirname "$0")/../2026-12-07-streams/setup.sh"
need wrk wrk
# threads: "<name>#<tid>|<utime+stime in ticks>" for each thread of the gateway
threads() { for t in /proc/$gw_pid/task/*; do echo "$(cat $t/comm)#${t##*/}|$(awk '{print $14 + $15}' $t/stat)"; done; }
for r in $(seq 1 "$rounds"); do
  warm_gateway 60 -Xlog:safepoint=info:file=$work/sp.log:time,uptimemillis -Xlog:gc:file=$work/gc.log:time
  from=$(wc -l < "$work/gateway.log")
  threads > $work/t0.txt
  wrk_run steady gateway $gw_port 32 20 31 $work/s.txt | jq -c '{rps, p50: .latency_ms.p50, p99: .latency_ms.p99, p999: .latency_ms.p999}'
  threads > $work/t1.txt
  echo "CPU per thread in the steady load (ms; threads over 20 ms):"
  join -t'|' <(sort $work/t0.txt) <(sort $work/t1.txt) | awk -F'|' '{d = ($3 - $2) * 10; if (d > 20) printf "  %6d %s\n", d, $1}' | sort -rn
  tail -n +$((from + 1)) "$work/gateway.log" > "$work/steady.log"
  python3 "$out/tail.py" "$work/steady.log" "$work/sp.log" "$work/gc.log"
  for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; pids=()
done
