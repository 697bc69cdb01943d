using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer;

/// <summary>One cell of the policy x invariant matrix.</summary>
/// <param name="Invariant">The invariant ID.</param>
/// <param name="Expected">What the model file expects.</param>
/// <param name="Outcome">What the check found.</param>
/// <param name="Length">The counterexample length when violated.</param>
/// <param name="TraceFile">The written trace file when violated and an output folder was given.</param>
public sealed record MatrixCell(string Invariant, Expectation Expected, Outcome Outcome, int? Length, string? TraceFile)
{
    /// <summary>True when the outcome is the expected one (inconclusive never meets an expectation).</summary>
    public bool Met => (Expected, Outcome) is (Expectation.Holds, Outcome.Holds) or (Expectation.Violated, Outcome.Violated);
}

/// <summary>One model's row.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Cells">The cells in spec order of invariant.</param>
/// <param name="Result">The full check result.</param>
public sealed record MatrixRow(string Model, ImmutableArray<MatrixCell> Cells, CheckResult Result);

/// <summary>The policy x invariant matrix of a set of models in one scope.</summary>
/// <param name="Scope">The scope name.</param>
/// <param name="Rows">One row per model.</param>
public sealed record MatrixResult(string Scope, ImmutableArray<MatrixRow> Rows)
{
    /// <summary>True when every cell meets its expectation.</summary>
    public bool AllMet => Rows.All(r => r.Cells.All(c => c.Met));

    /// <summary>The matrix as a Markdown table; trace links are relative to <paramref name="dir"/>.</summary>
    public string ToMarkdown(string? dir)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Policy x invariant matrix (scope \"{Scope}\")\n\n");
        sb.Append("| policy | ").Append(string.Join(" | ", InvariantIds.All)).Append(" | states | time |\n");
        sb.Append("| --- |").Append(string.Concat(InvariantIds.All.Select(_ => " --- |"))).Append(" ---: | ---: |\n");
        foreach (var r in Rows)
        {
            sb.Append("| ").Append(r.Model).Append(" |");
            foreach (var c in r.Cells)
            {
                string text = c.Outcome switch
                {
                    Outcome.Holds => "holds",
                    Outcome.Violated when c.TraceFile is not null =>
                        $"violated ([{c.Length} steps]({Path.GetRelativePath(dir ?? ".", c.TraceFile).Replace('\\', '/')}))",
                    Outcome.Violated => $"violated ({c.Length} steps)",
                    _ => "inconclusive",
                };
                string mark = c.Met ? "" : $" **UNEXPECTED: expected {c.Expected.ToString().ToLowerInvariant()}**";
                sb.Append(' ').Append(text).Append(mark).Append(" |");
            }

            sb.Append(CultureInfo.InvariantCulture, $" {r.Result.Stats.DistinctStates} | {r.Result.Stats.Elapsed.TotalSeconds:F1} s |\n");
        }

        int met = Rows.Sum(r => r.Cells.Count(c => c.Met)), all = Rows.Sum(r => r.Cells.Length);
        sb.Append(CultureInfo.InvariantCulture, $"\n{met} of {all} expectations met.\n");
        return sb.ToString();
    }

    /// <summary>The matrix as JSON.</summary>
    public JsonObject ToJson()
    {
        var rows = new JsonArray();
        foreach (var r in Rows)
        {
            var cells = new JsonObject();
            foreach (var c in r.Cells)
            {
                cells[c.Invariant] = new JsonObject
                {
                    ["expected"] = c.Expected.ToString().ToLowerInvariant(),
                    ["outcome"] = c.Outcome.ToString().ToLowerInvariant(),
                    ["met"] = c.Met,
                    ["length"] = c.Length,
                    ["trace"] = c.TraceFile,
                };
            }

            rows.Add(new JsonObject
            {
                ["model"] = r.Model,
                ["verdict"] = r.Result.Verdict.ToString().ToLowerInvariant(),
                ["states"] = r.Result.Stats.DistinctStates,
                ["depth"] = r.Result.Stats.Depth,
                ["seconds"] = r.Result.Stats.Elapsed.TotalSeconds,
                ["invariants"] = cells,
            });
        }

        return new JsonObject { ["scope"] = Scope, ["all_met"] = AllMet, ["models"] = rows };
    }
}

/// <summary>Runs the checker over many models and compares each invariant's outcome with the model's expectation.</summary>
public static class Matrix
{
    /// <summary>Checks every model in <paramref name="scope"/>; writes counterexample traces into <paramref name="outDir"/> when given.</summary>
    public static MatrixResult Run(IEnumerable<ModelFile> models, string scope, CheckOptions options, string? outDir)
    {
        var rows = ImmutableArray.CreateBuilder<MatrixRow>();
        foreach (var m in models)
        {
            var result = ModelChecker.Check(m, scope, options);
            var cells = ImmutableArray.CreateBuilder<MatrixCell>();
            foreach (var inv in result.Invariants)
            {
                var expected = m.Expect.TryGetValue(inv.Id, out var e) ? e : Expectation.Holds;
                string? file = inv.Counterexample is { } cex && outDir is not null
                    ? TraceWriter.Write(cex, m, scope, Path.Combine(outDir, "traces"))
                    : null;
                cells.Add(new MatrixCell(inv.Id, expected, inv.Outcome, inv.Counterexample?.Length, file));
            }

            rows.Add(new MatrixRow(m.Name, cells.ToImmutable(), result));
        }

        return new MatrixResult(scope, rows.ToImmutable());
    }
}
