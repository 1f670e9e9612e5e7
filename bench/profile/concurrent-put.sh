#!/usr/bin/env bash
# N concurrent resumable uploads of FILE, each one curl PUT of the whole file to its own session
# (curl, so that the clients cost next to nothing), against a fresh `farm serve` with data in
# DATA. Prints wall seconds, aggregate MB/s, server CPU seconds and server peak RSS (VmHWM), and
# the HTTP codes. Usage: bench/profile/concurrent-put.sh FILE DATA [N] [PORT]
set -euo pipefail
file=$1; data=$2; n=${3:-64}; port=${4:-18099}
here=$(cd "$(dirname "$0")/../.." && pwd)
jar="${SERVER_JAR:-$here/farm-cli/target/farm.jar}"
size=$(stat -c %s "$file"); tick=$(getconf CLK_TCK)
rm -rf "$data"; mkdir -p "$data"
java ${SERVER_OPTS:-} -jar "$jar" serve --data "$data/farm" --port "$port" > "$data/server.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
key=$(cat "$data/farm/admin.key")
for i in $(seq 1 "$n"); do
  curl -s -D - -o /dev/null -X POST -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -H "X-Upload-Content-Length: $size" --data '{"name":"c"}' \
    "http://127.0.0.1:$port/upload/farm/v1/animals?uploadType=resumable" \
    | awk 'tolower($1)=="location:"{print $2}' | tr -d '\r' > "$data/loc.$i"
done
before=$(awk -v t="$tick" '{print ($14+$15)/t}' /proc/$spid/stat)
s=$(date +%s.%N)
pids=()
for i in $(seq 1 "$n"); do
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $key" \
    -H "Content-Range: bytes 0-$((size - 1))/$size" -T "$file" "$(cat "$data/loc.$i")" \
    > "$data/code.$i" &
  pids+=($!)
done
wait "${pids[@]}"
e=$(date +%s.%N)
after=$(awk -v t="$tick" '{print ($14+$15)/t}' /proc/$spid/stat)
wall=$(echo "$e - $s" | bc)
echo "uploads=$n size=$size wall_s=$wall MB_s=$(echo "$n * $size / $wall / 1000000" | bc)" \
  "server_cpu_s=$(echo "$after - $before" | bc)" \
  "server_peak_rss_kb=$(awk '/VmHWM/{print $2}' /proc/$spid/status)"
echo "codes: $(cat "$data"/code.* | sort | uniq -c | tr '\n' ' ')"
