#!/bin/bash
# histo.sh: live heap per open stream. Class histograms (and heap dumps) of a warm gateway idle and with N streams
# open (N=2000 by default), into OUT (default: a temporary directory); diff.py and strings.py read them.
jvm=; . "$(dirname "$0")/setup.sh"
N=${N:-2000}; out=${OUT:-$(mktemp -d)}; echo "writing $out" >&2
warm_gateway 20
stream_load w gateway "http://127.0.0.1:$gw_port/api/rca/chat/stream" '{"message":"q{{i}} tokens=5 gap=1"}' --streams 2000 --ramp-per-sec 1000 >/dev/null
sleep 2
"$jcmd" $gw_pid GC.class_histogram > $out/idle.txt; "$jcmd" $gw_pid GC.heap_dump $out/idle.hprof >/dev/null
stream_load ab gateway "http://127.0.0.1:$gw_port/api/rca/chat/stream" \
  '{"message":"q{{i}} tokens=20 gap=1000"}' --streams $N --ramp-per-sec 1000 --pid $gw_pid > $out/streams.json &
load=$!
sleep $((N / 1000 + 6))
"$jcmd" $gw_pid GC.class_histogram > $out/open.txt; "$jcmd" $gw_pid GC.heap_dump $out/open.hprof >/dev/null
wait $load
cat $out/streams.json
