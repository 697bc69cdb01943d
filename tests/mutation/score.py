#!/usr/bin/env python3
"""Reads Stryker.NET JSON reports and prints each project's mutation score, then checks it against the gate.

Usage: score.py BASELINE REPORT_DIR [--ratchet] [--write-baseline [--commit=SHA] [--minutes=Project:N,...]]
REPORT_DIR holds one folder per project (Reference, Engine, ...) with reports/mutation-report.json, and beside it
PROJECT.mode saying "full" or "since"; the ratchet applies to full runs only (a since-run scores changed files only).
Score = detected / (detected + undetected), where detected = Killed + Timeout and undetected = Survived + NoCoverage
(Stryker's definition; CompileError and Ignored mutants are not counted).
--minutes records each project's run time with its score (gate.sh --ci skips full runs longer than CI's budget).
Exit 0 when every project reaches the break threshold (and, with --ratchet, its recorded baseline), else 1;
2 for bad arguments or an unreadable baseline.
"""
import gzip, json, os, sys

def score_of(counts):
    """Stryker's score from status counts, or None when no mutant counts."""
    detected = counts.get("Killed", 0) + counts.get("Timeout", 0)
    undetected = counts.get("Survived", 0) + counts.get("NoCoverage", 0)
    total = detected + undetected
    return 100.0 * detected / total if total else None

def read_report(path):
    """A Stryker JSON report, plain or gzipped (.json.gz)."""
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as fh:
        return json.load(fh)

def score(report_path):
    data = read_report(report_path)
    counts = {}
    for f in data["files"].values():
        for m in f["mutants"]:
            counts[m["status"]] = counts.get(m["status"], 0) + 1
    return score_of(counts), counts

def usage_error(message):
    print(f"score.py: {message} (score.py --help for usage)", file=sys.stderr)
    return 2

def main():
    if "-h" in sys.argv or "--help" in sys.argv:
        print(__doc__.strip())
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    known = ("--ratchet", "--write-baseline", "--commit=", "--minutes=")
    unknown = [a for a in sys.argv[1:] if a.startswith("--") and not a.startswith(known)]
    if unknown:
        return usage_error(f"unknown option {unknown[0]}")
    if len(args) != 2:
        return usage_error(f"expected BASELINE and REPORT_DIR, got {len(args)} argument(s)")
    commit = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--commit=")), None)
    minutes_arg = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--minutes=")), "")
    minutes = {}
    for item in (x for x in minutes_arg.split(",") if x):
        project, _, n = item.partition(":")
        if not project or not n.isdigit():
            return usage_error(f"--minutes: '{item}' is not PROJECT:MINUTES")
        minutes[project] = int(n)
    ratchet = "--ratchet" in sys.argv
    write = "--write-baseline" in sys.argv
    baseline_path, out = args[0], args[1]
    try:
        baseline = json.load(open(baseline_path))
    except (OSError, ValueError) as e:
        return usage_error(f"cannot read the baseline {baseline_path}: {e}")
    if not os.path.isdir(out):
        return usage_error(f"REPORT_DIR {out} is not a folder")
    floor = baseline["break"]
    ok = True
    results = {}
    print(f"{'project':<12} {'score':>7} {'killed':>7} {'timeout':>8} {'survived':>9} {'no cov':>7} {'ignored':>8} {'floor':>7}  verdict")
    for project in sorted(p for p in os.listdir(out) if os.path.isdir(os.path.join(out, p))):
        report = os.path.join(out, project, "reports", "mutation-report.json")
        if not os.path.exists(report):
            print(f"{project:<12} no report at {report}")
            ok = False
            continue
        s, c = score(report)
        results[project] = round(s, 2) if s is not None else None
        need = floor
        mode_file = os.path.join(out, project + ".mode")
        full = not os.path.exists(mode_file) or open(mode_file).read().strip() == "full"
        if ratchet and full and project in baseline["scores"]:
            need = max(floor, baseline["scores"][project] - baseline["tolerance"])
        verdict = "no mutants tested" if s is None else ("pass" if s >= need else "FAIL")
        if s is not None and s < need:
            ok = False
        shown = "n/a" if s is None else f"{s:.2f}"
        print(f"{project:<12} {shown:>7} {c.get('Killed',0):>7} {c.get('Timeout',0):>8} {c.get('Survived',0):>9} "
              f"{c.get('NoCoverage',0):>7} {c.get('Ignored',0):>8} {need:>7.2f}  {verdict}")
    if write:
        baseline["scores"].update({k: v for k, v in results.items() if v is not None})
        baseline.setdefault("minutes", {}).update({k: v for k, v in minutes.items() if results.get(k) is not None})
        if commit:
            baseline["commit"] = commit
        with open(baseline_path, "w") as fh:
            json.dump(baseline, fh, indent=2, sort_keys=True)
            fh.write("\n")
        print(f"baseline written to {baseline_path}")
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
