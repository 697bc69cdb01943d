using System.Globalization;
using System.Text;
using System.Xml.Linq;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Reporting;

/// <summary>Matrix results in the forms CI systems read: JUnit XML and a Markdown job summary.</summary>
public static class CiFormats
{
    /// <summary>JUnit XML: one test suite per model, one test case per invariant; a cell that misses its
    /// expectation is a failure carrying the counterexample trace text when there is one.</summary>
    public static string JUnit(IReadOnlyList<MatrixRow> rows, Func<string, string?> readTrace)
    {
        var suites = new XElement("testsuites", new XAttribute("name", "iommuverify"));
        int allTests = 0, allFailures = 0, allSkipped = 0;
        foreach (var row in rows)
        {
            int failures = 0, skipped = 0;
            var suite = new XElement("testsuite", new XAttribute("name", row.Model));
            foreach (var c in row.Cells)
            {
                var tc = new XElement("testcase",
                    new XAttribute("classname", $"iommuverify.{row.Model}"),
                    new XAttribute("name", $"{c.Invariant} expected {Word(c.Expected)}"));
                if (c.Outcome == Outcome.NotChecked)
                {
                    skipped++;
                    tc.Add(new XElement("skipped", new XAttribute("message", "not checked")));
                }
                else if (!c.MeetsExpectation)
                {
                    failures++;
                    string message = $"{c.Invariant}: expected {Word(c.Expected)}, found {Describe(c)}";
                    string? body = c.TraceFile is null ? null : readTrace(c.TraceFile);
                    tc.Add(new XElement("failure", new XAttribute("message", message), new XAttribute("type", "expectation"),
                        body is null ? message : $"{message}\ntrace {c.TraceFile}:\n{body}"));
                }
                else if (c.TraceFile is not null)
                {
                    tc.Add(new XElement("system-out", $"counterexample ({c.Length} steps): {c.TraceFile}"));
                }

                suite.Add(tc);
            }

            suite.Add(new XAttribute("tests", row.Cells.Length), new XAttribute("failures", failures), new XAttribute("skipped", skipped), new XAttribute("errors", 0));
            allTests += row.Cells.Length;
            allFailures += failures;
            allSkipped += skipped;
            suites.Add(suite);
        }

        suites.Add(new XAttribute("tests", allTests), new XAttribute("failures", allFailures), new XAttribute("skipped", allSkipped), new XAttribute("errors", 0));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString() + "\n";
    }

    /// <summary>A Markdown table for a CI job summary (e.g. GitHub's GITHUB_STEP_SUMMARY).</summary>
    public static string Markdown(IReadOnlyList<MatrixRow> rows)
    {
        var sb = new StringBuilder();
        int met = rows.Sum(r => r.Cells.Count(c => c.MeetsExpectation));
        int total = rows.Sum(r => r.Cells.Length);
        sb.Append(CultureInfo.InvariantCulture, $"### IommuVerify: {met} of {total} expectations met\n\n");
        sb.Append("| model | scope |");
        foreach (string id in InvariantIds.All)
        {
            sb.Append(' ').Append(id).Append(" |");
        }

        sb.Append("\n|---|---|").Append(string.Concat(Enumerable.Repeat("---|", InvariantIds.All.Length))).Append('\n');
        foreach (var row in rows)
        {
            sb.Append("| ").Append(row.Model).Append(" | ").Append(row.Scope).Append(" |");
            foreach (var c in row.Cells)
            {
                string mark = c.Outcome == Outcome.NotChecked ? "" : c.MeetsExpectation ? "✅ " : "❌ ";
                string text = Describe(c);
                if (c.TraceFile is not null)
                {
                    text = $"[{text}]({c.TraceFile.Replace('\\', '/')})";
                }

                sb.Append(' ').Append(mark).Append(text).Append(" |");
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Word(Expectation e) => e == Expectation.Holds ? "holds" : "violated";

    private static string Describe(MatrixCell c) => c.Outcome switch
    {
        Outcome.Holds => "holds",
        Outcome.Violated => c.Length is { } n ? $"violated ({n} steps)" : "violated",
        Outcome.Inconclusive => "inconclusive",
        _ => "not checked",
    };
}
