#!/usr/bin/env python3
"""Sums up the PIT reports of `mvn -B -Pmutation verify` (README, "Building and testing").

Reads every mutations.xml under core, memory-store and jdbc-store's target/pit-reports (or under
the directory given) and prints the mutation score
(mutants detected / mutants) per module and per class, then every mutant that was not detected.
A mutant counts as detected when PIT says so (killed, timed out, or the test JVM died of it); the
module lines also show the count of each status, so that timeouts are visible.
Usage: python3 pit-summary.py [reports-dir]
"""
import collections
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = os.path.dirname(os.path.abspath(__file__))
dirs = sys.argv[1:] or [os.path.join(root, m, "target", "pit-reports") for m in ("core", "memory-store", "jdbc-store")]
files = sorted(f for d in dirs for f in glob.glob(os.path.join(d, "**", "mutations.xml"), recursive=True))
if not files:
    sys.exit("no mutations.xml under " + ", ".join(dirs) + ": run mvn -B -Pmutation verify first")


def module(cls):
    if cls.startswith("dev.latchkey.memory."):
        return "memory-store"
    if cls.startswith("dev.latchkey.jdbc."):
        return "jdbc-store"
    return "core"


by_module = collections.defaultdict(lambda: [0, 0])
statuses = collections.defaultdict(collections.Counter)
by_class = collections.defaultdict(lambda: [0, 0])
undetected = []
for path in files:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        print(f"skipped {path}: not a complete report (run still going, or interrupted)")
        continue
    for m in root.iter("mutation"):
        cls = m.findtext("mutatedClass").split("$")[0]
        detected = m.get("detected") == "true"
        statuses[module(cls)][m.get("status")] += 1
        for table, key in ((by_module, module(cls)), (by_class, cls)):
            table[key][0] += detected
            table[key][1] += 1
        if not detected:
            undetected.append((cls, int(m.findtext("lineNumber")), m.get("status"),
                               m.findtext("mutator").rsplit(".", 1)[-1], m.findtext("mutatedMethod"),
                               m.findtext("description")))


def pct(d, n):
    return f"{100.0 * d / n:5.1f}%" if n else "  n/a"


print("module           detected / mutants   score   (by status)")
for name in ("core", "memory-store", "jdbc-store"):
    d, n = by_module.get(name, (0, 0))
    detail = ", ".join(f"{k.lower()} {v}" for k, v in sorted(statuses[name].items()))
    print(f"{name:16} {d:8} / {n:<8}  {pct(d, n)}   ({detail})")
print()
print("class                                                  detected / mutants   score")
for cls in sorted(by_class):
    d, n = by_class[cls]
    print(f"{cls:54} {d:8} / {n:<8}  {pct(d, n)}")
print()
print(f"not detected ({len(undetected)}):")
for cls, line, status, mutator, method, description in sorted(undetected):
    print(f"  {cls.rsplit('.', 1)[-1]}:{line} {status} {mutator} in {method}: {description}")
