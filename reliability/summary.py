#!/usr/bin/env python3
"""Prints the counts of the last test run as a Markdown table, for docs/RELIABILITY.md.

Every reliability test writes <module>/target/reliability/<test>.json; run this from the
repository root after `mvn -B verify` (or a long run): python3 reliability/summary.py
"""
import glob
import json


def numbers(node, prefix=""):
    """The numeric leaves of a test's JSON, by dotted name (lists of cells are left out)."""
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        yield prefix, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("parameters", "cells_detail"):
                yield from numbers(value, f"{prefix}.{key}" if prefix else key)


print("| module | test | counts |")
print("|---|---|---|")
for path in sorted(glob.glob("*/target/reliability/*.json")):
    module = path.split("/")[0]
    with open(path) as f:
        data = json.load(f)
    name = data.get("test") or data.get("client") or path.rsplit("/", 1)[1][:-5]
    counts = ", ".join(
        f"{k.removeprefix('counts.')} {round(v, 1) if isinstance(v, float) else v:,}"
        for k, v in numbers(data))
    print(f"| {module} | {name} | {counts} |")
