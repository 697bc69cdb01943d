#!/usr/bin/env python3
"""Tests of the mutation gate's scripts (score.py, survivors.py) on small hand-made Stryker reports.

Run: python3 -m unittest discover -s tests/mutation -p 'test_*.py' (.ci/run does).
"""
import gzip, io, json, os, subprocess, sys, tempfile, unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402
import survivors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def mutant(status, line=1, mutator="Equality"):
    return {"id": f"{line}{mutator}", "status": status, "mutatorName": mutator, "replacement": "!=",
            "location": {"start": {"line": line, "column": 1}, "end": {"line": line, "column": 3}}}


def report(root, files):
    """A report whose files (relative path -> statuses) live under root."""
    return {"projectRoot": root, "files": {
        os.path.join(root, rel): {"source": "a == b\n", "mutants": [mutant(s, i + 1) for i, s in enumerate(statuses)]}
        for rel, statuses in files.items()}}


class Parts:
    """Writes parts the way gate.sh leaves them: DIR/P/reports/mutation-report.json and DIR/P/inputs.txt."""

    def __init__(self, tmp):
        self.tmp = tmp

    def write(self, name, files, inputs, gz=False, root="/clone/src/P"):
        folder = os.path.join(self.tmp, name, "Explorer")
        os.makedirs(os.path.join(folder, "reports"))
        path = os.path.join(folder, "reports", "mutation-report.json" + (".gz" if gz else ""))
        data = json.dumps(report(root, files))
        with (gzip.open(path, "wt") if gz else open(path, "w")) as fh:
            fh.write(data)
        if inputs is not None:
            with open(os.path.join(folder, "inputs.txt"), "w") as fh:
                fh.write(inputs)
        return path


SAME = "src/IommuVerify.Explorer 1111\ntests/IommuVerify.Explorer.Tests 2222\noptions: --configuration Release\n"


class JoinTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.parts = Parts(self.tmp)
        self.out = os.path.join(self.tmp, "joined", "Explorer", "reports", "mutation-report.json")

    def join(self, *paths, later_wins=False):
        args = ["join"] + (["--later-wins"] if later_wins else []) + [self.out, *paths]
        with redirect_stdout(io.StringIO()):
            return survivors.main(args)

    def refusal(self, *paths):
        with self.assertRaises(SystemExit) as e, redirect_stdout(io.StringIO()):
            survivors.main(["join", self.out, *paths])
        return str(e.exception.code)

    def test_parts_with_the_same_inputs_join_and_keep_their_inputs(self):
        a = self.parts.write("a", {"A.cs": ["Killed", "Survived"], "B.cs": ["Ignored"]}, SAME)
        b = self.parts.write("b", {"A.cs": ["Ignored", "Ignored"], "B.cs": ["Timeout"]}, SAME, gz=True,
                             root="/other/src/P")
        self.assertEqual(self.join(a, b), 0)
        s, counts = score.score(self.out)
        self.assertEqual(counts, {"Killed": 1, "Survived": 1, "Timeout": 1})
        self.assertAlmostEqual(s, 200 / 3)
        with open(os.path.join(os.path.dirname(self.out), "inputs.txt")) as fh:
            self.assertEqual(fh.read(), SAME)

    def test_parts_with_different_inputs_are_refused_naming_the_difference(self):
        a = self.parts.write("a", {"A.cs": ["Killed"]}, SAME)
        b = self.parts.write("b", {"B.cs": ["Killed"]}, SAME.replace("2222", "3333"))
        message = self.refusal(a, b)
        self.assertIn("different inputs", message)
        self.assertIn("tests/IommuVerify.Explorer.Tests 3333", message)
        self.assertFalse(os.path.exists(self.out))

    def test_a_part_without_inputs_or_on_uncommitted_inputs_is_refused(self):
        a = self.parts.write("a", {"A.cs": ["Killed"]}, SAME)
        b = self.parts.write("b", {"B.cs": ["Killed"]}, None)
        self.assertIn("no inputs.txt", self.refusal(a, b))
        c = self.parts.write("c", {"B.cs": ["Killed"]}, SAME + "dirty: src/IommuVerify.Explorer/Checker.cs \n")
        self.assertIn("uncommitted inputs (src/IommuVerify.Explorer/Checker.cs)", self.refusal(a, c))

    def test_a_file_tested_in_two_parts_is_refused_unless_the_later_one_wins(self):
        a = self.parts.write("a", {"A.cs": ["Survived"]}, SAME)
        b = self.parts.write("b", {"A.cs": ["Killed"]}, SAME.replace("2222", "4444"))
        self.assertIn("different inputs", self.refusal(a, b))
        self.assertEqual(self.join(a, b, later_wins=True), 0)
        self.assertEqual(score.score(self.out)[1], {"Killed": 1})
        c = self.parts.write("c", {"A.cs": ["Killed"]}, SAME)
        self.assertIn("tested in two parts", self.refusal(a, c))


class ScoreTests(unittest.TestCase):
    def test_score_counts_timeouts_as_detected_and_leaves_out_compile_errors(self):
        self.assertEqual(score.score_of({"Killed": 3, "Timeout": 1, "Survived": 1, "CompileError": 9}), 80.0)
        self.assertIsNone(score.score_of({"Ignored": 2}))

    def test_ratchet_fails_a_full_run_below_its_recorded_score(self):
        tmp = tempfile.mkdtemp()
        baseline = os.path.join(tmp, "baseline.json")
        with open(baseline, "w") as fh:
            json.dump({"break": 80, "tolerance": 0.25, "scores": {"Explorer": 95.0}}, fh)
        os.makedirs(os.path.join(tmp, "out", "Explorer", "reports"))
        with open(os.path.join(tmp, "out", "Explorer", "reports", "mutation-report.json"), "w") as fh:
            json.dump(report("/r", {"A.cs": ["Killed"] * 9 + ["Survived"]}), fh)
        run = lambda *extra: subprocess.run([sys.executable, os.path.join(HERE, "score.py"), baseline,
                                             os.path.join(tmp, "out"), *extra], capture_output=True, text=True)
        self.assertEqual(run().returncode, 0)                 # 90% is above the break threshold
        failed = run("--ratchet")
        self.assertEqual(failed.returncode, 1)                # but below 95 - 0.25 on a full run
        self.assertIn("FAIL", failed.stdout)
        with open(os.path.join(tmp, "out", "Explorer.mode"), "w") as fh:
            fh.write("since\n")
        self.assertEqual(run("--ratchet").returncode, 0)      # a since-run is held to the threshold only


if __name__ == "__main__":
    unittest.main()
