using System.Collections.Immutable;
using IommuVerify.Conformance;
using IommuVerify.Reporting;
using IommuVerify.Smt.Checking;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;
using ExplorerMatrix = IommuVerify.Explorer.MatrixResult;
using ExplorerOutcome = IommuVerify.Explorer.Outcome;

namespace IommuVerify.Cli.Commands;

/// <summary>What <c>matrix</c> writes beside its Markdown and JSON: the HTML report, JUnit XML, a CI job summary;
/// and the cross-check of the explicit-state checker against bounded model checking.</summary>
public static class MatrixOutputs
{
    /// <summary>The explorer's matrix as report rows.</summary>
    public static IReadOnlyList<MatrixRow> Rows(ExplorerMatrix result, IReadOnlyList<ModelFile> models) =>
        result.Rows.Select((row, i) => new MatrixRow(
            row.Model,
            models[i].Path,
            models[i].Kind.ToString().ToLowerInvariant(),
            models[i].Platform,
            result.Scope,
            row.Cells.Select(c => new MatrixCell(c.Invariant, c.Expected, Map(c.Outcome), c.Length, c.TraceFile)).ToImmutableArray())).ToList();

    private static Reporting.Outcome Map(ExplorerOutcome o) => o switch
    {
        ExplorerOutcome.Holds => Reporting.Outcome.Holds,
        ExplorerOutcome.Violated => Reporting.Outcome.Violated,
        _ => Reporting.Outcome.Inconclusive,
    };

    /// <summary>Writes the requested report files.</summary>
    public static void Write(IReadOnlyList<MatrixRow> rows, string? report, string? junit, string? summary, string checker)
    {
        if (report is not null)
        {
            var models = new ModelCache();
            var views = rows.SelectMany(r => r.Cells)
                .Where(c => c.TraceFile is not null && File.Exists(c.TraceFile))
                .Select(c =>
                {
                    var t = TraceText.Load(c.TraceFile!, models.Load);
                    return CounterexampleBuilder.Build(t, models.Load(t.ModelPath));
                })
                .ToList();
            File.WriteAllText(report, HtmlReport.Render("IommuVerify matrix", rows, views, report, $"checker: {checker}; {views.Count} counterexamples, each replayed on the reference model"));
            Console.WriteLine($"matrix: wrote {report}");
        }

        if (junit is not null)
        {
            File.WriteAllText(junit, CiFormats.JUnit(rows, f => File.Exists(f) ? File.ReadAllText(f) : null));
            Console.WriteLine($"matrix: wrote {junit}");
        }

        if (summary is not null)
        {
            File.AppendAllText(summary, CiFormats.Markdown(rows) + "\n");
            Console.WriteLine($"matrix: appended the summary to {summary}");
        }
    }

    /// <summary>Runs BMC on each model to the given depth and compares with the explicit-state rows: the same verdict
    /// for every invariant and, when violated, the same shortest counterexample length. Returns the disagreements.</summary>
    public static IReadOnlyList<string> CrossCheck(IReadOnlyList<MatrixRow> explicitRows, IReadOnlyList<ModelFile> models, string scope, int depth, TimeSpan timeout)
    {
        var problems = new List<string>();
        for (int i = 0; i < models.Count; i++)
        {
            var bmc = BmcChecker.Run(models[i], scope, depth, timeout);
            foreach (var l in bmc.Lemmas.Where(l => l.Verdict is BmcVerdict.Violated or BmcVerdict.EncodingBug))
            {
                problems.Add($"{models[i].Name} {l.Id}: the model's lemma is {(l.Verdict == BmcVerdict.Violated ? "violated" : "an encoding bug")}: {l.Detail}");
            }

            foreach (var cell in explicitRows[i].Cells)
            {
                var b = bmc.Invariants.First(x => x.Id == cell.Invariant);
                string where = $"{models[i].Name} {cell.Invariant}";
                switch (cell.Outcome, b.Verdict)
                {
                    case (Reporting.Outcome.Violated, BmcVerdict.Violated) when cell.Length == b.Depth:
                    case (Reporting.Outcome.Holds, BmcVerdict.HoldsToDepth):
                        break;
                    case (Reporting.Outcome.Violated, BmcVerdict.HoldsToDepth) when cell.Length > depth:
                        problems.Add($"{where}: explicit counterexample of {cell.Length} steps is beyond the BMC depth {depth}: not compared");
                        break;
                    case (_, BmcVerdict.Inconclusive):
                        problems.Add($"{where}: BMC inconclusive ({b.Detail}): not compared");
                        break;
                    default:
                        problems.Add($"{where}: DISAGREE: explicit {cell.Outcome.ToString().ToLowerInvariant()}{(cell.Length is { } l ? $" ({l} steps)" : "")}, bmc {b.Verdict} at depth {b.Depth}");
                        break;
                }
            }
        }

        return problems;
    }
}
