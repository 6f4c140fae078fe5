#!/usr/bin/env python3
"""Turns a bench/run output folder (raw/*.jsonl, machine.txt) into results.md, latency.png and memory.png."""
import json
import subprocess
import sys
from pathlib import Path

TARGETS = {"p50_added_ms": 1.0, "p99_added_ms": 5.0, "ttft_added_ms": 2.0, "rss_mib": 512, "nginx_share": 0.5}


def rows(path):
    p = Path(path)
    return [json.loads(line) for line in p.read_text().splitlines() if line.strip()] if p.exists() else []


def by(rs, label, conns=None):
    for r in rs:
        if r["label"] == label and (conns is None or r.get("connections") == conns):
            return r
    return None


def ms(x):
    return "–" if x is None else f"{x:.2f}"


def errors(r):
    e = r.get("errors")
    return sum(e.values()) if isinstance(e, dict) else (e or 0)


def verdict(ok):
    return "met" if ok else "**missed**"


def nonstream_table(ns, out):
    out.append("| connections | upstream req/s | nginx req/s | gateway req/s | gateway ÷ upstream | gateway ÷ nginx "
               "| upstream p50 / p99 ms | nginx p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms | errors |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    conns = sorted({r["connections"] for r in ns if r["label"] == "gateway"})
    for c in conns:
        u, n, g = by(ns, "upstream", c), by(ns, "nginx", c), by(ns, "gateway", c)
        if not (u and n and g):
            continue
        lu, ln, lg = u["latency_ms"], n["latency_ms"], g["latency_ms"]
        out.append(f"| {c} | {u['rps']:.0f} | {n['rps']:.0f} | {g['rps']:.0f} | {g['rps'] / u['rps']:.2f} "
                   f"| {g['rps'] / n['rps']:.2f} | {ms(lu['p50'])} / {ms(lu['p99'])} | {ms(ln['p50'])} / {ms(ln['p99'])} "
                   f"| {ms(lg['p50'])} / {ms(lg['p99'])} | {ms(lg['p50'] - lu['p50'])} / {ms(lg['p99'] - lu['p99'])} "
                   f"| {errors(u)} / {errors(n)} / {errors(g)} |")
    return conns


def main(folder):
    d = Path(folder)
    ns, ttft = rows(d / "raw/nonstream.jsonl"), rows(d / "raw/ttft.jsonl")
    streams, sessions = rows(d / "raw/streams.jsonl"), rows(d / "raw/sessions.jsonl")
    out = ["# autoflow-gateway benchmark", "", "```", (d / "machine.txt").read_text().strip(), "```", ""]
    verdicts = []

    out += ["## Non-streaming chat, back to back (wrk, 1 thread)", "",
            "Throughput at saturation. Latency here is mostly queueing; judge latency at the steady load below.", ""]
    conns = nonstream_table(ns, out)
    top = max(conns) if conns else None
    if top:
        best_g = max(by(ns, "gateway", c)["rps"] for c in conns)
        best_n = max(by(ns, "nginx", c)["rps"] for c in conns)
        share = best_g / best_n
        verdicts.append(("Saturation throughput ≥ ½ of nginx's (best of each)", f"{share:.2f} × nginx "
                         f"({best_g:.0f} vs {best_n:.0f} req/s)", verdict(share >= TARGETS["nginx_share"])))

    us, nsx, gs = by(ns, "upstream-steady"), by(ns, "nginx-steady"), by(ns, "gateway-steady")
    if us and gs:
        lu, lg = us["latency_ms"], gs["latency_ms"]
        out += ["", "## Non-streaming chat, steady load (32 connections, ~1,000 req/s)", "",
                "| path | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |", "|---|---|---|---|---|---|---|---|"]
        for name, r in (("upstream", us), ("nginx", nsx), ("gateway", gs)):
            if r:
                l = r["latency_ms"]
                out.append(f"| {name} | {r['rps']:.0f} | {ms(l['p50'])} | {ms(l['p90'])} | {ms(l['p99'])} "
                           f"| {ms(l['p999'])} | {ms(l['max'])} | {errors(r)} |")
        a50, a99 = lg["p50"] - lu["p50"], lg["p99"] - lu["p99"]
        out += ["", f"Added by the gateway: **p50 {a50:.2f} ms, p99 {a99:.2f} ms**."]
        lean, lean_steady, g32 = by(ns, "gateway-lean", 32), by(ns, "gateway-lean-steady"), by(ns, "gateway", 32)
        if lean and lean_steady and g32:
            ll = lean_steady["latency_ms"]
            out += ["", "Observability's cost: the same gateway without Camel's route metrics "
                    "(`camel.metrics.enable-route-policy=false`), per-step JMX statistics "
                    "(`camel.main.jmx-management-statistics-level=RoutesOnly`) and events (`gateway.events.enabled=false`):", "",
                    "| gateway | req/s at 32 connections | steady p50 ms | steady p99 ms |", "|---|---|---|---|",
                    f"| defaults | {g32['rps']:.0f} | {ms(lg['p50'])} | {ms(lg['p99'])} |",
                    f"| lean | {lean['rps']:.0f} ({lean['rps'] / g32['rps']:.2f} ×) | {ms(ll['p50'])} | {ms(ll['p99'])} |"]
        verdicts.append(("Added latency at steady load ≤ 1 ms p50", f"{a50:.2f} ms", verdict(a50 <= 1.0)))
        verdicts.append(("Added latency at steady load ≤ 5 ms p99", f"{a99:.2f} ms", verdict(a99 <= 5.0)))

    tu, tg = by(ttft, "upstream"), by(ttft, "gateway")
    if tu and tg:
        a50 = tg["ttft_ms"]["p50"] - tu["ttft_ms"]["p50"]
        a99 = tg["ttft_ms"]["p99"] - tu["ttft_ms"]["p99"]
        out += ["", "## Time to first token (sequential streams)", "",
                "| path | streams | p50 ms | p90 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
        for name, r in (("upstream", tu), ("gateway", tg)):
            t = r["ttft_ms"]
            out.append(f"| {name} | {r['streams']} | {ms(t['p50'])} | {ms(t['p90'])} | {ms(t['p99'])} | {r['errors']} |")
        out += ["", f"Added by the gateway: **p50 {a50:.2f} ms, p99 {a99:.2f} ms**."]
        verdicts.append(("Added time to first token ≤ 2 ms (p50)", f"{a50:.2f} ms (p99 {a99:.2f} ms)",
                         verdict(a50 <= TARGETS["ttft_added_ms"])))

    if streams:
        out += ["", "## Concurrent open streams (gateway, -Xmx512m)", "",
                "| streams | completed | errors | error kinds | open at peak | RSS all open MiB | RSS peak MiB "
                "| heap used all open MiB | TTFT p50 / p99 ms |", "|---|---|---|---|---|---|---|---|---|"]
        for r in streams:
            t = r.get("ttft_ms") or {}
            out.append(f"| {r['streams']} | {r.get('ok', 0)} | {r.get('errors', 0)} | "
                       f"{json.dumps(r.get('error_kinds') or {})} | {r.get('open_peak', '–')} "
                       f"| {r.get('rss_at_all_open_mib') or '–'} | {r.get('rss_peak_mib') or '–'} "
                       f"| {r.get('heap_used_at_all_open_mib') or '–'} | {ms(t.get('p50'))} / {ms(t.get('p99'))} |")
        for r in streams:
            if r["streams"]:
                rss = r.get("rss_peak_mib") or 0
                verdicts.append((f"{r['streams']} open streams, zero errors, RSS < 512 MiB",
                                 f"{r.get('errors')} errors, peak RSS {rss} MiB",
                                 verdict(r.get("errors") == 0 and rss < TARGETS["rss_mib"])))

    if sessions:
        out += ["", "## Cost per request vs stored sessions (gateway, 32 connections)", "",
                "| run | req/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
        for r in sessions:
            l = r["latency_ms"]
            out.append(f"| {r['label']} | {r['rps']:.0f} | {ms(l['p50'])} | {ms(l['p99'])} | {errors(r)} |")
        small = [r for r in sessions if r["label"] == "sessions-100"]
        big = [r for r in sessions if r["label"].startswith("sessions-") and not r["label"].endswith("steady")
               and r["label"] != "sessions-100"]
        if small and big:
            ratio = big[0]["rps"] / small[0]["rps"]
            verdicts.append((f"Cost flat from 100 to {big[0]['label'][9:]} sessions",
                             f"throughput ratio {ratio:.2f}", verdict(ratio >= 0.9)))

    out += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in verdicts]
    out += ["", "![latency vs connections](latency.png)", "", "![memory vs open streams](memory.png)", ""]
    (d / "results.md").write_text("\n".join(out))
    charts(d, ns, streams, conns)


def charts(d, ns, streams, conns):
    data = d / "raw/latency.dat"
    with data.open("w") as f:
        for c in conns:
            vals = [by(ns, name, c) for name in ("upstream", "nginx", "gateway")]
            if all(vals):
                f.write(f"{c} " + " ".join(f"{v['latency_ms']['p50']} {v['latency_ms']['p99']}" for v in vals) + "\n")
    mem = d / "raw/memory.dat"
    with mem.open("w") as f:
        for r in streams:
            f.write(f"{r['streams']} {r.get('rss_at_all_open_mib') or 'NaN'} {r.get('rss_peak_mib') or 'NaN'} "
                    f"{r.get('heap_used_at_all_open_mib') or 'NaN'}\n")
    script = f"""
set terminal pngcairo size 900,560 font ",11"
set grid
set key top left
set output '{d}/latency.png'
set title 'Non-streaming chat: latency vs connections (back to back)'
set logscale x 2
set logscale y
set xlabel 'connections'
set ylabel 'latency (ms)'
plot '{data}' u 1:2 w lp t 'upstream p50', '' u 1:3 w lp dt 2 t 'upstream p99', \\
     '' u 1:4 w lp t 'nginx p50', '' u 1:5 w lp dt 2 t 'nginx p99', \\
     '' u 1:6 w lp lw 2 t 'gateway p50', '' u 1:7 w lp lw 2 dt 2 t 'gateway p99'
set output '{d}/memory.png'
set title 'Gateway memory vs concurrent open streams (-Xmx512m)'
unset logscale
set xlabel 'open streams'
set ylabel 'MiB'
set yrange [0:*]
plot '{mem}' u 1:2 w lp lw 2 t 'RSS with all open', '' u 1:3 w lp t 'RSS peak', \\
     '' u 1:4 w lp t 'heap used with all open', 512 w l dt 3 t '512 MiB'
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


if __name__ == "__main__":
    main(sys.argv[1])
