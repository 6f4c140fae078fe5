# tail.py <request log> <safepoint log> <gc log>: the steady load's requests (turn_complete lines: end time, duration_ms)
# against the JVM's safepoint pauses. For the slowest 1 % and the ones over 5 ms: how many overlap a pause, how
# much of their time it was, and how many requests were in flight beside them (queueing on the one core).
import bisect, json, re, sys
from datetime import datetime

def ts(s):  # ISO time with an offset or Z, to epoch ms
    s = s.replace('Z', '+00:00')
    m = re.match(r'(.*T\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d:?\d\d)$', s)
    frac = float(m.group(2) or 0)
    off = m.group(3) if ':' in m.group(3) else m.group(3)[:3] + ':' + m.group(3)[3:]
    return datetime.fromisoformat(m.group(1) + off).timestamp() * 1e3 + frac * 1e3

reqs = []
for line in open(sys.argv[1]):
    if '"turn_complete"' not in line: continue
    j = json.loads(line); end = ts(j['timestamp']); reqs.append((end - j['duration_ms'], end, j['duration_ms']))
pauses = []  # (start, end, kind)
for line in open(sys.argv[2]):
    m = re.match(r'\[([^\]]+)\].*Safepoint "([^"]+)".*Total: (\d+) ns', line)
    if m:
        end = ts(m.group(1)); total = int(m.group(3)) / 1e6; pauses.append((end - total, end, m.group(2)))
pauses.sort(); starts = [p[0] for p in pauses]
if not reqs: sys.exit('no requests')
t0, t1 = min(r[0] for r in reqs), max(r[1] for r in reqs)
inside = [p for p in pauses if t0 <= p[1] <= t1]
print(f"requests {len(reqs)} over {(t1 - t0) / 1e3:.1f} s; safepoints {len(inside)}, "
      f"{sum(p[1] - p[0] for p in inside):.0f} ms in all; by kind: " +
      ', '.join(f"{k} {sum(1 for p in inside if p[2] == k)} ({sum(p[1] - p[0] for p in inside if p[2] == k) / max(1, sum(1 for p in inside if p[2] == k)):.2f} ms mean)"
                for k in sorted({p[2] for p in inside})))

def overlap(r):
    i = bisect.bisect_left(starts, r[0] - 1000); o = 0.0; kinds = set()
    for p in pauses[i:]:
        if p[0] > r[1]: break
        x = min(r[1], p[1]) - max(r[0], p[0])
        if x > 0 and p[1] - p[0] >= 0.5: o += x; kinds.add(p[2])
    return o, kinds

ends = sorted(r[1] for r in reqs); begins = sorted(r[0] for r in reqs)
def in_flight(t): return bisect.bisect_right(begins, t) - bisect.bisect_right(ends, t)

durs = sorted(r[2] for r in reqs)
def pct(q): return durs[min(len(durs) - 1, int(q * len(durs)))]
print(f"server-side duration_ms p50 {pct(.5)} p90 {pct(.9)} p99 {pct(.99)} p99.9 {pct(.999)} max {durs[-1]}")
typical = sorted(in_flight(r[0]) for r in reqs)[len(reqs) // 2]
for name, sel in (("slowest 1 %", sorted(reqs, key=lambda r: -r[2])[:max(1, len(reqs) // 100)]),
                  ("over 5 ms", [r for r in reqs if r[2] > 5])):
    if not sel: print(f"{name}: none"); continue
    ov = [overlap(r) for r in sel]; hit = [o for o in ov if o[0] > 0]
    print(f"{name}: {len(sel)} requests, {len(hit)} ({100 * len(hit) / len(sel):.0f} %) overlap a pause >= 0.5 ms, "
          f"which took {sum(o[0] for o in hit) / max(1, sum(r[2] for r, o in zip(sel, ov) if o[0] > 0)) * 100:.0f} % of their time; "
          f"in flight at their start: median {sorted(in_flight(r[0]) for r in sel)[len(sel) // 2]} (all requests: {typical})")
adj = sorted(max(0, r[2] - overlap(r)[0]) for r in reqs)
print(f"with the pauses' time taken out: p99 {adj[int(.99 * len(adj))]:.1f} p99.9 {adj[int(.999 * len(adj))]:.1f} ms")
