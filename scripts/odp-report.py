#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""odp-report.py: the RDMA ODP figures of a make bench run.

Reads the console log of the guest that ran scripts/guest/odp-bench.sh
("@@ODP-BENCH {json}" per perftest run, "# ODP-STORM {json}" per storm of
odp_stress), takes the median over repetitions, adds the ratio ODP MR /
pinned MR of the same boot, stores everything under the key "odp" of
results.json (creating it if needed) and prints a table.

With --baseline logs (the same passes on the kernel without the RDMA ODP
conversion, same make bench run), it also compares the two kernels: ODP
bandwidth and latency (medians over every run of each kernel, within 5%
expected) and, per odp_stress storm, completions (median ok count, no
fewer expected) and p99 latency (median, no higher expected).
"""
import argparse
import json
import os
import statistics
import sys

BW_KEYS = ["bw_avg_mbs", "msg_rate_mpps"]
LAT_KEYS = ["t_typical_us", "t_avg_us", "p99_us", "p999_us", "t_max_us", "t_min_us"]


def parse(logs):
    """Perftest runs, storms and errors of all logs; storms also per log.
    odp_stress measures a quiet phase ("# ODP-BASELINE") right before each
    storm: it is kept with the storm, under "quiet_before"."""
    runs, storms, errors, boots = [], [], [], []
    for log in logs:
        boots.append([])
        quiet = None
        with open(log, errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("@@ODP-BENCH "):
                    r = json.loads(line.split(" ", 1)[1])
                    (errors if "error" in r else runs).append(r)
                elif line.startswith("# ODP-BASELINE "):
                    quiet = json.loads(line.split(" ", 2)[2])
                elif line.startswith("# ODP-STORM "):
                    st = json.loads(line.split(" ", 2)[2])
                    if quiet:
                        st["quiet_before"] = {k: quiet[k] for k in ("ok", "p99_us")}
                    quiet = None
                    boots[-1].append(st)
        storms += boots[-1]
    return runs, storms, errors, boots


def storm_medians(storms):
    by = {}
    for st in storms:
        by.setdefault(st["storm"], []).append(st)
    return {name: {"rounds": len(v),
                   "ok": statistics.median(x["ok"] for x in v),
                   "p99_us": statistics.median(x["p99_us"] for x in v),
                   "oracle_fail": sum(x["oracle_fail"] for x in v)}
            for name, v in by.items()}


def normalized(boots):
    """Per boot, each storm's completions and p99 over the quiet phase that
    odp_stress ran right before it (else over the boot's first quiet
    phase): the speed of a TCG guest varies by tens of percent from one
    boot to the next, and within a boot, and this cancels most of it.
    Median and range over the boots."""
    per = {}
    for storms in boots:
        by = {st["storm"]: st for st in storms}
        for name, st in by.items():
            q = st.get("quiet_before") or by.get("quiet")
            if not q or not q["ok"] or not q["p99_us"]:
                continue
            e = per.setdefault(name, {"ok": [], "p99": []})
            e["ok"].append(st["ok"] / q["ok"])
            e["p99"].append(st["p99_us"] / q["p99_us"])
    return {name: {k: {"median": round(statistics.median(v), 3), "min": round(min(v), 3),
                       "max": round(max(v), 3)} for k, v in e.items()}
            for name, e in per.items()}


def compare(rows, base_rows, storms, base_storms):
    """Converted kernel vs baseline kernel, same run."""
    out = {"perftest": [], "storms": []}
    base = {(r["kind"], r["tool"], r["mr"], r["size"]): r for r in base_rows}
    for r in rows:
        b = base.get((r["kind"], r["tool"], r["mr"], r["size"]))
        if r["mr"] != "odp" or not b:
            continue
        if r["kind"] == "lat":
            key, ok = "t_typical_us", lambda x: x <= 1.05
        else:
            key, ok = "bw_avg_mbs", lambda x: x >= 0.95
        if not b[key]:
            continue
        ratio = round(r[key] / b[key], 3)
        out["perftest"].append({"kind": r["kind"], "tool": r["tool"], "size": r["size"],
                                "key": key, "converted": r[key], "baseline": b[key],
                                "ratio": ratio, "within_5pct": ok(ratio)})
    cs, bs = storm_medians(storms), storm_medians(base_storms)
    for name, c in cs.items():
        b = bs.get(name)
        if not b:
            continue
        out["storms"].append({"storm": name, "ok": c["ok"], "ok_baseline": b["ok"],
                              "p99_us": c["p99_us"], "p99_us_baseline": b["p99_us"],
                              "oracle_fail": c["oracle_fail"],
                              "oracle_fail_baseline": b["oracle_fail"],
                              "ok_not_fewer": c["ok"] >= b["ok"],
                              "p99_not_higher": c["p99_us"] <= b["p99_us"]})
    return out


def compare_table(cmp, meta):
    lines = ["", "RDMA ODP conversion vs baseline kernel (%s), same run, medians"
             % meta.get("baseline", "?")]
    for x in cmp["perftest"]:
        lines.append(f'  {x["kind"]:<6}{x["tool"]:<14}{x["size"]:>8} B  {x["key"]:<13}'
                     f' converted {x["converted"]:9.2f}  baseline {x["baseline"]:9.2f}'
                     f'  ratio {x["ratio"]:.3f}  {"ok" if x["within_5pct"] else "MISS (5%)"}')
    for x in cmp["storms"]:
        lines.append(f'  storm {x["storm"]:<12} ok {x["ok"]:>8} vs {x["ok_baseline"]:>8}'
                     f'  p99 {x["p99_us"]:9.1f} vs {x["p99_us_baseline"]:9.1f} us'
                     f'  oracle_fail {x["oracle_fail"]} vs {x["oracle_fail_baseline"]}'
                     f'  {"ok" if x["ok_not_fewer"] and x["p99_not_higher"] else "worse"}')
    norm = cmp.get("normalized")
    if norm:
        lines.append("  per boot, storm over the quiet phase run just before it"
                     " (median [min-max] over boots), converted vs baseline:")
        for name, c in norm["converted"].items():
            b = norm["baseline"].get(name)
            if name == "quiet" or not b:
                continue
            lines.append(f'    {name:<12} ok {c["ok"]["median"]:.3f} [{c["ok"]["min"]:.2f}-{c["ok"]["max"]:.2f}]'
                         f' vs {b["ok"]["median"]:.3f} [{b["ok"]["min"]:.2f}-{b["ok"]["max"]:.2f}]'
                         f'   p99 {c["p99"]["median"]:.2f} [{c["p99"]["min"]:.2f}-{c["p99"]["max"]:.2f}]'
                         f' vs {b["p99"]["median"]:.2f} [{b["p99"]["min"]:.2f}-{b["p99"]["max"]:.2f}]')
    return "\n".join(lines)


def medians(runs):
    groups = {}
    for r in runs:
        groups.setdefault((r["kind"], r["tool"], r["mr"], r["size"]), []).append(r)
    out = []
    for (kind, tool, mr, size), rs in sorted(groups.items()):
        keys = LAT_KEYS if kind == "lat" else BW_KEYS
        row = {"kind": kind, "tool": tool, "mr": mr, "size": size,
               "iters": rs[0]["iters"], "reps": len(rs)}
        for k in keys:
            vals = [r[k] for r in rs]
            row[k] = statistics.median(vals)
            row[k + "_min"] = min(vals)
            row[k + "_max"] = max(vals)
        out.append(row)
    return out


def ratios(rows):
    by = {(r["kind"], r["tool"], r["mr"], r["size"]): r for r in rows}
    out = []
    for r in rows:
        if r["mr"] != "odp":
            continue
        ref = by.get((r["kind"], r["tool"], "pinned", r["size"]))
        if not ref:
            continue
        if r["kind"] == "lat":
            key, meaning = "t_typical_us", "ODP latency / pinned latency"
        else:
            key, meaning = "bw_avg_mbs", "ODP bandwidth / pinned bandwidth"
        if ref[key]:
            out.append({"kind": r["kind"], "tool": r["tool"], "size": r["size"],
                        "ratio": round(r[key] / ref[key], 3), "meaning": meaning})
    return out


def table(rows, rats, storms, errors):
    lines = ["perftest on rxe0 (medians; ODP MR vs pinned MR, same boot)"]
    rat = {(x["kind"], x["tool"], x["size"]): x["ratio"] for x in rats}
    for r in rows:
        if r["kind"] == "lat":
            fig = (f'typical {r["t_typical_us"]:9.2f} us  p99 {r["p99_us"]:9.2f} us'
                   f'  max {r["t_max_us"]:9.2f} us')
        else:
            fig = (f'{r["bw_avg_mbs"]:9.2f} MB/s  (min {r["bw_avg_mbs_min"]:.2f},'
                   f' max {r["bw_avg_mbs_max"]:.2f})')
        x = rat.get((r["kind"], r["tool"], r["size"])) if r["mr"] == "odp" else None
        lines.append(f'  {r["kind"]:<6}{r["tool"]:<14}{r["mr"]:<7}{r["size"]:>8} B  {fig}'
                     + (f'  odp/pinned {x:.3f}' if x is not None else ""))
    for e in errors:
        lines.append(f'  ERROR {e["kind"]} {e["tool"]} {e["mr"]} {e["size"]} B: {e["error"]}')
    if storms:
        lines.append("odp_stress storms (completions by status, latency per work request)")
        for s in storms:
            lines.append("  " + " ".join(f"{k}={v}" for k, v in s.items()))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log", nargs="+")
    ap.add_argument("--baseline", action="append", default=[],
                    help="console log of the same pass on the baseline kernel")
    ap.add_argument("--results", required=True, help="results.json to add the 'odp' key to")
    ap.add_argument("--meta", action="append", default=[])
    a = ap.parse_args()
    runs, storms, errors, boots = parse(a.log)
    if not runs and not storms:
        print(f"odp-report: no @@ODP-BENCH nor ODP-STORM line in {a.log}", file=sys.stderr)
        return 1
    rows = medians(runs)
    odp = {"perftest": rows, "ratios": ratios(rows), "storms": storms,
           "errors": errors, "meta": dict(kv.partition("=")[::2] for kv in a.meta)}
    extra = ""
    if a.baseline:
        bruns, bstorms, berrors, bboots = parse(a.baseline)
        odp["baseline"] = {"perftest": medians(bruns), "storms": bstorms, "errors": berrors}
        odp["conversion"] = compare(rows, odp["baseline"]["perftest"], storms, bstorms)
        odp["conversion"]["normalized"] = {"converted": normalized(boots),
                                           "baseline": normalized(bboots)}
        extra = compare_table(odp["conversion"], odp["meta"])
    doc = {}
    if os.path.exists(a.results):
        with open(a.results) as f:
            doc = json.load(f)
    doc["odp"] = odp
    with open(a.results, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(table(rows, odp["ratios"], storms, errors) + extra)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
