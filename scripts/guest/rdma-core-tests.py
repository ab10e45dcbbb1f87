#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Run rdma-core's own test suite (python3-pyverbs) as TAP, in the guest.

The suite ships gzipped under /usr/share/doc/rdma-core/tests: it is copied
into a temporary directory and gunzipped there at run time (nothing of it
lives in this repository).  Its modules run through unittest as
run_tests.py runs them, with a result class that prints one TAP line per
test case and a "# Totals:" line.  Test cases named in the exclusion file
("test.id  reason" per line) are not run: they are reported as skipped with
their reason, and the list is printed on every run.

usage: rdma-core-tests.py --dev rxe0 --gid 0 [--exclude FILE] MODULE...
"""
import argparse
import glob
import gzip
import os
import shutil
import sys
import tempfile
import time
import unittest
from importlib.machinery import SourceFileLoader

SRC = "/usr/share/doc/rdma-core/tests"


def unpack(dst):
    tdir = os.path.join(dst, "tests")
    shutil.copytree(SRC, tdir)
    for gz in glob.glob(os.path.join(tdir, "*.gz")):
        with gzip.open(gz, "rb") as f, open(gz[:-3], "wb") as out:
            shutil.copyfileobj(f, out)
        os.unlink(gz)
    return tdir


def read_exclusions(path):
    excl = {}
    if not path:
        return excl
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            excl[name] = reason.strip() or "no reason given"
    return excl


class TapResult(unittest.TestResult):
    """One TAP line per test case, as it ends."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.n = 0
        self.counts = {"pass": 0, "fail": 0, "skip": 0}
        self.t0 = 0.0

    def _line(self, test, ok, directive=""):
        self.n += 1
        name = test.id().replace("tests.", "", 1)
        took = time.monotonic() - self.t0
        print("%s %d %s%s" % ("ok" if ok else "not ok", self.n, name, directive))
        print("# %s: %.1f s" % (name, took))
        sys.stdout.flush()

    def startTest(self, test):
        super().startTest(test)
        self.t0 = time.monotonic()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.counts["pass"] += 1
        self._line(test, True)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.counts["skip"] += 1
        self._line(test, True, " # SKIP %s" % " ".join(str(reason).split()))

    def _bad(self, test, err):
        self.counts["fail"] += 1
        for line in self._exc_info_to_string(err, test).splitlines():
            print("# " + line)
        self._line(test, False)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.counts["pass"] += 1
        self._line(test, True)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.counts["fail"] += 1
        self._line(test, False)


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", required=True)
    ap.add_argument("--gid", default="0")
    ap.add_argument("--exclude")
    ap.add_argument("modules", nargs="+")
    opts = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="rdma-core-tests-")
    tdir = unpack(tmp)
    sys.path.insert(0, tdir)
    # The suite's own argument parser reads sys.argv, as run_tests.py does.
    sys.argv = [os.path.join(tdir, "run_tests.py"), "--dev", opts.dev,
                "--gid", str(opts.gid)]
    from args_parser import parser
    parser.parse_args()
    tests = SourceFileLoader("tests", os.path.join(tdir, "__init__.py")).load_module()

    excl = read_exclusions(opts.exclude)
    for name, reason in sorted(excl.items()):
        print("# excluded: %s: %s" % (name, reason))
    loader = unittest.TestLoader()
    result = TapResult()
    skipped_excl = []
    for mod in opts.modules:
        t0 = time.monotonic()
        before = dict(result.counts)
        for test in flatten(loader.loadTestsFromName("tests." + mod, tests)):
            name = test.id().replace("tests.", "", 1)
            if name in excl:
                result.counts["skip"] += 1
                result.n += 1
                print("ok %d %s # SKIP excluded: %s" % (result.n, name, excl[name]))
                skipped_excl.append(name)
                continue
            test(result)
        print("# module %s: %d passed, %d failed, %d skipped in %.1f s" % (
            mod, *(result.counts[k] - before[k] for k in ("pass", "fail", "skip")),
            time.monotonic() - t0))
    unused = sorted(set(excl) - set(skipped_excl))
    for name in unused:
        print("# exclusion matches no test case run here: %s" % name)
    c = result.counts
    print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0" % (
        c["pass"], c["fail"], c["skip"]))
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if c["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
