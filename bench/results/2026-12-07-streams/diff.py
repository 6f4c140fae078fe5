# diff.py idle.txt open.txt N: live heap per open stream by class (jcmd GC.class_histogram, taken after a full GC)
import re, sys
def load(f):
    d = {}
    for l in open(f):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', l)
        if m: d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return d
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = sorted(((s - a.get(k, (0, 0))[1], c - a.get(k, (0, 0))[0], k) for k, (c, s) in b.items()), reverse=True)
print(f"live heap per open stream: {sum(r[0] for r in rows) / n:.0f} bytes ({n} streams open vs idle)")
for ds, dc, k in rows[:60]: print(f"{ds / n:8.0f} B {dc / n:6.2f} /stream  {k}")
