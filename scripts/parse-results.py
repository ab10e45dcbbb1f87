#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse a test VM's console log: per-suite TAP totals and kernel splats.

The guest's /init frames each suite with @@HMM-SUITE-BEGIN/END markers.
Within a suite, kselftest "# Totals:" lines (or, failing that, TAP ok/not ok
lines) give the counts.  Every kernel log line of the whole boot is scanned
for splats; a single splat fails the run.  Exit status 0 only when every
suite passed (or skipped), no splat was seen and the VM finished.

  parse-results.py --log console.log [--json out.json] [...]
  parse-results.py --self-test
"""
import argparse
import json
import re
import sys

# A kernel log line on the console: "[   12.345678] message" (PRINTK_TIME).
KLINE = re.compile(r"\[\s*\d+\.\d+\]\s(.*)$")
SPLATS = [
    r"\bBUG:",                      # BUG:, BUG: KASAN:, BUG: sleeping ..., Bad page
    r"\bWARNING:",                  # WARN*(), lockdep and RCU reports
    r"\bKASAN\b",
    r"sleeping function called from invalid context",
    r"possible (circular|recursive) locking",
    r"inconsistent lock state",
    r"DEBUG_LOCKS_WARN_ON",
    r"INFO: (task .* blocked for more than|rcu.*stall|trying to register non-static key)",
    r"rcu: .*detected stalls",
    r"kmemleak: .*suspected memory leak",
    r"\bOops\b",
    r"Kernel panic",
    r"general protection fault",
    r"\bUBSAN:",
    r"list_(add|del) corruption",
]
SPLAT = re.compile("|".join("(?:%s)" % p for p in SPLATS))
# A KCSAN report (kcsan kernel variant) fails the run only when its title
# names the series' code: the framework, the two test devices, umem_odp and
# rxe's ODP path.  Other reports are data races the base kernel already
# has; they are listed, not counted.
KCSAN = re.compile(r"\bBUG: KCSAN:")
KCSAN_END = re.compile(r"^={20,}")
KCSAN_RAW = re.compile(r"\]\s+0x[0-9a-f]{8,16}\s*$")
KCSAN_SCOPE = re.compile(r"\b(mm_mirror_\w+|hmm_mirror\w*|hmt_\w+|dmirror\w*|"
                         r"hmm_dmirror\w*|\w*umem_odp\w*|rxe_\w*odp\w*|"
                         r"\w+_odp_\w+|test_hmm\w*)")
TOTALS = re.compile(r"^#\s*Totals:\s*(.*)$")
TAPLINE = re.compile(r"^(not ok|ok) \d+ (.*?)(?:\s+#\s*(SKIP|XFAIL)\b\s*(.*))?$")
MARK = re.compile(r"@@HMM-(\S+)(?: (\S+))?(.*)$")


def kv(s):
    return {k: v for k, v in re.findall(r"(\w+)[=:](\S+)", s)}


def kcsan_block(lines, i):
    """Index just past the KCSAN report that starts at lines[i]."""
    for j in range(i + 1, min(len(lines), i + 200)):
        m = KLINE.search(lines[j])
        if m and KCSAN_END.match(m.group(1)):
            return j + 1
    return min(len(lines), i + 200)


def scan_splats(lines, kcsan_other=None):
    """Indices of kernel log lines that start or are a splat.  KCSAN
    reports outside the series' code go to kcsan_other (title lines)."""
    hits = []
    in_leak = False
    skip_to = 0
    for i, line in enumerate(lines):
        if i < skip_to:
            continue
        if "@@HMM-KMEMLEAK-BEGIN" in line:
            in_leak = True
        elif "@@HMM-KMEMLEAK-END" in line:
            in_leak = False
        if in_leak and line.startswith("unreferenced object"):
            hits.append(i)
            continue
        m = KLINE.search(line)
        if m and KCSAN.search(m.group(1)):
            skip_to = kcsan_block(lines, i)
            # The title names the functions that made the two accesses
            # (inlined helpers folded into their callers): the series'
            # code races only if it is one of them.  A race inside core
            # mm that the series' code merely called into (a page fault
            # from hmm_range_fault() against a zap) is core mm's.  Frames
            # without symbol names (no KALLSYMS) cannot be placed: count.
            if (KCSAN_SCOPE.search(m.group(1)) or
                    any(KCSAN_RAW.search(x) for x in lines[i:skip_to])):
                hits.append(i)
            elif kcsan_other is not None:
                kcsan_other.append(m.group(1).strip())
            continue
        if m and SPLAT.search(m.group(1)):
            hits.append(i)
    return hits


def parse_suite(body):
    res = {"pass": 0, "fail": 0, "skip": 0, "error": 0, "skipped": [],
           "failed": [], "totals": False}
    tap = {"pass": 0, "fail": 0, "skip": 0}
    for line in body:
        if KLINE.search(line) and not line.lstrip().startswith(("ok", "not ok", "#")):
            continue
        line = line.strip()
        m = TOTALS.match(line)
        if m:
            t = {k: int(v) for k, v in kv(m.group(1)).items() if v.isdigit()}
            res["totals"] = True
            res["pass"] += t.get("pass", 0) + t.get("xfail", 0)
            res["fail"] += t.get("fail", 0) + t.get("xpass", 0)
            res["skip"] += t.get("skip", 0)
            res["error"] += t.get("error", 0)
            continue
        m = TAPLINE.match(line)
        if m:
            status, name, directive, reason = m.groups()
            if directive == "SKIP":
                tap["skip"] += 1
                res["skipped"].append("%s: %s" % (name, reason or "no reason given"))
            elif status == "ok" or directive == "XFAIL":
                tap["pass"] += 1
            else:
                tap["fail"] += 1
                res["failed"].append(name)
    if not res["totals"]:
        res.update(tap)
    return res


def parse(text):
    lines = text.splitlines()
    out = {"completed": False, "boot_s": None, "suites": {}, "order": []}
    cur = None
    body = []
    for i, line in enumerate(lines):
        m = MARK.search(line)
        if not m:
            if cur is not None:
                body.append(line)
            continue
        what, name, rest = m.group(1), m.group(2), m.group(3)
        info = kv(rest or "")
        if what == "INIT":
            out["boot_s"] = float(kv(line).get("uptime", 0))
        elif what == "SUITE-BEGIN":
            cur = name
            body = []
            out["suites"][name] = {"begin": float(info.get("uptime", 0)), "start_line": i}
            out["order"].append(name)
        elif what == "SUITE-END" and name in out["suites"]:
            s = out["suites"][name]
            s.update(parse_suite(body))
            s["rc"] = int(info.get("rc", -1))
            s["time_s"] = round(float(info.get("uptime", 0)) - s.pop("begin"), 1)
            s["end_line"] = i
            cur = None
        elif what == "DONE":
            out["completed"] = True
        elif what == "MODULE-FAIL":
            out.setdefault("module_failures", []).append(name)
    if cur is not None:  # the VM died inside a suite
        s = out["suites"][cur]
        s.update(parse_suite(body))
        s.pop("begin", None)
        s["rc"] = -1
        s["end_line"] = len(lines) - 1
    for name, s in out["suites"].items():
        ok = s["rc"] in (0, 4) and s["fail"] == 0 and s["error"] == 0
        if name == "run" and s["pass"] + s["fail"] + s["skip"] == 0:
            # make vm RUN=prog: a reproducer need not speak TAP.
            s["result"] = "pass" if s["rc"] == 0 else "fail"
            continue
        if s["rc"] == 4 and s["pass"] == 0 and s["fail"] == 0:
            s["result"] = "skip"
        elif ok and (s["pass"] + s["skip"]) > 0:
            s["result"] = "pass"
        else:
            s["result"] = "fail"
            if s["pass"] + s["fail"] + s["skip"] == 0:
                s["why"] = "no TAP output"
    other = []
    hits = scan_splats(lines, other)
    out["kcsan_other"] = other
    out["splats"] = [lines[i].strip() for i in hits]
    out["splat_lines"] = hits
    return out, lines


def excerpt(lines, i, before=3, after=30):
    return "\n".join("    | " + l for l in lines[max(0, i - before):i + after])


def report(out, lines, args):
    ok = True
    for name in out["order"]:
        s = out["suites"][name]
        print("  suite %-24s %-4s pass:%d fail:%d skip:%d  (%.1fs, rc=%d)%s" % (
            name, s["result"].upper(), s["pass"], s["fail"], s["skip"],
            s.get("time_s", 0) or 0, s["rc"], "  " + s["why"] if "why" in s else ""))
        for sk in s["skipped"][:50]:
            print("      skip: " + sk)
        if s["result"] == "fail":
            ok = False
            for f in s["failed"]:
                print("      FAILED: " + f)
            start, end = s["start_line"], s["end_line"]
            tail = lines[max(start, end - 40):end + 1]
            print("    last lines of the suite:")
            print("\n".join("    | " + l for l in tail))
    for want in [x for x in args.suites.split(",") if x]:
        if want not in out["suites"]:
            ok = False
            print("  suite %-24s FAIL  never started" % want)
    if out.get("module_failures"):
        ok = False
        print("  module load failed: " + ", ".join(out["module_failures"]))
    if not out["completed"]:
        ok = False
        print("  VM DID NOT FINISH (qemu rc=%s): panic, hang or timeout; log tail:" % args.qemu_rc)
        print("\n".join("    | " + l for l in lines[-40:]))
    if out["kcsan_other"]:
        print("  %d KCSAN report(s) outside the series' code (not counted):" %
              len(out["kcsan_other"]))
        for t in sorted(set(out["kcsan_other"])):
            print("      %dx %s" % (out["kcsan_other"].count(t), t))
    if out["splats"]:
        ok = False
        print("  %d SPLAT LINE(S) in the kernel log:" % len(out["splats"]))
        shown = -100
        for i in out["splat_lines"]:
            if i - shown > 30:
                print(excerpt(lines, i))
                print("    ----")
                shown = i
    return ok


def self_test():
    """The scanner catches every kind of splat and nothing benign."""
    bad = [
        "[   1.000000] BUG: KASAN: slab-use-after-free in foo+0x1/0x2",
        "[   1.000000] WARNING: CPU: 0 PID: 1 at mm/hmm_mirror.c:1 f+0x0/0x1",
        "[   1.000000] WARNING: possible circular locking dependency detected",
        "[   1.000000] BUG: sleeping function called from invalid context at x.c:1",
        "[   1.000000] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
        "[   1.000000] Oops: general protection fault, probably for non-canonical address",
        "[   1.000000] Kernel panic - not syncing: Fatal exception",
        "[   1.000000] INFO: task hmm-tests:77 blocked for more than 120 seconds.",
        "[   1.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
        "ok 3 hmm.x.y[   1.000000] BUG: unable to handle page fault for address: 0",
    ]
    good = [
        "[   1.000000] test_hmm: loaded",
        "ok 1 hmm.hmm_device_private.open_close",
        "# WARNING: a test may print this without being the kernel",
        "[   1.000000] kmemleak: Kernel memory leak detector initialized (mem pool available: 1)",
    ]
    errs = 0
    for line in bad:
        if not scan_splats([line]):
            print("self-test: MISSED splat: " + line)
            errs += 1
    for line in good:
        if scan_splats([line]):
            print("self-test: FALSE splat: " + line)
            errs += 1
    leak = ["@@HMM-KMEMLEAK-BEGIN uptime=1", "unreferenced object 0xffff888 (size 64):",
            "@@HMM-KMEMLEAK-END uptime=2"]
    if len(scan_splats(leak)) != 1:
        print("self-test: kmemleak report missed")
        errs += 1
    def race(fn, off="+0x1/0x2"):
        return ["[   1.000000] ==================================================================",
                "[   1.000000] BUG: KCSAN: data-race in %s / foo_bar" % fn,
                "[   1.000000] write to 0xffff888 of 8 bytes by task 1 on cpu 0:",
                "[   1.000000]  %s%s" % (fn, off),
                "[   1.000000] ==================================================================",
                "[   1.000000] test_hmm: loaded"]
    other = []
    if len(scan_splats(race("mm_mirror_fault"), other)) != 1 or other:
        print("self-test: KCSAN report in the series' code missed")
        errs += 1
    if scan_splats(race("tick_sched_do_timer"), other) or len(other) != 1:
        print("self-test: KCSAN report outside the series counted or lost")
        errs += 1
    deep = race("__handle_mm_fault")
    deep.insert(4, "[   1.000000]  mm_mirror_range_fault+0x1/0x2")
    if scan_splats(deep):
        print("self-test: KCSAN report in core mm counted for a caller in the series")
        errs += 1
    if len(scan_splats(race("0xffffffff8131c99c", ""))) != 1:
        print("self-test: KCSAN report without symbol names not counted")
        errs += 1
    log = "\n".join(["@@HMM-INIT uptime=1.0", "@@HMM-SUITE-BEGIN a uptime=1",
                     "ok 1 a.x", "ok 2 a.y # SKIP no device", "not ok 3 a.z",
                     "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0",
                     "@@HMM-SUITE-END a rc=1 uptime=2", "@@HMM-DONE uptime=3"])
    out, _ = parse(log)
    a = out["suites"]["a"]
    if (a["pass"], a["fail"], a["skip"], a["result"]) != (1, 1, 1, "fail") or not out["completed"]:
        print("self-test: TAP parse wrong: %r" % a)
        errs += 1
    print("parse-results self-test: %s (%d splat patterns, %d cases)" % (
        "ok" if not errs else "FAILED", len(SPLATS), len(bad) + len(good) + 6))
    return 1 if errs else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log")
    ap.add_argument("--json")
    ap.add_argument("--variant", default="")
    ap.add_argument("--accel", default="")
    ap.add_argument("--qemu-rc", default="0")
    ap.add_argument("--wall", type=float, default=0.0)
    ap.add_argument("--suites", default="")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    text = open(args.log, encoding="utf-8", errors="replace").read()
    out, lines = parse(text)
    print("VM %s (%s): wall %.0fs, boot to /init %ss" % (
        args.variant, args.accel, args.wall, out["boot_s"]))
    ok = report(out, lines, args)
    out.update({"variant": args.variant, "accel": args.accel, "wall_s": round(args.wall, 1),
                "qemu_rc": int(args.qemu_rc), "ok": ok, "splat_count": len(out["splats"])})
    for s in out["suites"].values():
        for k in ("start_line", "end_line", "totals"):
            s.pop(k, None)
    out.pop("splat_lines", None)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    print("VM result: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
