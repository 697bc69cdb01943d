using IommuVerify.Conformance;
using IommuVerify.Testing;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using Xunit;

namespace IommuVerify.Conformance.Tests;

public sealed class LogCheckerTests
{
    private static string Log(string name) => RepoPaths.PathOf("tests", "conformance-logs", name);

    private static ModelFile Model(string name) => ModelLoader.Load(RepoPaths.Model(name));

    [Fact]
    public void A_log_within_the_spec_has_no_findings()
    {
        var v = LogChecker.Check(Log("intel-clean.log"), Model("intel-vtd"), "conformance");
        Assert.Equal(6, v.Steps);
        Assert.Empty(v.Findings);
    }

    [Fact]
    public void A_stale_translation_in_a_log_is_reported_with_its_line_and_rule()
    {
        var v = LogChecker.Check(Log("intel-stale-after-unmap.log"), Model("intel-vtd"), "conformance");
        var f = Assert.Single(v.Findings);
        Assert.Equal(7, f.Line);
        Assert.Equal(6, f.Step);
        Assert.Contains("XLATE-5", f.Rules);
    }

    [Fact]
    public void Under_a_buggy_policy_the_same_log_breaks_the_invariant_at_the_unmap()
    {
        var v = LogChecker.Check(Log("intel-stale-after-unmap.log"), Model("intel-unmap-forgets-pasid"), "conformance");
        var f = Assert.Single(v.Findings);
        Assert.Equal(5, f.Step);
        Assert.Contains(InvariantIds.TlbCoh, f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_without_a_result_is_an_input_error_with_its_position()
    {
        string file = Path.Combine(Path.GetTempPath(), "iommuverify-log-" + Environment.ProcessId + ".log");
        File.WriteAllText(file, "# x\n[1.0] map domain=d0 iova=0 pa=0 perm=rw\n");
        var e = Assert.Throws<InputError>(() => LogChecker.Check(file, Model("intel-vtd"), "conformance"));
        Assert.Equal(2, e.Line);
        Assert.Equal(40, e.Column);
    }
}
