#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge the results of a make check into out/check/summary.json and print
the final "N passed, N failed, N skipped" line.  Exit 1 on any failure."""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--times", required=True)
    ap.add_argument("--failed-steps", default="")
    ap.add_argument("--json", required=True)
    a = ap.parse_args()
    steps = {}
    for line in open(a.times):
        name, secs, rc = line.split()
        steps[name] = {"wall_s": float(secs), "rc": int(rc)}
    summary = {"suites": {}, "splats": 0, "steps": steps, "vm": {},
               "failed_steps": a.failed_steps.split()}
    npass = nfail = nskip = 0
    for run in ("debug", "smallmem", "kcsan", "plain"):
        path = os.path.join(a.out, "vm", run, "result.json")
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        summary["vm"][run] = {"variant": r["variant"], "accel": r["accel"],
                              "wall_s": r["wall_s"], "boot_s": r["boot_s"],
                              "completed": r["completed"], "splats": r["splat_count"],
                              "tests_s": round(sum(s.get("time_s") or 0
                                                   for s in r["suites"].values()), 1)}
        summary["splats"] += r["splat_count"]
        if r.get("kcsan_other"):
            summary["vm"][run]["kcsan_reports_outside_series"] = len(r["kcsan_other"])
        for name, s in r["suites"].items():
            # The KCSAN kernel runs suites the debug kernel also runs.
            if run == "kcsan":
                name += "@kcsan"
            summary["suites"][name] = {"variant": r["variant"], "pass": s["pass"],
                                       "fail": s["fail"], "skip": s["skip"],
                                       "result": s["result"], "time_s": s.get("time_s"),
                                       "skipped": s.get("skipped", [])}
            npass += s["pass"]
            nfail += s["fail"] + s.get("error", 0)
            nskip += s["skip"]
    hs = os.path.join(a.out, "check", "harness-selftest.json")
    if os.path.exists(hs):
        h = json.load(open(hs))
        summary["suites"]["harness-selftest"] = dict(h, variant="plain",
                                                     result="pass" if h["pass"] else "fail")
        npass += h["pass"]
        nfail += h["fail"]
    summary["config_variants"] = sorted({v["variant"] for v in summary["vm"].values()})
    summary["accel"] = sorted({v["accel"] for v in summary["vm"].values()})
    ok = nfail == 0 and not summary["failed_steps"]
    # A step that failed without failing a test (a build, the precheck)
    # still counts as a failure.
    if summary["failed_steps"] and nfail == 0:
        nfail = len(summary["failed_steps"])
    summary.update({"passed": npass, "failed": nfail, "skipped": nskip,
                    "result": "pass" if ok else "fail"})
    with open(a.json, "w") as f:
        json.dump(summary, f, indent=1)
    print()
    for name, st in steps.items():
        print("  step %-18s %7.1fs %s" % (name, st["wall_s"], "ok" if st["rc"] == 0 else "FAILED"))
    for name, s in summary["suites"].items():
        print("  suite %-24s %-4s pass:%d fail:%d skip:%d (%s kernel)" % (
            name, s["result"].upper(), s["pass"], s["fail"], s["skip"], s["variant"]))
    if summary["failed_steps"]:
        print("  FAILED STEPS: " + ", ".join(summary["failed_steps"]))
    print("%d passed, %d failed, %d skipped" % (npass, nfail, nskip))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
