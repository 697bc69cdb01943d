using System.Diagnostics;
using IommuVerify.Conformance.Protocol;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Conformance.Tests;

/// <summary>The exec: line protocol against the real CLI's serve command and against broken programs.</summary>
public sealed class ExecProtocolTests
{
    /// <summary>The step timeout where the test is about the timeout (a program that never answers).</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The step timeout where it is not: a loaded machine can take more than 2 s to start Python, and then
    /// the first answer times out before the program gets to crash or print garbage.</summary>
    private static readonly TimeSpan StartupSlack = TimeSpan.FromSeconds(20);

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
        var timeout = script == "hang.py" ? StepTimeout : StartupSlack;
        var clock = Stopwatch.StartNew();
        TraceVerdict verdict;
        using (var impl = new ExecImplementation($"python3 {Quote(path)}", timeout))
        {
            verdict = new ConformanceRunner(models).Run(trace, impl);
        }

        clock.Stop();
        var failure = Assert.Single(verdict.Failures);
        Assert.Equal(FailureKind.ImplementationFailed, failure.Kind);
        Assert.Equal(1, failure.Step);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains("alloc_domain", failure.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void CrashReportsTheProcessErrorOutput()
    {
        string path = Repo.PathOf("tests", "conformance-impls", "crash-after-start.py");
        var models = new ModelCache();
        var trace = TraceJson.LoadAny(Path.Combine(Repo.Conformance, "pasid-attach-free-slot.trace"), models.Load);
        using var impl = new ExecImplementation($"python3 {Quote(path)}", StartupSlack);
        var failure = Assert.Single(new ConformanceRunner(models).Run(trace, impl).Failures);
        Assert.Contains("segmentation fault (simulated)", failure.Message, StringComparison.Ordinal);
    }
}
