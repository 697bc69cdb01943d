using System.Xml.Linq;
using IommuVerify.Reporting;
using IommuVerify.Vocabulary.Model;
using Xunit;

namespace IommuVerify.Reporting.Tests;

public sealed class CiFormatsTests
{
    private static MatrixRow Row(string model, Outcome tlb, Expectation tlbExpected, string? trace) =>
        new(model, model + ".json", "proposal", "intel-vtd", "small",
            [.. InvariantIds.All.Select(id => id == InvariantIds.TlbCoh
                ? new MatrixCell(id, tlbExpected, tlb, tlb == Outcome.Violated ? 4 : null, trace)
                : new MatrixCell(id, Expectation.Holds, Outcome.Holds, null, null))]);

    [Fact]
    public void JUnit_has_one_case_per_model_and_invariant_and_fails_unmet_expectations_with_the_trace()
    {
        var rows = new[]
        {
            Row("good", Outcome.Holds, Expectation.Holds, null),
            Row("bad", Outcome.Violated, Expectation.Holds, "bad.trace"),
            Row("known-bad", Outcome.Violated, Expectation.Violated, "kb.trace"),
        };
        var doc = XDocument.Parse(CiFormats.JUnit(rows, f => f == "bad.trace" ? "map domain=d0 iova=0 pa=0 perm=rw -> ok" : null));
        var root = doc.Root!;
        Assert.Equal("18", root.Attribute("tests")!.Value);
        Assert.Equal("1", root.Attribute("failures")!.Value);
        Assert.Equal(3, root.Elements("testsuite").Count());
        var failure = Assert.Single(doc.Descendants("failure"));
        Assert.Contains("INV-TLB-COH", failure.Attribute("message")!.Value, StringComparison.Ordinal);
        Assert.Contains("map domain=d0", failure.Value, StringComparison.Ordinal);
        Assert.Equal("bad", failure.Parent!.Parent!.Attribute("name")!.Value);
    }

    [Fact]
    public void Markdown_marks_met_and_unmet_cells_and_links_traces()
    {
        string md = CiFormats.Markdown([Row("good", Outcome.Holds, Expectation.Holds, null), Row("bad", Outcome.Violated, Expectation.Holds, "out/bad.trace")]);
        Assert.Contains("11 of 12 expectations met", md, StringComparison.Ordinal);
        Assert.Contains("❌ [violated (4 steps)](out/bad.trace)", md, StringComparison.Ordinal);
        Assert.Equal(2 + 2, md.Split('\n').Count(l => l.StartsWith('|')));
    }
}
