# refs.py <dump.hprof> <class>...: which fields and arrays hold the instances of those classes (e.g. org.apache.camel.support.DefaultExchange).
# python3 refs.py dump.hprof ClassName...  -> referrer fields of instances of those classes (instances and object arrays)
import sys, collections
sys.argv = [sys.argv[0], sys.argv[1], '999999999'] + sys.argv[2:]
targets_names = set(a.replace('.', '/') for a in sys.argv[3:])
exec(open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'hprof.py')).read().split('# referrers of big byte[]')[0].replace("walk(None, None)\n", "").split("tot = sum")[0])
tid = {}
def inst0(oid, cid, p, nb):
    n = classname.get(cid)
    if n in targets_names: tid[oid] = n
def arr0(oid, acid, p, cnt):
    n = classname.get(acid)
    if n in targets_names: tid[oid] = n
walk(inst0, arr0)
print('instances', collections.Counter(tid.values()))
refby = collections.Counter()
def inst(oid, cid, p, nb):
    off = p
    for nid, ty in fields(cid):
        if ty == 2:
            r = Q.unpack_from(m, off)[0]
            if r in tid: refby[tid[r] + ' <- ' + classname.get(cid, '?') + '.' + names.get(nid, '?')] += 1
        off += tsz[ty]
def arr(oid, acid, p, cnt):
    for i in range(cnt):
        r = Q.unpack_from(m, p + 8 * i)[0]
        if r in tid: refby[tid[r] + ' <- ' + classname.get(acid, '?')] += 1
walk(inst, arr)
for k, v in refby.most_common(30): print(' ', v, k)
