#!/usr/bin/env python3
"""What a Stryker.NET run left undetected, and re-testing only that.

  survivors.py list REPORT [PATH_PART]   the Survived and NoCoverage mutants, by file and line, with the code they
                                         change (only files whose path contains PATH_PART, when given)
  survivors.py patterns REPORT           Stryker mutate patterns ("**/path{start..end}", character spans), one per
                                         file, that select the undetected mutants' code; gate.sh --recheck uses them
  survivors.py join [--later-wins] OUT REPORT...
                                         one report from the reports of parts of a project (gate.sh --mutate), written
                                         to OUT; a file in two parts is refused, or, with --later-wins, taken from the
                                         later part (a file re-measured after its code or tests changed; the earlier
                                         parts are then lower bounds for the later tests). Without --later-wins the
                                         parts must have the same inputs (inputs.txt beside each report, written by
                                         gate.sh: the hashes of the project's source, what it builds on, its tests,
                                         the models and traces, and the gate's options), so parts run at different
                                         commits join only when nothing that decides their verdicts changed
  survivors.py merge REPORT RECHECK      the score REPORT would have had with RECHECK's verdicts for the mutants it
                                         re-tested; prints what is still undetected

REPORT is a mutation-report.json, or the same gzipped (.json.gz, as kept under tests/mutation/parts/). merge is only
meaningful when the tests of RECHECK include every test of REPORT (tests added, none removed or weakened): then a
mutant detected in REPORT is still detected, and the merged figure is what a full run would report, except for
mutants whose test run is not deterministic (timeouts on a loaded machine). A mutant is matched across the two
reports by file, location, mutator and replacement.
Exit codes: 0 done, 2 bad arguments or an unreadable report.
"""
import json, os, sys

from score import read_report, score_of

UNDETECTED = ("Survived", "NoCoverage")


def load(path):
    try:
        return read_report(path)
    except (OSError, ValueError) as e:
        sys.exit(f"survivors.py: cannot read the report {path}: {e}")


def inputs_of(report_path):
    """The inputs.txt of a report: beside it (a kept part) or one folder up (StrykerOutput/gate/P/reports/), or None."""
    here = os.path.dirname(os.path.abspath(report_path))
    for d in (here, os.path.dirname(here)):
        path = os.path.join(d, "inputs.txt")
        if os.path.exists(path):
            with open(path) as fh:
                return path, fh.read()
    return None, None


def check_same_inputs(paths):
    """Exits with a message unless every part names its inputs, none was run on uncommitted inputs, and all agree."""
    first = None
    for path in paths:
        where, text = inputs_of(path)
        if text is None:
            sys.exit(f"survivors.py: {path} has no inputs.txt beside it or one folder up, so what it was run on is "
                     "unknown; join it with --later-wins only if you know its inputs")
        dirty = [line for line in text.splitlines() if line.startswith("dirty:")]
        if dirty:
            sys.exit(f"survivors.py: {where} was run on uncommitted inputs ({dirty[0][7:].strip()}): not joinable")
        if first is None:
            first = (where, text)
        elif text != first[1]:
            a, b = first[1].splitlines(), text.splitlines()
            diff = sorted(set(a) ^ set(b))
            sys.exit(f"survivors.py: {where} and {first[0]} were run on different inputs: " + "; ".join(diff[:6]))


def relative(report, path):
    root = report.get("projectRoot", "")
    return os.path.relpath(path, root) if root and path.startswith(root) else path


def undetected(report):
    for path, f in sorted(report["files"].items()):
        for m in f["mutants"]:
            if m["status"] in UNDETECTED:
                yield path, f, m


def key(report, path, m):
    s, e = m["location"]["start"], m["location"]["end"]
    return (relative(report, path), s["line"], s["column"], e["line"], e["column"], m["mutatorName"], m["replacement"])


def offset(source_lines, pos):
    """Character offset of a 1-based line and column in the file's text."""
    return sum(len(line) + 1 for line in source_lines[:pos["line"] - 1]) + pos["column"] - 1


def snippet(source_lines, m, width=70):
    s, e = m["location"]["start"], m["location"]["end"]
    text = source_lines[s["line"] - 1][s["column"] - 1:] if s["line"] == e["line"] else source_lines[s["line"] - 1]
    if s["line"] == e["line"]:
        text = text[:e["column"] - s["column"]]
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def cmd_list(report, part=None):
    n = 0
    current = None
    for path, f, m in undetected(report):
        rel = relative(report, path)
        if part and part not in rel:
            continue
        if rel != current:
            print(f"\n{rel}")
            current = rel
        lines = f["source"].split("\n")
        line = m["location"]["start"]["line"]
        print(f"  {line:>5}  {m['status']:<10} {m['mutatorName']}")
        print(f"         was: {snippet(lines, m)}")
        print(f"         now: {' '.join(m['replacement'].split())[:70]}")
        n += 1
    print(f"\n{n} undetected mutant(s)")


def cmd_patterns(report):
    spans = {}
    for path, f, m in undetected(report):
        lines = f["source"].split("\n")
        start = offset(lines, m["location"]["start"])
        end = offset(lines, m["location"]["end"])
        spans.setdefault(relative(report, path), set()).add((start, end))
    for rel, ss in sorted(spans.items()):
        print("**/" + rel + "".join(f"{{{a}..{b}}}" for a, b in sorted(ss)))


def cmd_merge(report, recheck):
    verdict = {}
    for path, f in recheck["files"].items():
        for m in f["mutants"]:
            verdict[key(recheck, path, m)] = m["status"]
    counts = {}
    still = []
    retested = 0
    for path, f in report["files"].items():
        for m in f["mutants"]:
            status = m["status"]
            if status in UNDETECTED and key(report, path, m) in verdict:
                retested += 1
                status = verdict[key(report, path, m)]
            counts[status] = counts.get(status, 0) + 1
            if status in UNDETECTED:
                still.append((relative(report, path), m["location"]["start"]["line"], status, m["mutatorName"]))
    was = sum(1 for _ in undetected(report))
    print(f"re-tested {retested} of the {was} undetected mutant(s) of the first report")
    for rel, line, status, mutator in sorted(still):
        print(f"  still {status:<10} {rel}:{line}  {mutator}")
    score = score_of(counts)
    print(f"merged score {'n/a' if score is None else f'{score:.2f}'}: killed {counts.get('Killed', 0)}, timeout {counts.get('Timeout', 0)}, "
          f"survived {counts.get('Survived', 0)}, no coverage {counts.get('NoCoverage', 0)}")


def measured(f):
    """True when a part tested this file: some mutant has a status the score counts (in a part's other files every
    mutant is Ignored by the mutate filter or a CompileError)."""
    return any(m["status"] in ("Killed", "Timeout", "Survived", "NoCoverage") for m in f["mutants"])


def cmd_join(out, paths, later_wins=False):
    if not later_wins:
        check_same_inputs(paths)
    # Parts run in different clones name their files by different absolute paths: match them relative to each
    # report's project root, and write them under the first report's root.
    joined, root, origin = None, None, {}
    for path in paths:
        r = load(path)
        if joined is None:
            joined, root = r, r.get("projectRoot", "")
            files = {relative(r, f): v for f, v in r["files"].items()}
            origin = {rel: path for rel, v in files.items() if measured(v)}
            continue
        for f, v in r["files"].items():
            rel = relative(r, f)
            if measured(v):
                if rel in origin and not later_wins:
                    sys.exit(f"survivors.py: {rel} was tested in two parts ({origin[rel]} and {path}); "
                             "--later-wins takes the later one")
                files[rel] = v
                origin[rel] = path
            elif rel not in files:
                files[rel] = v
    joined["files"] = {os.path.join(root, rel) if root else rel: v for rel, v in sorted(files.items())}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as fh:
        json.dump(joined, fh)
    where, text = inputs_of(paths[0])
    if not later_wins and text is not None:
        with open(os.path.join(os.path.dirname(os.path.abspath(out)), "inputs.txt"), "w") as fh:
            fh.write(text)
    n = sum(len(v["mutants"]) for v in joined["files"].values())
    print(f"joined {len(paths)} report(s): {n} mutants, {len(origin)} files tested, {len(files)} files -> {out}")
    for rel in sorted(origin):
        print(f"  {rel}: {origin[rel]}")


def main(argv):
    if len(argv) >= 3 and argv[0] == "join":
        later = argv[1] == "--later-wins"
        rest = argv[2:] if later else argv[1:]
        if len(rest) < 2:
            print("survivors.py join needs OUT and at least one REPORT", file=sys.stderr)
            return 2
        cmd_join(rest[0], rest[1:], later)
        return 0
    if len(argv) < 2 or argv[0] not in ("list", "patterns", "merge"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[0] == "list":
        cmd_list(load(argv[1]), argv[2] if len(argv) > 2 else None)
    elif argv[0] == "patterns":
        cmd_patterns(load(argv[1]))
    else:
        if len(argv) < 3:
            print("survivors.py merge needs two reports: the full run's and the re-check's", file=sys.stderr)
            return 2
        cmd_merge(load(argv[1]), load(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
