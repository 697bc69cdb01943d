using System.Text.RegularExpressions;
using Xunit;

namespace IommuVerify.Cli.Tests;

/// <summary>Exit codes and messages of the command-line tool, run as a process.</summary>
public sealed partial class CliTests
{
    [GeneratedRegex(@"^iommuverify: (?<file>.+?):(?<line>\d+):(?<col>\d+): ", RegexOptions.Multiline)]
    private static partial Regex Located();

    [Fact]
    public void ModelsValidateAcceptsEveryShippedModel()
    {
        var models = Directory.EnumerateFiles(Cli.PathOf("models"), "*.json").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(models);
        var r = Cli.Exec(["models", "validate", .. models]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"{models.Length} valid, 0 invalid", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model-bad-json-syntax.json", 19, 25)]
    [InlineData("model-unknown-field.json", 12, 5)]
    [InlineData("model-duplicate-device.json", 17, 19)]
    [InlineData("model-missing-expect-entry.json", 24, 13)]
    [InlineData("model-vf-own-pasid.json", 17, 66)]
    public void BadModelExitsTwoWithFileLineColumnAndNoStackTrace(string sample, int line, int col)
    {
        string file = Cli.PathOf("tests", "bad-inputs", sample);
        var r = Cli.Exec("models", "validate", file);
        Assert.True(r.ExitCode == 2, r.ToString());
        var m = Located().Match(r.Stderr);
        Assert.True(m.Success, r.ToString());
        Assert.Equal(file, m.Groups["file"].Value);
        Assert.Equal((line, col), (int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(r.HasStackTrace, r.ToString());
    }

    [Fact]
    public void ConformOnTheSuitePasses()
    {
        var r = Cli.Exec("conform", Cli.PathOf("tests", "conformance"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains(" 0 failed", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL ", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceWithAWrongExpectedResultExitsOneNamingFileLineAndRule()
    {
        string dir = Directory.CreateTempSubdirectory("iommuverify-cli-").FullName;
        try
        {
            string trace = Path.Combine(dir, "wrong-result.trace");
            File.WriteAllText(trace, string.Join('\n',
                "# attach_rid over an attached RID is EBUSY; this trace wrongly expects ok on line 8",
                "trace wrong-result",
                $"model {Cli.PathOf("models", "intel-vtd.json")}",
                "scope standard",
                "alloc_domain dev=gpu kind=paging flags=none -> ok d0",
                "attach_rid dev=gpu domain=d0 -> ok",
                "",
                "attach_rid dev=gpu domain=d0 -> ok",
                ""));
            var r = Cli.ExecIn(dir, "conform", trace);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains($"{trace}:8", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("RID-ATTACH-2", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("1 failed", r.Stdout, StringComparison.Ordinal);
            Assert.False(r.HasStackTrace, r.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("--frobnicate")]
    [InlineData("models", "check")]
    [InlineData("models", "validate", "--frobnicate", "models/intel-vtd.json")]
    [InlineData("replay", "--frobnicate", "tests/conformance/amd-v2-alias.trace")]
    public void UnknownCommandOrOptionExitsTwo(params string[] args)
    {
        var r = Cli.Exec(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.False(r.HasStackTrace, r.ToString());
        Assert.NotEqual("", r.Stderr.Trim());
    }

    [Fact]
    public void BadTraceInConformExitsTwoWithoutStackTrace()
    {
        string file = Cli.PathOf("tests", "bad-inputs", "trace-pasid-out-of-range.trace");
        var r = Cli.Exec("conform", file);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"{file}:6:28: ", r.Stderr, StringComparison.Ordinal);
        Assert.False(r.HasStackTrace, r.ToString());
    }

    [Fact]
    public void UnknownOptionOfConformExitsTwo()
    {
        var r = Cli.Exec("conform", "--frobnicate", "tests/conformance");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.False(r.HasStackTrace, r.ToString());
    }
}
