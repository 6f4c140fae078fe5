# hprof.py <dump.hprof> [min bytes]: byte[] sizes in a heap dump (jcmd <pid> GC.heap_dump), and which fields hold the byte[]s of at least min bytes.
# Used for the tenth run's per-stream heap (bench/README.md, "Concurrent streams and memory"); refs.py names the referrers of other classes.
import sys, struct, collections, mmap
f = open(sys.argv[1], 'rb'); m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
end_hdr = m.find(b'\0') + 1
idsz = struct.unpack('>I', m[end_hdr:end_hdr+4])[0]; assert idsz == 8
pos = end_hdr + 12
names = {}; classname = {}; classes = {}  # classid -> (super, [(nameid,type)])
tsz = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
segs = []
while pos < len(m):
    tag = m[pos]; ln = struct.unpack('>I', m[pos+5:pos+9])[0]; body = pos + 9
    if tag == 1: names[struct.unpack('>Q', m[body:body+8])[0]] = m[body+8:body+ln].decode('utf8', 'replace')
    elif tag == 2:
        cid, nid = struct.unpack('>Q', m[body+4:body+12])[0], struct.unpack('>Q', m[body+16:body+24])[0]
        classname[cid] = names.get(nid, '?')
    elif tag in (0x0c, 0x1c): segs.append((body, body + ln))
    pos = body + ln
U4 = struct.Struct('>I'); Q = struct.Struct('>Q')
big = {}  # byte[] id -> len
bsizes = collections.Counter(); samples = collections.defaultdict(list)
minlen = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
def walk(cb_inst, cb_arr, cb_prim=None):  # cb_prim(oid, type, offset, count): primitive arrays
    for s, e in segs:
        p = s
        while p < e:
            t = m[p]; p += 1
            if t == 0xff or t == 5 or t == 7: p += 8
            elif t == 1: p += 16
            elif t in (2, 3, 8): p += 16
            elif t == 4 or t == 6: p += 12
            elif t == 0x20:
                cid = Q.unpack_from(m, p)[0]; sup = Q.unpack_from(m, p + 12)[0]; p += 8 + 4 + 6 * 8 + 4
                n = struct.unpack_from('>H', m, p)[0]; p += 2
                for _ in range(n): ty = m[p + 2]; p += 3 + tsz[ty]
                n = struct.unpack_from('>H', m, p)[0]; p += 2
                for _ in range(n): ty = m[p + 8]; p += 9 + tsz[ty]
                n = struct.unpack_from('>H', m, p)[0]; p += 2
                fl = []
                for _ in range(n): fl.append((Q.unpack_from(m, p)[0], m[p + 8])); p += 9
                classes[cid] = (sup, fl)
            elif t == 0x21:
                oid = Q.unpack_from(m, p)[0]; cid = Q.unpack_from(m, p + 12)[0]; nb = U4.unpack_from(m, p + 20)[0]
                if cb_inst: cb_inst(oid, cid, p + 24, nb)
                p += 24 + nb
            elif t == 0x22:
                oid = Q.unpack_from(m, p)[0]; cnt = U4.unpack_from(m, p + 12)[0]; acid = Q.unpack_from(m, p + 16)[0]
                if cb_arr: cb_arr(oid, acid, p + 24, cnt)
                p += 24 + cnt * 8
            elif t == 0x23:
                oid = Q.unpack_from(m, p)[0]; cnt = U4.unpack_from(m, p + 12)[0]; ty = m[p + 16]
                if cb_prim: cb_prim(oid, ty, p + 17, cnt)
                if ty == 8:
                    bsizes[cnt] += 1
                    if cnt >= minlen:
                        big[oid] = cnt
                        if len(samples[cnt]) < 3: samples[cnt].append(bytes(m[p + 17:p + 17 + min(cnt, 80)]))
                p += 17 + cnt * tsz[ty]
            else: raise Exception('tag %x at %d' % (t, p))
# A class's instance fields in dump order: its own, then its superclasses'.
layout = {}
def fields(cid):
    if cid in layout: return layout[cid]
    out = []; c = cid
    while c and c in classes:
        sup, fl = classes[c]; out.extend(fl); c = sup
    layout[cid] = out; return out
walk(None, None)
tot = sum(k * v for k, v in bsizes.items())
print('byte[] total', tot, 'count', sum(bsizes.values()))
print('by size (bytes total) top:')
for k, v in sorted(bsizes.items(), key=lambda kv: -kv[0] * kv[1])[:25]: print(' ', k, 'x', v, '=', k * v)
for k in sorted(samples, key=lambda k: -k * bsizes[k])[:8]: print('sample', k, samples[k][:2])
# referrers of big byte[]
refby = collections.Counter(); refbytes = collections.Counter()
def inst(oid, cid, p, nb):
    off = p
    for nid, ty in fields(cid):
        if ty == 2:
            r = Q.unpack_from(m, off)[0]
            if r in big: k = classname.get(cid, '?') + '.' + names.get(nid, '?'); refby[k] += 1; refbytes[k] += big[r]
        off += tsz[ty]
def arr(oid, acid, p, cnt):
    for i in range(cnt):
        r = Q.unpack_from(m, p + 8 * i)[0]
        if r in big: k = classname.get(acid, '?') + '[]'; refby[k] += 1; refbytes[k] += big[r]
walk(inst, arr)
print('referrers of byte[] >=', minlen)
for k, v in refbytes.most_common(25): print(' ', v, refby[k], k)
