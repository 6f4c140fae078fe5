# strings.py dump.hprof: java.lang.String instances counted by content (digits and UUIDs folded), pickled beside the dump
# (dump.hprof.strings) for comparing an idle dump with one taken with streams open. Reuses ../2026-12-07-ab/hprof.py.
import sys, os, re, pickle, collections
sys.argv = [sys.argv[0], sys.argv[1], '999999999']
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '2026-12-07-ab', 'hprof.py')).read()
exec(src.split('# referrers of big byte[]')[0].replace("walk(None, None)\n", "").split("tot = sum")[0])
walk(None, None)  # reads the class layouts
sid = next(c for c, n in classname.items() if n == 'java/lang/String')
value_at = 0
for nid, ty in fields(sid):
    if names.get(nid) == 'value': break
    value_at += tsz[ty]
strval = {}  # String id -> its value array's id
def inst(oid, cid, p, nb):
    if cid == sid: strval[oid] = Q.unpack_from(m, p + value_at)[0]
walk(inst, None)
want = set(strval.values()); content = {}
def prim(oid, ty, p, cnt):
    if oid in want: content[oid] = bytes(m[p:p + min(cnt, 60)])
walk(None, None, prim)
c = collections.Counter()
for v in strval.values():
    key = re.sub(rb'[0-9a-f]{8}-[0-9a-f-]{27}', b'<uuid>', content.get(v, b'?'))
    c[re.sub(rb'\d+', b'<n>', key)] += 1
pickle.dump(c, open(sys.argv[1] + '.strings', 'wb'))
