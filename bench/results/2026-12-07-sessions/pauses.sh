#!/bin/bash
# pauses.sh <jfr>: the young and old-cycle pauses of a JFR recording, count x mean and max (jdk.GarbageCollection)
/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr print --json --events jdk.GarbageCollection "$1" \
 | jq -r '[.recording.events[].values | {n: .name, d: (.sumOfPauses | sub("PT";"") | sub("S";"") | tonumber * 1000)}]
   | group_by(.n) | map("\(.[0].n) \(length) x \((map(.d) | add / length * 10 | round / 10)) ms, max \((map(.d) | max * 10 | round / 10))") | join("  ")'
