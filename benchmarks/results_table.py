#!/usr/bin/env python3
"""Turns one JMH run of the Latchkey benchmarks into benchmarks/RESULTS.md.

Input: the JMH JSON (-rf json), the facts file the benchmarks append to (LATCHKEY_BENCH_FACTS),
and a few words about the run (command, start and end time, load average). Output, on stdout:
Markdown with every benchmark (score, error, bytes allocated per operation, store lookups and cache
misses per verification), the target ratios computed from this run only, and the setup facts.

Ratios are computed only between results of the same run; a missing benchmark leaves its ratio
empty instead of failing, so a partial run (-e / a regex) still produces a table.

With --section NAME only the focused figures (rejection timing, unknown-id flood, uniform access, rate limits)
are written,
between markers, with the run's own command and date: run.sh puts that block into the existing
RESULTS.md in place of an older block of the same name (a focused run of a few benchmarks).
"""

import argparse
import json
import math
import platform
import re
import sys

PACKAGE = "dev.latchkey.bench."
NS_PER = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}


def short_name(benchmark):
    return benchmark[len(PACKAGE):] if benchmark.startswith(PACKAGE) else benchmark


def label(row):
    """The same label Fixture.label(BenchmarkParams) prints: Class.method:key=value..."""
    text = short_name(row["benchmark"])
    for key in sorted((row.get("params") or {}).keys()):
        text += ":%s=%s" % (key, row["params"][key])
    return text


def number(value):
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def fmt(value, digits=None):
    if value is None:
        return ""
    if digits is None:
        digits = 3 if abs(value) < 10 else (1 if abs(value) < 1000 else 0)
    return "{:,.{d}f}".format(value, d=digits)


def alloc_per_op(row):
    for key, metric in (row.get("secondaryMetrics") or {}).items():
        if key.lstrip("\u00b7") == "gc.alloc.rate.norm":
            return number(metric.get("score"))
    return None


def read_facts(path):
    """key=value lines, in order; a key may repeat (one line per fork, or per thread)."""
    facts = []
    if not path:
        return facts
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if "=" in line:
                    key, value = line.rsplit("=", 1)  # keys may hold "=" (parameters), values never
                    facts.append((key, value))
    except FileNotFoundError:
        pass
    return facts


def split_fact(key):
    """'run.Class.method:p=v.metric' -> ('Class.method:p=v', 'metric')."""
    prefix, _, rest = key.partition(".")
    name, _, metric = rest.rpartition(".")
    return prefix, name, metric


class Results:
    def __init__(self, rows):
        self.rows = rows
        self.by_label = {label(r): r for r in rows}

    def find(self, name, **params):
        """The row of Class.method whose params include the given ones."""
        for r in self.rows:
            if short_name(r["benchmark"]) != name:
                continue
            p = r.get("params") or {}
            if all(str(p.get(k)) == str(v) for k, v in params.items()):
                return r
        return None

    def ns(self, name, **params):
        """Average time in ns/op, or None (not run, or not an average-time result)."""
        r = self.find(name, **params)
        if r is None:
            return None
        unit = r["primaryMetric"]["scoreUnit"]
        if unit not in NS_PER:
            return None
        return number(r["primaryMetric"]["score"]) * NS_PER[unit]

    def thrpt(self, name, **params):
        r = self.find(name, **params)
        if r is None or not r["primaryMetric"]["scoreUnit"].startswith("ops/"):
            return None
        return number(r["primaryMetric"]["score"])


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def percentile(row, p):
    """A sample-time percentile in ns ("50.0" for the median), or None."""
    if row is None:
        return None
    pm = row["primaryMetric"]
    unit = pm["scoreUnit"]
    value = (pm.get("scorePercentiles") or {}).get(p)
    if unit not in NS_PER or value is None:
        return None
    return number(value) * NS_PER[unit]


TIMING = "RejectionTimingBenchmark"
FLOOD = "UnknownIdFloodBenchmark"


def security_tables(res, run_facts, w):
    """Rejection timing (review item 7) and the unknown-id flood (item 4); nothing if neither ran."""
    if any(res.find("%s.%s" % (TIMING, m)) for m in ("unknownId", "revokedWrongSecret", "validWrongSecret", "valid")):
        w("## Rejection timing (security review, item 7), from this run")
        w("")
        w("Sample mode: every call timed; percentiles in ns per call, one thread, memory store. The goal:")
        w("a wrong secret costs the same for a revoked as for a valid lookup id, so that timing does not")
        w("tell an attacker holding an id whether its token is active. `vs valid id, wrong secret` divides")
        w("medians.")
        w("")
        w("| case | median | p90 | p99 | vs valid id, wrong secret |")
        w("|---|---:|---:|---:|---:|")
        base = percentile(res.find(TIMING + ".validWrongSecret"), "50.0")
        for method, what in (("unknownId", "unknown id"), ("revokedWrongSecret", "revoked id, wrong secret"),
                             ("validWrongSecret", "valid id, wrong secret"), ("valid", "valid token (cached)")):
            row = res.find("%s.%s" % (TIMING, method))
            w("| %s (`%s`) | %s | %s | %s | %s |" % (what, method, fmt(percentile(row, "50.0"), 0),
                                                   fmt(percentile(row, "90.0"), 0), fmt(percentile(row, "99.0"), 0),
                                                   fmt(ratio(percentile(row, "50.0"), base), 2)))
        w("")
    if res.find(FLOOD + ".floodAndHot") or res.find(FLOOD + ".hotOnly"):
        w("## Unknown-id flood (security review, item 4), from this run")
        w("")
        w("5,000 hot tokens cached in the default caches (100,000 records, 10,000 unknown ids), memory")
        w("store, one thread. `floodAndHot`: per call 40 new unknown ids (2^18 distinct ids cycled, each a")
        w("store lookup) and one hot token; `hotOnly`: one hot token per call. Hot-token store lookups")
        w("are the store's lookups of hot tokens' ids during the run: 0 means the flood evicted no hot token.")
        w("")
        w("| figure | value |")
        w("|---|---:|")
        flood = run_facts.get(FLOOD + ".floodAndHot", {})
        w("| unknown ids verified during the flood run (warmup and measurement) | %s |" % fmt(flood.get("unknownIdsVerified"), 0))
        w("| hot-token verifications during it | %s |" % fmt(ratio(flood.get("unknownIdsVerified"), 40), 0))
        w("| hot-token store lookups during it (cache misses of hot tokens) | %s |" % fmt(flood.get("hotTokenStoreLookups"), 0))
        hot = res.ns(FLOOD + ".hotOnly")
        both = res.ns(FLOOD + ".floodAndHot")
        w("| hot token alone (`hotOnly`), ns per call | %s |" % fmt(hot, 0))
        w("| 40 unknown ids + 1 hot token (`floodAndHot`), ns per call | %s |" % fmt(both, 0))
        w("| an unknown id, ns: (floodAndHot - hotOnly) / 40 | %s |" % fmt(
            None if both is None or hot is None else (both - hot) / 40, 0))
        w("")


def uniform_tables(res, run_facts, w):
    """ScaleUniformBenchmark's rows and ratios (cache sized to fit vs default); nothing if it did not run."""
    rows = [r for r in res.rows if short_name(r["benchmark"]) == "ScaleUniformBenchmark.uniform"]
    if not rows:
        return
    w("## Uniform access over all stored tokens, cache sized to fit vs default, from this run")
    w("")
    w("Each call verifies a token picked uniformly among all stored tokens (memory store, one thread).")
    w("`cache=fit`: `cacheMaximumSize` twice the token count, so every token stays cached;")
    w("`cache=default`: Latchkey's default 100,000. Cache misses and store lookups per verification come")
    w("from the verifier's counters over warmup and measurement; CPU share as in the full run. On a")
    w("machine shared with other work the thread gets only part of a core: `CPU ns per call` (the score")
    w("times the CPU share, both over the whole fork) estimates what a call costs with a core to itself,")
    w("and the ratios are given for both.")
    w("")
    w("| benchmark | score | error | units | CPU ns per call | B/op | store lookups / verify | cache misses / verify | CPU share |")
    w("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: json.dumps(r.get("params") or {}, sort_keys=True)):
        pm = r["primaryMetric"]
        rf = run_facts.get(label(r), {})
        verifications = rf.get("verifications")
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label(r), fmt(number(pm["score"])), fmt(number(pm.get("scoreError"))), pm["scoreUnit"],
            fmt(cpu_ns(res, run_facts, r)), fmt(alloc_per_op(r), 1),
            fmt(ratio(rf.get("storeLookups"), verifications) if verifications else None, 4),
            fmt(ratio(rf.get("cacheMisses"), verifications) if verifications else None, 4), fmt(rf.get("cpuShare"), 2)))
    w("")

    def find(tokens, cache):
        return next((r for r in rows if (r.get("params") or {}).get("tokens") == str(tokens)
                     and (r.get("params") or {}).get("cache") == cache), None)

    fit_1k, fit_1m, default_1m = find(1000, "fit"), find(1000000, "fit"), find(1000000, "default")
    wall = lambda r: None if r is None else to_ns(r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"])
    cpu = lambda r: None if r is None else cpu_ns(res, run_facts, r)
    w("| figure | computed as | wall time | CPU time |")
    w("|---|---|---:|---:|")
    w("| 1M vs 1k stored tokens, cache sized to fit | uniform(1000000, fit) / uniform(1000, fit) | %s | %s |" % (
        fmt(ratio(wall(fit_1m), wall(fit_1k)), 2), fmt(ratio(cpu(fit_1m), cpu(fit_1k)), 2)))
    w("| 1M stored tokens, default cache vs cache sized to fit | uniform(1000000, default) / uniform(1000000, fit) | %s | %s |"
      % (fmt(ratio(wall(default_1m), wall(fit_1m)), 2), fmt(ratio(cpu(default_1m), cpu(fit_1m)), 2)))
    w("")


def to_ns(value, unit):
    """A score in ns, or None for a unit that is not a time per operation."""
    return None if unit not in NS_PER or value is None else number(value) * NS_PER[unit]


def cpu_ns(res, run_facts, row):
    """The score times the fork's CPU share: nanoseconds of CPU per call (None without a CPU share)."""
    share = run_facts.get(label(row), {}).get("cpuShare")
    ns = to_ns(row["primaryMetric"]["score"], row["primaryMetric"]["scoreUnit"])
    return None if share is None or ns is None else ns * share


RATE = "RateLimitBenchmark"


def rate_limit_tables(res, run_facts, w):
    """Issue 11 figure (c): cached verify with a rate limit vs without; nothing if it did not run."""
    plain = res.ns(RATE + ".plain")
    if plain is None:
        return
    w("## Rate limits (issue 11, figure c), from this run")
    w("")
    w("Cached valid verification, one thread, memory store, one Latchkey instance: a token without a")
    w("limit against one with its own limit, and one with its own and its key's (two Bucket4j buckets).")
    w("The limits are never reached, so every call takes a request and passes. B/op is")
    w("`gc.alloc.rate.norm`. CPU share: CPU time the benchmark thread got per wall-clock second during")
    w("measurement (1.00 = a whole core); well below 1 means the machine was busy and the wall-clock times")
    w("are inflated. CPU ns/op = ns/op x CPU share, the time the thread actually ran per call: on a busy")
    w("machine the ratio of those is the one to judge the target by.")
    w("")
    w("| case | ns/op | error | B/op | CPU share | CPU ns/op | vs plain (time) | vs plain (CPU) | target | met (CPU) |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    def cpu_ns(method):
        ns = res.ns("%s.%s" % (RATE, method))
        share = run_facts.get("%s.%s" % (RATE, method), {}).get("cpuShare")
        return ns, share, (None if ns is None or share is None else ns * share)
    _, _, plain_cpu = cpu_ns("plain")
    for method, what in (("plain", "no limit"), ("tokenLimit", "token limit"),
                         ("tokenAndKeyLimit", "token and key limit")):
        row = res.find("%s.%s" % (RATE, method))
        ns, share, cpu = cpu_ns(method)
        r = ratio(ns, plain)
        rc = ratio(cpu, plain_cpu)
        error = None if row is None else number(row["primaryMetric"].get("scoreError"))
        target = "" if method == "plain" else "<= 1.3"
        met = "" if method == "plain" or rc is None else ("yes" if rc <= 1.3 else "**no**")
        w("| %s (`%s`) | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            what, method, fmt(ns), fmt(error), fmt(alloc_per_op(row), 1) if row else "", fmt(share, 2),
            fmt(cpu), fmt(r, 2), fmt(rc, 2), target, met))
    w("")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", required=True)
    ap.add_argument("--facts")
    ap.add_argument("--command", default="")
    ap.add_argument("--started", default="")
    ap.add_argument("--finished", default="")
    ap.add_argument("--cpu", default="")
    ap.add_argument("--cores", default="")
    ap.add_argument("--load-before", default="")
    ap.add_argument("--load-after", default="")
    ap.add_argument("--revision", default="")
    ap.add_argument("--section", help="write only the focused figures, as a block named this")
    args = ap.parse_args()

    with open(args.json, encoding="utf-8") as f:
        rows = json.load(f)
    if not rows:
        sys.exit("no results in " + args.json)
    res = Results(rows)
    facts = read_facts(args.facts)
    run_facts = {}
    setup_facts = []
    shares = {}
    for key, value in facts:
        prefix, name, metric = split_fact(key)
        if prefix == "run" and metric == "cpuShare":
            shares.setdefault(name, []).append(number(value))
        elif prefix == "run":
            # counters of several forks of one benchmark add up
            f = run_facts.setdefault(name, {})
            f[metric] = (f.get(metric) or 0) + (number(value) or 0)
        else:
            setup_facts.append((key, value))
    for name, values in shares.items():
        values = [v for v in values if v is not None]
        if values:
            run_facts.setdefault(name, {})["cpuShare"] = sum(values) / len(values)
            run_facts[name]["cpuShareMin"] = min(values)

    first = rows[0]
    out = []
    w = out.append
    if args.section:
        w("<!-- section: %s (generated by benchmarks/run.sh --section %s; do not edit) -->" % (args.section, args.section))
        w("")
        w("## Focused run: %s" % args.section)
        w("")
        w("Not part of the full run above: a separate JMH run of a few benchmarks, so compare its figures")
        w("with each other only.")
        w("")
        w("| | |")
        w("|---|---|")
        w("| command | `%s` |" % args.command)
        w("| date (UTC) | %s to %s |" % (args.started, args.finished))
        w("| JVM | %s %s, JDK %s |" % (first.get("vmName", ""), first.get("vmVersion", ""), first.get("jdkVersion", "")))
        w("| CPU | %s, %s cores (%s) |" % (args.cpu, args.cores, platform.machine()))
        w("| load average (1/5/15 min) before, after | %s; %s |" % (args.load_before, args.load_after))
        if args.revision:
            w("| source | %s |" % args.revision)
        w("")
        demote = lambda line: w(line.replace("## ", "### ", 1) if line.startswith("## ") else line)
        security_tables(res, run_facts, demote)
        uniform_tables(res, run_facts, demote)
        rate_limit_tables(res, run_facts, demote)
        w("<!-- end section: %s -->" % args.section)
        sys.stdout.write("\n".join(out) + "\n")
        return
    w("# Latchkey benchmark results")
    w("")
    w("Generated by `benchmarks/run.sh` from one JMH run; every ratio below compares results of this")
    w("run only. Do not edit by hand: re-run the command.")
    w("")
    w("| | |")
    w("|---|---|")
    w("| command | `%s` |" % args.command)
    w("| date (UTC) | %s to %s |" % (args.started, args.finished))
    w("| JVM | %s %s (%s), JDK %s |" % (first.get("vmName", ""), first.get("vmVersion", ""),
                                       first.get("jvm", ""), first.get("jdkVersion", "")))
    w("| JMH | %s, forks/warmup/measurement as annotated unless overridden in the command |" % first.get("jmhVersion", ""))
    w("| CPU | %s, %s cores (%s) |" % (args.cpu, args.cores, platform.machine()))
    w("| load average (1/5/15 min) before, after | %s; %s |" % (args.load_before, args.load_after))
    if args.revision:
        w("| source | %s |" % args.revision)
    w("")

    # ---- all results
    cached = res.ns("VerifyBenchmark.cachedValid")
    w("## All results")
    w("")
    w("Average time is per call of one thread; throughput is summed over all threads. B/op is")
    w("`gc.alloc.rate.norm` (`-prof gc`). The last columns come from the verifier's own counters over")
    w("warmup and measurement: store lookups (token by lookup id, principal) and cache misses per")
    w("verification. `x cached` is the average time relative to `VerifyBenchmark.cachedValid`. CPU")
    w("share is the CPU time each benchmark thread got per wall-clock time during measurement (mean")
    w("over threads and forks; 1.00 = a whole core): well below 1 means the machine took cores away")
    w("and the score is not trustworthy.")
    w("")
    w("| benchmark | mode | threads | score | error | units | B/op | x cached | store lookups / verify | cache misses / verify | CPU share |")
    w("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: (short_name(r["benchmark"]), json.dumps(r.get("params") or {}, sort_keys=True))):
        pm = r["primaryMetric"]
        lab = label(r)
        ns = res.ns(short_name(r["benchmark"]), **(r.get("params") or {}))
        rf = run_facts.get(lab, {})
        verifications = rf.get("verifications")
        lookups = ratio(rf.get("storeLookups"), verifications) if verifications else None
        misses = ratio(rf.get("cacheMisses"), verifications) if verifications else None
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            lab, r["mode"], r.get("threads", ""), fmt(number(pm["score"])),
            fmt(number(pm.get("scoreError"))), pm["scoreUnit"], fmt(alloc_per_op(r), 1),
            fmt(ratio(ns, cached), 2), fmt(lookups, 4), fmt(misses, 4), fmt(rf.get("cpuShare"), 2)))
    w("")

    # ---- targets
    w("## Targets (issue 4), from this run")
    w("")
    w("| figure | computed as | value | target | met |")
    w("|---|---|---:|---|---|")

    def target(figure, how, value, goal, ok, digits=2):
        met = "" if value is None else ("yes" if ok(value) else "**no**")
        w("| %s | %s | %s | %s | %s |" % (figure, how, fmt(value, digits), goal, met))

    nimbus = res.ns("AlternativesBenchmark.jwtHs256ParseAndVerify")
    target("cached-valid vs JWT HS256", "jwtHs256ParseAndVerify / cachedValid (time)",
           ratio(nimbus, cached), ">= 10", lambda v: v >= 10, 1)
    cached_row = res.find("VerifyBenchmark.cachedValid")
    target("cached-valid allocation", "cachedValid gc.alloc.rate.norm (B/op)",
           alloc_per_op(cached_row) if cached_row else None, "<= 128", lambda v: v <= 128, 1)
    target("malformed vs cached-valid", "malformed / cachedValid (time)",
           ratio(res.ns("VerifyBenchmark.malformed"), cached), "<= 0.25", lambda v: v <= 0.25)
    mal = run_facts.get("VerifyBenchmark.malformed", {})
    target("malformed: store lookups", "findTokenByLookupId + findPrincipal calls during the malformed run"
           " (background writes, e.g. setup's last-used time, are in the counters table)",
           mal.get("storeLookups"), "0", lambda v: v == 0, 0)
    target("2 threads vs 1 thread", "cachedValid2Threads / cachedValid1Thread (throughput)",
           ratio(res.thrpt("ThreadScalingBenchmark.cachedValid2Threads"),
                 res.thrpt("ThreadScalingBenchmark.cachedValid1Thread")), ">= 1.7", lambda v: v >= 1.7)
    target("1M vs 1k stored tokens, hot set", "hotSet(1000000) / hotSet(1000), default cache size (time)",
           ratio(res.ns("ScaleBenchmark.hotSet", tokens=1000000), res.ns("ScaleBenchmark.hotSet", tokens=1000)),
           "0.8 to 1.2", lambda v: 0.8 <= v <= 1.2)
    w("")
    w("Other ratios (no target):")
    w("")
    w("| figure | computed as | value |")
    w("|---|---|---:|")

    def info(figure, how, value, digits=2):
        w("| %s | %s | %s |" % (figure, how, fmt(value, digits)))

    t1 = res.thrpt("ThreadScalingBenchmark.cachedValid1Thread")
    t2 = res.thrpt("ThreadScalingBenchmark.cachedValid2Threads")
    s1 = run_facts.get("ThreadScalingBenchmark.cachedValid1Thread", {}).get("cpuShare")
    s2 = run_facts.get("ThreadScalingBenchmark.cachedValid2Threads", {}).get("cpuShare")
    efficiency = None
    if None not in (t1, t2, s1, s2) and s1 > 0 and s2 > 0:
        efficiency = (t2 / (2 * s2)) / (t1 / s1)
    info("2 threads vs 1 thread, per CPU-second: scaling efficiency of the code (1.0 ideal)",
         "(cachedValid2Threads / (2 x its CPU share)) / (cachedValid1Thread / its CPU share)", efficiency)
    info("JWT with claims and expiry vs cached-valid", "jwtHs256ParseVerifyAndCheckExpiry / cachedValid",
         ratio(res.ns("AlternativesBenchmark.jwtHs256ParseVerifyAndCheckExpiry"), cached), 1)
    info("bcrypt (cost 10) vs cached-valid", "bcryptCost10Check / cachedValid",
         ratio(res.ns("AlternativesBenchmark.bcryptCost10Check"), cached), 0)
    info("unknown id vs cached-valid", "unknownId / cachedValid", ratio(res.ns("VerifyBenchmark.unknownId"), cached))
    invalidate = res.ns("VerifyBenchmark.invalidateCacheOnly")
    for store in ("memory", "h2", "postgresql"):
        miss = res.ns("CacheMissBenchmark.invalidateThenVerify", store=store)
        info("cache miss (%s) vs cached-valid" % store,
             "(invalidateThenVerify - invalidateCacheOnly) / cachedValid",
             ratio(None if miss is None or invalidate is None else miss - invalidate, cached), 1)
    info("1M vs 1k stored tokens, uniform over all, cache sized to fit", "uniform(1000000, fit) / uniform(1000, fit)",
         ratio(res.ns("ScaleUniformBenchmark.uniform", tokens=1000000, cache="fit"),
               res.ns("ScaleUniformBenchmark.uniform", tokens=1000, cache="fit")))
    info("1M stored tokens, uniform over all, cache sized to fit, vs cached-valid", "uniform(1000000, fit) / cachedValid",
         ratio(res.ns("ScaleUniformBenchmark.uniform", tokens=1000000, cache="fit"), cached), 1)
    info("1M stored tokens, uniform over all, default cache (100,000) vs cache sized to fit",
         "uniform(1000000, default) / uniform(1000000, fit)",
         ratio(res.ns("ScaleUniformBenchmark.uniform", tokens=1000000, cache="default"),
               res.ns("ScaleUniformBenchmark.uniform", tokens=1000000, cache="fit")), 1)
    w("")

    security_tables(res, run_facts, w)
    uniform_tables(res, run_facts, w)
    rate_limit_tables(res, run_facts, w)

    # ---- facts
    if run_facts:
        w("## Verifier and store counters per run")
        w("")
        w("Counted from the end of setup to teardown (warmup and measurement). Store lookups are")
        w("`findTokenByLookupId` and `findPrincipal` calls; store calls are all calls, including")
        w("background last-used writes and management reads and writes, but not change-feed polls.")
        w("")
        w("| run | verifications | cache misses | store lookups | store calls | store errors | CPU share (min) |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for name in sorted(run_facts):
            f = run_facts[name]
            w("| %s | %s | %s | %s | %s | %s | %s |" % (name, fmt(f.get("verifications"), 0), fmt(f.get("cacheMisses"), 0),
                                                        fmt(f.get("storeLookups"), 0), fmt(f.get("storeCalls"), 0),
                                                        fmt(f.get("storeErrors"), 0), fmt(f.get("cpuShareMin"), 2)))
        w("")
    if setup_facts:
        w("## Setup observations")
        w("")
        w("| fact | value |")
        w("|---|---:|")
        for key, value in setup_facts:
            w("| %s | %s |" % (key, value))
        w("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
