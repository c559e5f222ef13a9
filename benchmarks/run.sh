#!/usr/bin/env bash
# Runs the whole benchmark suite once and regenerates benchmarks/RESULTS.md from that run.
#
#   mvn -q -B -pl benchmarks -am package -DskipTests    # once: builds benchmarks/target/benchmarks.jar
#   benchmarks/run.sh                                   # the full suite (about 10-15 minutes on 2 cores)
#   benchmarks/run.sh -f 1 -wi 1 -w 1 -i 2 -r 1         # a quick sanity run; any JMH option passes through
#   benchmarks/run.sh --section security 'RejectionTimingBenchmark|UnknownIdFloodBenchmark' -f 1
#       # a focused run: only its security figures go into RESULTS.md, in place of the block of that
#       # name (the full run's tables stay as they are)
#
# Writes target/results/{results.json,facts.txt,run.log} under benchmarks/ (or under
# $LATCHKEY_BENCH_OUT) and benchmarks/RESULTS.md. Needs Java 17+ and Python 3.
set -euo pipefail

section=""
if [[ "${1:-}" == "--section" ]]; then
  section="${2:?--section needs a name}"
  shift 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
out="${LATCHKEY_BENCH_OUT:-$here/target/results}"
if [[ ! -f "$jar" ]]; then
  echo "missing $jar; build it first: mvn -q -B -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi
mkdir -p "$out"
json="$out/results.json"
facts="$out/facts.txt"
log="$out/run.log"
: > "$facts"
rm -f "$json"

jmh_args=(-prof gc -rf json -rff "$json" "$@")
shown="java -jar benchmarks/target/benchmarks.jar ${jmh_args[*]}"
shown="${shown//$here/benchmarks}"

cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
[[ -n "$cpu" ]] || cpu="$(uname -m)"
cores="$(nproc 2>/dev/null || echo '?')"
revision=""
if git -C "$here" rev-parse --short HEAD >/dev/null 2>&1; then
  revision="git $(git -C "$here" rev-parse --short HEAD)"
  if [[ -n "$(git -C "$here/.." status --porcelain 2>/dev/null | head -n 1)" ]]; then
    revision="$revision plus uncommitted changes"
  fi
fi
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: //'; }
started="$(date -u '+%Y-%m-%d %H:%M')"
load_before="$(load)"

# The benchmarks append setup observations and per-run counters to $LATCHKEY_BENCH_FACTS (JMH's
# forked JVMs inherit the environment).
LATCHKEY_BENCH_FACTS="$facts" java -jar "$jar" "${jmh_args[@]}" 2>&1 | tee "$log"

finished="$(date -u '+%Y-%m-%d %H:%M')"
if [[ -n "$section" ]]; then
  shown="benchmarks/run.sh --section $section $*"
fi
python3 "$here/results_table.py" --json "$json" --facts "$facts" \
  --command "$shown" --started "$started" --finished "$finished" \
  --cpu "$cpu" --cores "$cores" --load-before "$load_before" --load-after "$(load)" \
  --revision "$revision" ${section:+--section "$section"} > "$here/RESULTS.md.tmp"
if [[ -n "$section" ]]; then
  # replace the block of this name in RESULTS.md, or append it
  python3 - "$here/RESULTS.md" "$here/RESULTS.md.tmp" "$section" <<'PY'
import os, re, sys
path, block_path, name = sys.argv[1:4]
text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
block = open(block_path, encoding="utf-8").read().rstrip("\n") + "\n"
pattern = re.compile(r"<!-- section: %s .*?<!-- end section: %s -->\n?" % (re.escape(name), re.escape(name)), re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: block, text)
else:
    text = text.rstrip("\n") + "\n\n" + block
open(path, "w", encoding="utf-8").write(text)
PY
  rm -f "$here/RESULTS.md.tmp"
else
  # a full run replaces the file, but keeps every block another run wrote (a focused --section run,
  # examples/spring-boot's benchmark, benchmarks/scale-out.sh) and that the full run did not write
  python3 - "$here/RESULTS.md" "$here/RESULTS.md.tmp" <<'KEEP'
import os, re, sys
old_path, new_path = sys.argv[1:3]
old = open(old_path, encoding="utf-8").read() if os.path.exists(old_path) else ""
new = open(new_path, encoding="utf-8").read().rstrip("\n")
for kept in re.finditer(r"<!-- section: (\S+) .*?<!-- end section: \1 -->\n?", old, re.S):
    if ("<!-- section: %s " % kept.group(1)) not in new:
        new += "\n\n" + kept.group(0).rstrip("\n")
open(new_path, "w", encoding="utf-8").write(new + "\n")
KEEP
  mv "$here/RESULTS.md.tmp" "$here/RESULTS.md"
fi
echo "wrote $here/RESULTS.md"
