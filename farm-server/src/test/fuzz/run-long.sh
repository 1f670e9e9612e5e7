#!/usr/bin/env bash
# Fuzzes every Jazzer target of farm-server and apiclient, one after the other, each for
# SECONDS_PER_TARGET seconds (default 300), and writes what each one executed to
# target/reliability/fuzz.json. Findings are written by Jazzer into the target's seed folder
# (src/test/resources/.../<Class>Inputs/<method>/), where plain `mvn test` replays them; fix the
# code, keep the input.
#
#   farm-server/src/test/fuzz/run-long.sh              # 5 minutes a target
#   SECONDS_PER_TARGET=3600 farm-server/src/test/fuzz/run-long.sh 'GzipBody.*|Fault.*'  # 1 h each
#
# Run it from the repository root. It never runs `mvn install`.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
seconds=${SECONDS_PER_TARGET:-300}
only=${1:-.*} # a regular expression of class names
out=target/reliability
mkdir -p "$out"
results=()

targets() {
  # module class method, for every @FuzzTest method in the module's test sources
  for module in farm-server apiclient; do
    grep -rl '@FuzzTest' "$module/src/test/java" | while read -r file; do
      class=$(basename "$file" .java)
      grep -A1 '@FuzzTest' "$file" | grep -oE 'void [A-Za-z0-9_]+' | cut -d' ' -f2 \
        | sed "s|^|$module $class |"
    done
  done
}

while read -r module class method; do
  [[ $class =~ ^($only)$ ]] || continue
  echo "== $module $class#$method for ${seconds}s"
  log="$out/fuzz-$class-$method.log"
  JAZZER_FUZZ=1 mvn -B -q -pl "$module" -am verify -Dtest="$class#$method" \
      -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
      > "$log" 2>&1
  status=$?
  output=$(find "$module/target/surefire-reports" -name "*$class-output.txt" | head -1)
  runs=$(grep -hoE 'Done [0-9]+ runs' "$output" "$log" 2>/dev/null | tail -1 | grep -oE '[0-9]+')
  echo "   exit $status, ${runs:-?} inputs executed"
  results+=("{\"module\":\"$module\",\"target\":\"$class#$method\",\"seconds\":$seconds,\
\"inputsExecuted\":${runs:-null},\"passed\":$([[ $status == 0 ]] && echo true || echo false)}")
done < <(targets)

{
  echo "{\"secondsPerTarget\":$seconds,\"targets\":["
  (IFS=,; echo "${results[*]}")
  echo "]}"
} > "$out/fuzz.json"
echo "wrote $out/fuzz.json"
