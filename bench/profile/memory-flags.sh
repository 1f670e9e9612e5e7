#!/usr/bin/env bash
# Client peak RSS of OursClient uploading 2 GiB in 256 MiB chunks under several JVM flag sets,
# against one farm serve on tmpfs (server jar and 2 GiB file in /dev/shm/crcprof: after.jar,
# 2gib.bin). Prints: rep label wall_s user_s sys_s maxrss_kb retries client-output.
# Env: BENCH_JAR, REPS ("1 2"), KEYS (flag sets to run, default all).
set -u
cd "$(dirname "$0")/../.."
data=/dev/shm/crcprof/memdata; rm -rf $data; mkdir -p $data
port=18194
java -jar /dev/shm/crcprof/after.jar serve --data $data/farm --port $port > $data/server.log 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null' EXIT
for i in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.2; done
key=$(cat $data/farm/admin.key)
declare -A F
F[A-default]=""
F[B-xmx64]="-Xmx64m"
F[C-xmx64-serial]="-Xmx64m -XX:+UseSerialGC"
F[D-xmx64-serial-c1]="-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
F[E-D-code16-xss256k]="-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -Xss256k"
F[F-xmx32-serial-c1-code16-xss256k]="-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -Xss256k"
for rep in ${REPS:-1 2}; do
  for k in ${KEYS:-$(printf "%s\n" "${!F[@]}" | sort)}; do
    /usr/bin/time -o $data/time.txt -f '%e %U %S %M' java ${F[$k]} -cp ${BENCH_JAR:-bench/target/bench.jar} dev.farmapi.bench.client.OursClient \
        file http://127.0.0.1:$port/ "$key" /dev/shm/crcprof/2gib.bin 268435456 > $data/client.out 2> $data/client.err
    out=$(tail -1 $data/time.txt)
    echo "$rep $k $out $(grep -c retry $data/client.err) $(tail -c 200 $data/client.out | tr '\n' ' ')"
  done
done
