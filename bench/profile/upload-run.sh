#!/usr/bin/env bash
# Measures one durable resumable upload of FILE through `farm upload --chunk-size 8M` against a
# fresh `farm serve` whose data folder is DATA (on disk or tmpfs), RUNS times, plus the disk's
# `dd conv=fsync` limit and curl's single PUT of the same bytes. Prints one line per run:
#   what wall_s user_s sys_s maxrss_kb server_cpu_s
# Usage: bench/profile/upload-run.sh FILE DATA [RUNS] [PORT]
# Env: SERVER_JAR, CLIENT_JAR (default farm-cli/target/farm.jar), SERVER_OPTS (JVM options of the server, e.g. JFR), CLIENT_OPTS (of the client),
#      SKIP_CURL=1, SKIP_DD=1.
set -euo pipefail
file=$1; data=$2; runs=${3:-3}; port=${4:-18090}
here=$(cd "$(dirname "$0")/../.." && pwd)
jar="${SERVER_JAR:-$here/farm-cli/target/farm.jar}"
cjar="${CLIENT_JAR:-$here/farm-cli/target/farm.jar}"
size=$(stat -c %s "$file")
tick=$(getconf CLK_TCK)
rm -rf "$data"; mkdir -p "$data"
java ${SERVER_OPTS:-} -jar "$jar" serve --data "$data/farm" --port "$port" > "$data/server.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
for i in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2
done
key=$(cat "$data/farm/admin.key")
cpu() { awk -v t="$tick" '{print ($14+$15)/t}' /proc/$spid/stat; }
rss() { awk '/VmHWM/{print $2}' /proc/$spid/status; }
for r in $(seq 1 "$runs"); do
  before=$(cpu)
  out=$( { /usr/bin/time -f '%e %U %S %M' java ${CLIENT_OPTS:-} -jar "$cjar" upload "$file" \
      --chunk-size 8M --server "http://127.0.0.1:$port/" --key "$key" -q > /dev/null; } 2>&1 | tail -1)
  after=$(cpu)
  echo "farm-upload $out $(echo "$after - $before" | bc)"
done
if [ -z "${SKIP_CURL:-}" ]; then
  for r in $(seq 1 "$runs"); do
    loc=$(curl -s -D - -o /dev/null -X POST -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' -H "X-Upload-Content-Length: $size" \
      --data '{"name":"curl"}' \
      "http://127.0.0.1:$port/upload/farm/v1/animals?uploadType=resumable" \
      | awk 'tolower($1)=="location:"{print $2}' | tr -d '\r')
    before=$(cpu)
    out=$( { /usr/bin/time -f '%e %U %S %M' curl -s -o /dev/null -w '%{http_code}' \
        -H "Authorization: Bearer $key" \
        -H "Content-Range: bytes 0-$((size - 1))/$size" -T "$file" "$loc" > "$data/curl.code"; } 2>&1 | tail -1)
    after=$(cpu)
    echo "curl-put $out $(echo "$after - $before" | bc) http=$(cat "$data/curl.code")"
  done
fi
if [ -z "${SKIP_DD:-}" ]; then
  for r in $(seq 1 "$runs"); do
    s=$(date +%s.%N)
    dd if=/dev/zero of="$data/dd.tmp" bs=8M count=$((size / 8388608)) conv=fsync status=none
    e=$(date +%s.%N); rm -f "$data/dd.tmp"
    echo "dd-fsync $(echo "$e - $s" | bc)"
  done
fi
echo "server-peak-rss-kb $(rss)"
