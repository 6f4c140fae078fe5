#!/bin/bash
# trim-cost.sh <jvm file>: what the native-heap trim costs under back-to-back load: the gateway's CPU and minor page
# faults per request over 15 s at 32 connections after a 30 s warm-up, and the trims it logged (-Xlog:trimnative).
jvm=$(realpath "$1"); . "$(dirname "$0")/setup.sh"
warm_gateway 30 -Xlog:trimnative=debug:file=$work/trim.log
stat() { awk '{print $10, $14 + $15}' /proc/$gw_pid/stat; }
read f0 t0 < <(stat); n0=$(grep -c 'Periodic Trim' $work/trim.log || true)
res=$(wrk_run back gateway $gw_port 32 15 0 $work/s.txt)
read f1 t1 < <(stat); n1=$(grep -c 'Periodic Trim' $work/trim.log || true)
echo "$res" | jq -c --argjson f $((f1 - f0)) --argjson t $((t1 - t0)) --argjson trims $((n1 - n0)) --arg jvm "$(basename $jvm)" \
  '{jvm: $jvm, rps: .rps, cpu_ms_per_request: ($t * 10 / .requests * 1000 | round / 1000), minor_faults_per_request: ($f / .requests * 100 | round / 100), trims: $trims}'
grep 'Periodic Trim' $work/trim.log | tail -3 || true
