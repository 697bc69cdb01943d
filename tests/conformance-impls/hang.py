#!/usr/bin/env python3
"""A broken implementation for the conformance tests: answers the start line, then never answers an operation."""
import sys
import time

for line in sys.stdin:
    if line.strip() == "start":
        print("ready", flush=True)
    elif line.split(" ")[0] not in ("policy", "scope", "device", "mm", "vm", ""):
        time.sleep(3600)
