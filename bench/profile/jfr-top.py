#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample + jdk.NativeMethodSample).

Usage: bench/profile/jfr-top.py FILE.jfr [N]
Prints the N hottest top frames (self) and the N hottest frames anywhere on the stack (total),
as a share of all samples, from `jfr print --stack-depth 64`.
"""
import collections, re, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
out = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                      path], capture_output=True, text=True, check=True).stdout
self_count, total_count, samples = collections.Counter(), collections.Counter(), 0
for event in out.split("jdk.ExecutionSample")[1:]:
    m = re.search(r"stackTrace = \[\n(.*?)\n\s*\]", event, re.S)
    if not m:
        continue
    frames = [re.sub(r"\s+line:.*", "", l.strip()) for l in m.group(1).split("\n")]
    frames = [f for f in frames if f and f != "..."]
    if not frames:
        continue
    samples += 1
    self_count[frames[0]] += 1
    for f in set(frames):
        total_count[f] += 1
print(f"{samples} samples in {path}")
print("-- self --")
for f, c in self_count.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {f}")
print("-- total (on stack) --")
for f, c in total_count.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {f}")
