# strings.py dump.hprof: java.lang.String instances counted by content (digits and UUIDs folded), pickled beside the dump
# (dump.hprof.strings) for comparing an idle dump with one taken with streams open. Reuses ../2026-12-07-ab/hprof.py.
import sys, collections
sys.argv = [sys.argv[0], sys.argv[1], '999999999']
import os
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '2026-12-07-ab', 'hprof.py')).read().split('# referrers of big byte[]')[0]
src = src.replace("walk(None, None)\n", "").split("tot = sum")[0]
exec(src)
walk(None, None)  # fills classes
# layout for String
def allfields(cid):
    out = []
    while cid in classes:
        sup, fl = classes[cid]; out += fl; cid = sup
    return out
sid = [c for c, n in classname.items() if n == 'java/lang/String'][0]
fl = allfields(sid)
strval = {}
def inst(oid, cid, p, nb):
    if cid != sid: return
    off = p
    for nid, ty in fl:
        if names.get(nid) == 'value': strval[oid] = Q.unpack_from(m, off)[0]; return
        off += tsz[ty]
walk(inst, None)
want = set(strval.values()); content = {}
def walkprim():
    for s, e in segs:
        p = s
        while p < e:
            t = m[p]; p += 1
            if t == 0xff or t == 5 or t == 7: p += 8
            elif t == 1: p += 16
            elif t in (2, 3, 8): p += 16
            elif t == 4 or t == 6: p += 12
            elif t == 0x20:
                p += 8 + 4 + 6 * 8 + 4
                n = struct.unpack_from('>H', m, p)[0]; p += 2
                for _ in range(n): ty = m[p + 2]; p += 3 + tsz[ty]
                n = struct.unpack_from('>H', m, p)[0]; p += 2
                for _ in range(n): ty = m[p + 8]; p += 9 + tsz[ty]
                n = struct.unpack_from('>H', m, p)[0]; p += 2 + 9 * n
            elif t == 0x21: nb = U4.unpack_from(m, p + 20)[0]; p += 24 + nb
            elif t == 0x22: cnt = U4.unpack_from(m, p + 12)[0]; p += 24 + cnt * 8
            elif t == 0x23:
                oid = Q.unpack_from(m, p)[0]; cnt = U4.unpack_from(m, p + 12)[0]; ty = m[p + 16]
                if oid in want: content[oid] = bytes(m[p + 17:p + 17 + min(cnt, 60)])
                p += 17 + cnt * tsz[ty]
walkprim()
c = collections.Counter()
for s, v in strval.items():
    b = content.get(v, b'?')
    key = b
    import re
    key = re.sub(rb'[0-9a-f]{8}-[0-9a-f-]{27}', b'<uuid>', key)
    key = re.sub(rb'\d+', b'<n>', key)
    c[key] += 1
import pickle; pickle.dump(c, open(sys.argv[1] + '.strings', 'wb'))
