#!/usr/bin/env python3
"""Top frames of an async-profiler collapsed-stacks file (event=itimer/cpu, output collapsed).

Usage: bench/profile/collapsed-top.py FILE.collapsed [N]
"""
import collections, sys

n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
self_count, total_count, samples = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[1]):
    stack, _, count = line.rstrip("\n").rpartition(" ")
    if not stack:
        continue
    c = int(count)
    frames = stack.split(";")
    samples += c
    self_count[frames[-1]] += c
    for f in set(frames):
        total_count[f] += c
print(f"{samples} samples in {sys.argv[1]}")
print("-- self --")
for f, c in self_count.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {f}")
print("-- total (on stack) --")
for f, c in total_count.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {f}")
