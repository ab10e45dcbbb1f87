#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""soak-report.py CONSOLE RESULT_JSON [--json OUT]: sum up a make soak run.

Adds up, over every round of the soak suite, the counters the programs
print as "# name: key=value ..." lines (device reads and writes, CPU
operations, audits, faults, collisions, -EBUSY walks, batch shrinks,
invalidations, ...), the fuzzer's (command, errno) counts, and the TAP
totals; takes the verdict (splats, leaks, suites) from run-vm.sh's result
JSON.  Prints a summary and writes it as JSON.
"""
import argparse
import collections
import json
import re
import sys

PAIR = re.compile(r"([A-Za-z][A-Za-z_ -]*?)=(\d+)")
MISMATCH = re.compile(r"audits=(\d+) \((\d+) with mismatches")
FUZZ = re.compile(r"^# ([A-Za-z_]+)\s+((?:[A-Z0-9]+=\d+\s*)+)$")
TOTALS = re.compile(r"^#\s*Totals:\s*(.*)$")
ROUND = re.compile(r"^# soak: round (\d+) seed (\d+)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("console")
    ap.add_argument("result")
    ap.add_argument("--json")
    a = ap.parse_args()
    lines = open(a.console, errors="replace").read().splitlines()
    begin = next((i for i, l in enumerate(lines) if "@@HMM-SUITE-BEGIN soak" in l), 0)
    end = next((i for i, l in enumerate(lines) if "@@HMM-SUITE-END soak" in l), len(lines))
    sums = collections.Counter()
    fuzz = collections.Counter()
    totals = collections.Counter()
    rounds, seeds, mism = 0, [], 0
    for line in lines[begin:end]:
        m = ROUND.match(line)
        if m:
            rounds = max(rounds, int(m.group(1)))
            seeds.append(int(m.group(2)))
            continue
        m = TOTALS.match(line)
        if m:
            for k, v in re.findall(r"(\w+):(\d+)", m.group(1)):
                totals[k] += int(v)
            continue
        m = FUZZ.match(line)
        if m:
            for e, n in re.findall(r"([A-Z0-9]+)=(\d+)", m.group(2)):
                fuzz[(m.group(1), e)] += int(n)
            continue
        if not line.startswith("# ") or ":" not in line:
            continue
        m = MISMATCH.search(line)
        if m:
            mism += int(m.group(2))
        body = line.split(":", 1)[1]
        for k, v in PAIR.findall(body):
            sums[k.strip()] += int(v)
    try:
        res = json.load(open(a.result))
    except (OSError, ValueError):
        res = {}
    out = {
        "rounds": rounds,
        "seeds": seeds,
        "tap_totals": dict(totals),
        "counters": dict(sorted(sums.items())),
        "audit_mismatches": mism,
        "fuzz_errnos": {f"{c} {e}": n for (c, e), n in sorted(fuzz.items())},
        "splats": res.get("splats", "unknown"),
        "kmemleak": res.get("kmemleak", "unknown"),
        "completed": res.get("completed", "unknown"),
    }
    print(f"soak: {rounds} rounds, TAP totals {dict(totals)}")
    print(f"audit mismatches: {mism}")
    for k, v in out["counters"].items():
        print(f"  {k:<24} {v}")
    if fuzz:
        print("fuzz (command errno count):")
        for k, v in out["fuzz_errnos"].items():
            print(f"  {k:<32} {v}")
    print(f"splats: {len(out['splats']) if isinstance(out['splats'], list) else out['splats']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
