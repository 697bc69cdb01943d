using System.Diagnostics;
using IommuVerify.Conformance.Protocol;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Conformance.Tests;

/// <summary>The exec: line protocol against the real CLI's serve command and against broken programs.</summary>
public sealed class ExecProtocolTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(2);

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [Fact]
    public void ServeConformsOnEveryTrace()
    {
        string cmd = $"dotnet {Quote(Repo.CliDll())} serve";
        var models = new ModelCache();
        var runner = new ConformanceRunner(models);
        using var impl = new ExecImplementation(cmd, TimeSpan.FromSeconds(30));
        foreach (string f in Repo.TraceFiles())
        {
            var verdict = runner.Run(TraceJson.LoadAny(f, models.Load), impl);
            Assert.True(verdict.Passed, f + ": " + string.Join("\n", verdict.Failures.Select(x => $"{x.Kind}: {x.Message}")));
        }
    }

    [Theory]
    [InlineData("crash-after-start.py", "exited with code 3")]
    [InlineData("hang.py", "no answer")]
    [InlineData("garbage.py", "not a result")]
    public void BrokenImplementationFailsWithAClearMessageWithinTheTimeout(string script, string expected)
    {
        string path = Repo.PathOf("tests", "conformance-impls", script);
        var models = new ModelCache();
        var trace = TraceJson.LoadAny(Path.Combine(Repo.Conformance, "rid-attach-paging-domain.trace"), models.Load);
        var clock = Stopwatch.StartNew();
        TraceVerdict verdict;
        using (var impl = new ExecImplementation($"python3 {Quote(path)}", StepTimeout))
        {
            verdict = new ConformanceRunner(models).Run(trace, impl);
        }

        clock.Stop();
        var failure = Assert.Single(verdict.Failures);
        Assert.Equal(FailureKind.ImplementationFailed, failure.Kind);
        Assert.Equal(1, failure.Step);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains("alloc_domain", failure.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < StepTimeout + TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void CrashReportsTheProcessErrorOutput()
    {
        string path = Repo.PathOf("tests", "conformance-impls", "crash-after-start.py");
        var models = new ModelCache();
        var trace = TraceJson.LoadAny(Path.Combine(Repo.Conformance, "pasid-attach-free-slot.trace"), models.Load);
        using var impl = new ExecImplementation($"python3 {Quote(path)}", StepTimeout);
        var failure = Assert.Single(new ConformanceRunner(models).Run(trace, impl).Failures);
        Assert.Contains("segmentation fault (simulated)", failure.Message, StringComparison.Ordinal);
    }
}
