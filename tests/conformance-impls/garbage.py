#!/usr/bin/env python3
"""A broken implementation for the conformance tests: answers the start line, then prints lines that are not results."""
import sys

for line in sys.stdin:
    if line.strip() == "start":
        print("ready", flush=True)
    elif line.strip() == "quit":
        break
    elif line.split(" ")[0] not in ("policy", "scope", "device", "mm", "vm", ""):
        print("42 bananas, definitely", flush=True)
