# awk -f phases.awk <-Xlog:gc+phases=debug,gc+age=trace log>: per young pause, uptime, evacuation ms, object copy ms, scan heap roots ms,
# dirty cards, old-to-young roots found, external root scanning ms, post-evacuation ms
function avg(s,  a) { split(s, a, "Avg: *"); split(a[2], a, ","); return a[1] }
{ id = $2 }
/Desired survivor/ { t[id] = $1 }
/Evacuate Collection Set: /  && !/Pre|Post/ { ev[id] = $NF }
/Object Copy/ { oc[id] = avg($0) }
/Scan Heap Roots \(ms\)/ { sh[id] = avg($0) }
/Ext Root Scanning/ { er[id] = avg($0) }
/Dirty Cards:/ { dc[id] = avg($0) }
/Found Roots:/ { fr[id] = avg($0) }
/Post Evacuate Collection Set:/ { pe[id] = $NF }
/ total$/ { }
END { for (k in ev) { n = k; gsub(/[^0-9]/, "", n); print n, t[k], "evac", ev[k], "copy", oc[k], "scanroots", sh[k], "dirty", dc[k], "roots", fr[k], "ext", er[k], "post", pe[k] } }
