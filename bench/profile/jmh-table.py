#!/usr/bin/env python3
"""A JMH JSON result (-rf json) as a Markdown table, with MB/s (10^6 bytes) where an op moves
a known number of media bytes: 8 MiB for HashingBench and BodyCopyBench, mediaSize for
MultipartBench. Usage: bench/profile/jmh-table.py RESULT.json"""
import json, sys

print("| Benchmark | Params | Score | Error | Unit | MB/s |")
print("|---|---|---:|---:|---|---:|")
for b in json.load(open(sys.argv[1])):
    name = ".".join(b["benchmark"].split(".")[-2:])
    params = b.get("params", {})
    m = b["primaryMetric"]
    score, err, unit = m["score"], m["scoreError"], m["scoreUnit"]
    size = None
    if name.startswith(("HashingBench", "BodyCopyBench")):
        size = 8 << 20
    elif name.startswith("MultipartBench"):
        size = int(params["mediaSize"])
    mbs = f"{score * size / 1e6:,.0f}" if size and unit == "ops/s" else ""
    p = ", ".join(f"{k}={v}" for k, v in params.items())
    print(f"| {name} | {p} | {score:,.1f} | {err:,.1f} | {unit} | {mbs} |")
