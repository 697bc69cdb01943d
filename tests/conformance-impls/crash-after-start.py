#!/usr/bin/env python3
"""A broken implementation for the conformance tests: answers the start line, then dies on the first operation."""
import sys

for line in sys.stdin:
    if line.strip() == "start":
        print("ready", flush=True)
    elif line.split(" ")[0] not in ("policy", "scope", "device", "mm", "vm", ""):
        sys.stderr.write("crash-after-start: segmentation fault (simulated)\n")
        sys.stderr.flush()
        sys.exit(3)
