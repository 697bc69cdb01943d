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
