using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Tests;

public class MatrixTests
{
    [Fact]
    public void Matrix_at_small_meets_every_expectation()
    {
        var models = TestModels.Names.Select(TestModels.Load).ToList();
        string dir = Path.Combine(Path.GetTempPath(), "iommuverify-matrix-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = Matrix.Run(models, "small", new CheckOptions(), dir);
            Assert.Equal(models.Count, result.Rows.Length);
            foreach (var row in result.Rows)
            {
                Assert.Null(row.Result.StopReason);
                foreach (var cell in row.Cells)
                {
                    Assert.True(cell.Met, $"{row.Model} {cell.Invariant}: expected {cell.Expected}, found {cell.Outcome}");
                    if (cell.Outcome == Outcome.Violated)
                    {
                        Assert.True(File.Exists(cell.TraceFile));
                    }
                }
            }

            string md = result.ToMarkdown(dir);
            Assert.Contains("| amd-v2-per-domain-did |", md, StringComparison.Ordinal);
            Assert.Contains("traces/amd-v2-per-domain-did-inv-tlb-coh.trace", md, StringComparison.Ordinal);
            Assert.Equal(result.AllMet, (bool)result.ToJson()["all_met"]!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>The matrix's rendering and its met/unmet logic on cells chosen to show every case.</summary>
public class MatrixRenderingTests
{
    [Theory]
    [InlineData(Expectation.Holds, Outcome.Holds, true)]
    [InlineData(Expectation.Violated, Outcome.Violated, true)]
    [InlineData(Expectation.Holds, Outcome.Violated, false)]
    [InlineData(Expectation.Violated, Outcome.Holds, false)]
    [InlineData(Expectation.Holds, Outcome.Inconclusive, false)]
    [InlineData(Expectation.Violated, Outcome.Inconclusive, false)]
    public void A_cell_is_met_only_when_the_outcome_is_the_expectation(Expectation expected, Outcome outcome, bool met) =>
        Assert.Equal(met, new MatrixCell("INV-X", expected, outcome, null, null).Met);

    [Fact]
    public void Markdown_and_json_show_each_outcome_its_trace_and_what_was_unexpected()
    {
        var m = TestModels.Load("amd-v2-per-domain-did");
        var result = ModelChecker.Check(m, "small", new CheckOptions { Workers = 1 });
        string dir = Path.Combine(Path.GetTempPath(), "matrix-render");
        string trace = Path.Combine(dir, "traces", "t.trace");
        var ids = InvariantIds.All;
        ImmutableArray<MatrixCell> cells =
        [
            new(ids[0], Expectation.Holds, Outcome.Holds, null, null),
            new(ids[1], Expectation.Violated, Outcome.Violated, 4, trace),
            new(ids[2], Expectation.Violated, Outcome.Violated, 2, null),
            new(ids[3], Expectation.Holds, Outcome.Violated, 5, null),
            new(ids[4], Expectation.Violated, Outcome.Inconclusive, null, null),
            new(ids[5], Expectation.Holds, Outcome.Inconclusive, null, null),
        ];
        var matrix = new MatrixResult("small", [new MatrixRow(m.Name, cells, result)]);
        Assert.False(matrix.AllMet);
        Assert.True(new MatrixResult("small", [new MatrixRow(m.Name, cells[..3], result)]).AllMet);
        Assert.True(new MatrixResult("small", []).AllMet);

        var s = result.Stats;
        string expected =
            "# Policy x invariant matrix (scope \"small\")\n\n" +
            $"| policy | {string.Join(" | ", ids)} | states | time |\n" +
            "| --- | --- | --- | --- | --- | --- | --- | ---: | ---: |\n" +
            "| amd-v2-per-domain-did | holds | violated ([4 steps](traces/t.trace)) | violated (2 steps) |" +
            " violated (5 steps) **UNEXPECTED: expected holds** | inconclusive **UNEXPECTED: expected violated** |" +
            " inconclusive **UNEXPECTED: expected holds** |" +
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $" {s.DistinctStates} | {s.Elapsed.TotalSeconds:F1} s |\n") +
            "\n3 of 6 expectations met.\n";
        Assert.Equal(expected, matrix.ToMarkdown(dir));

        var json = matrix.ToJson();
        Assert.Equal("small", (string)json["scope"]!);
        Assert.False((bool)json["all_met"]!);
        var row = json["models"]!.AsArray().Single()!.AsObject();
        Assert.Equal(m.Name, (string)row["model"]!);
        Assert.Equal(result.Verdict.ToString().ToLowerInvariant(), (string)row["verdict"]!);
        Assert.Equal(s.DistinctStates, (long)row["states"]!);
        Assert.Equal(s.Depth, (int)row["depth"]!);
        Assert.Equal(s.Elapsed.TotalSeconds, (double)row["seconds"]!);
        var c1 = row["invariants"]![ids[1]]!.AsObject();
        Assert.Equal("violated", (string)c1["expected"]!);
        Assert.Equal("violated", (string)c1["outcome"]!);
        Assert.True((bool)c1["met"]!);
        Assert.Equal(4, (int)c1["length"]!);
        Assert.Equal(trace, (string)c1["trace"]!);
        var c4 = row["invariants"]![ids[4]]!.AsObject();
        Assert.Equal("inconclusive", (string)c4["outcome"]!);
        Assert.False((bool)c4["met"]!);
        Assert.Null(c4["length"]);
        Assert.Null(c4["trace"]);
    }

    [Fact]
    public void A_model_without_an_expectation_for_an_invariant_is_expected_to_hold_it()
    {
        var m = TestModels.Load("amd-v2-per-domain-did"); // its file expects INV-TLB-COH violated
        Assert.Equal(Expectation.Violated, m.Expect[InvariantIds.TlbCoh]);
        var bare = m with { Expect = m.Expect.Clear() };
        var result = Matrix.Run([bare], "small", new CheckOptions { Workers = 1 }, outDir: null);
        var row = Assert.Single(result.Rows);
        Assert.Equal(InvariantIds.All, row.Cells.Select(c => c.Invariant));
        Assert.All(row.Cells, c => Assert.Equal(Expectation.Holds, c.Expected));
        Assert.All(row.Cells, c => Assert.Null(c.TraceFile));
        Assert.Equal(row.Result.Invariants.Select(i => i.Outcome), row.Cells.Select(c => c.Outcome));
        Assert.False(row.Cells.Single(c => c.Invariant == InvariantIds.TlbCoh).Met);
        Assert.False(result.AllMet);
    }

    [Fact]
    public void The_markdown_total_counts_the_cells_of_every_row()
    {
        var m = TestModels.Load("amd-v2-per-domain-did");
        var result = ModelChecker.Check(m, "small", new CheckOptions { Workers = 1, MaxDepth = 1 });
        var ids = InvariantIds.All;
        ImmutableArray<MatrixCell> twoOfThree =
        [
            new(ids[0], Expectation.Holds, Outcome.Holds, null, null),
            new(ids[1], Expectation.Holds, Outcome.Holds, null, null),
            new(ids[2], Expectation.Holds, Outcome.Inconclusive, null, null),
        ];
        ImmutableArray<MatrixCell> oneOfOne = [new(ids[0], Expectation.Holds, Outcome.Holds, null, null)];
        var matrix = new MatrixResult("small", [new MatrixRow("a", twoOfThree, result), new MatrixRow("b", oneOfOne, result)]);
        Assert.EndsWith("\n3 of 4 expectations met.\n", matrix.ToMarkdown(null), StringComparison.Ordinal);
    }
}
