#!/bin/bash
# Interleaved before/after of 1 GiB downloads (docs: bench/OPTIMIZATIONS.md, "Download path").
#
#   bench/profile/download-ab.sh BEFORE [REPS]
#
# BEFORE is a checkout of the commit to compare with, built with its own launcher and CDS archive:
#   git archive COMMIT | tar -x -C /tmp/before && (cd /tmp/before &&
#     mvn -B -q -pl farm-cli -am -DskipTests package)
# and this checkout is built the same way. Everything runs on tmpfs (/dev/shm/download-ab, about
# 3 GiB, removed at the end):
#   1. one server (this checkout), REPS rounds of: `farm download` through BEFORE's launcher,
#      through this one's, and curl;
#   2. REPS rounds of: BEFORE's server, then this one's, each sending the file whole to curl and
#      again as 128 ranges of 8 MiB (the Python peer's way) to one curl on one connection.
# One line per run: client wall, CPU (user+sys), peak RSS (MiB), the server's CPU during the run,
# and whether the file written equals the source (ranges go to /dev/null: "-").
set -u
B=$(cd "$1" && pwd); A=$(cd "$(dirname "$0")/../.." && pwd); REPS=${2:-5}
D=/dev/shm/download-ab; PORT=18919
mkdir -p $D && cd $D
trap 'kill $SPID 2>/dev/null; cd /; rm -rf $D' EXIT
SPID=
start_server() { # JAR
  rm -f server.log
  java -jar "$1" serve --data $D/data --port $PORT > server.log 2>&1 &
  SPID=$!
  for _ in $(seq 1 120); do grep -q "listening on" server.log 2>/dev/null && break; sleep 0.5; done
}
stop_server() {
  kill $SPID; wait $SPID 2>/dev/null
}
server_cpu() {
  awk '{print $14+$15}' /proc/$SPID/stat
}
run() { # LABEL CMD...
  local label=$1; shift
  rm -f $D/out.bin
  local s0; s0=$(server_cpu)
  /usr/bin/time -o $D/t.txt -f "%e %U %S %M" "$@" > $D/o.txt 2> $D/e.txt
  local rc=$? s1; s1=$(server_cpu)
  read -r w u s m < <(tail -1 $D/t.txt)
  local same=-
  [ -f $D/out.bin ] && { cmp -s $D/out.bin $D/src.bin && same=verified || same=MISMATCH; }
  printf "%-20s rc=%d wall=%5.2f cpu=%5.2f user=%.2f sys=%.2f rss=%d server_cpu=%.2f %s\n" \
    "$label" $rc "$w" "$(echo "$u+$s" | bc)" "$u" "$s" $((m / 1024)) \
    "$(echo "($s1-$s0)/100" | bc -l)" $same
}
head -c 1073741824 /dev/urandom > src.bin
start_server "$A/farm-cli/target/farm.jar"
export FARM_SERVER=http://127.0.0.1:$PORT/ FARM_API_KEY=$(cat data/admin.key)
ID=$("$A/farm" upload src.bin --json -q | grep '"id"' | cut -d'"' -f4)
U="${FARM_SERVER}farm/v1/animals/$ID?alt=media"
AUTH="Authorization: Bearer $FARM_API_KEY"
curl -sS -o /dev/null -H "$AUTH" "$U" # the server's JIT and page cache
for _ in $(seq 1 "$REPS"); do
  run client-before "$B/farm" download -o $D/out.bin -- "$ID"
  run client-after "$A/farm" download -o $D/out.bin -- "$ID"
  run curl curl -sS -o $D/out.bin -H "$AUTH" "$U"
done
stop_server
: > ranges.cfg
for k in $(seq 0 127); do
  [ "$k" -gt 0 ] && echo next >> ranges.cfg
  printf 'url = "%s"\nheader = "%s"\nheader = "Range: bytes=%d-%d"\noutput = "/dev/null"\n' \
    "$U" "$AUTH" $((k * 8388608)) $((k * 8388608 + 8388607)) >> ranges.cfg
done
for _ in $(seq 1 "$REPS"); do
  for side in before after; do
    [ $side = before ] && jar="$B/farm-cli/target/farm.jar" || jar="$A/farm-cli/target/farm.jar"
    start_server "$jar"
    curl -sS -o /dev/null -H "$AUTH" "$U"
    run server-$side-whole curl -sS -o $D/out.bin -H "$AUTH" "$U"
    run server-$side-8MiB curl -sS -K ranges.cfg
    stop_server
  done
done
