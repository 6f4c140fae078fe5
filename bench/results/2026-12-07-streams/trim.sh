#!/bin/bash
# trim.sh: how much freed native memory glibc keeps in a warm gateway (without -XX:TrimNativeHeapInterval):
# warm-up as bench/ab does, 2,000 streams opened and finished, then one System.trim_native_heap, which reports
# resident memory before and after.
jvm=${JVM:+$(realpath "$JVM")}; . "$(dirname "$0")/setup.sh"
warm_gateway 30
stream_load w gateway "http://127.0.0.1:$gw_port/api/rca/chat/stream" '{"message":"q{{i}} tokens=20 gap=100"}' \
  --streams 2000 --ramp-per-sec 1000 >/dev/null
sleep 5
for i in 1 2; do
  echo "RSS $(rss_mib $gw_pid) MiB; $("$jcmd" $gw_pid System.trim_native_heap | tail -1)"
  sleep 5
done
