using System.Diagnostics;
using IommuVerify.Conformance;
using IommuVerify.Conformance.Protocol;
using IommuVerify.Vocabulary.Traces;
using Xunit;
using Xunit.Abstractions;

namespace IommuVerify.Conformance.Tests;

/// <summary>The C implementation in tests/conformance-impls/c, built with gcc and checked over the line protocol.</summary>
/// <remarks>Issue 7: an implementation outside the .NET solution must conform to every trace in tests/conformance,
/// and its deliberate bug (<c>--bug forget-pasid-flush</c>) must be caught as a wrong result.</remarks>
public sealed class CImplementationTests(ITestOutputHelper output)
{
    private static readonly object BuildLock = new();
    private static string? _built;

    [Fact]
    public void EveryConformanceTracePassesOnTheCImplementation()
    {
        string? exe = BuildOrSkip();
        if (exe is null)
        {
            return;
        }

        var verdicts = RunAll(ShellQuote(exe));
        foreach (var v in verdicts.Where(v => !v.Passed))
        {
            foreach (var f in v.Failures)
            {
                output.WriteLine($"{v.File}:{f.Line}: step {f.Step}: {f.Kind}: {f.Message}");
            }
        }

        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.True(v.Passed, $"{v.File} failed: {string.Join("; ", v.Failures.Select(f => $"step {f.Step}: {f.Kind}: {f.Message}"))}"));
        output.WriteLine($"{verdicts.Count} traces passed on {exe}");
    }

    [Fact]
    public void ForgetPasidFlushBugIsCaughtAsAWrongResult()
    {
        string? exe = BuildOrSkip();
        if (exe is null)
        {
            return;
        }

        var verdicts = RunAll(ShellQuote(exe) + " --bug forget-pasid-flush");
        var failed = verdicts.Where(v => !v.Passed).ToList();
        foreach (var v in failed)
        {
            foreach (var f in v.Failures)
            {
                output.WriteLine($"{v.File}:{f.Line}: step {f.Step}: {f.Kind}: {f.Message}");
            }
        }

        Assert.NotEmpty(failed);

        // The bug gives stale pages, nothing else: every failure is a wrong result at a step of a trace file.
        Assert.All(failed.SelectMany(v => v.Failures), f => Assert.Equal(FailureKind.WrongResult, f.Kind));
        foreach (var v in failed)
        {
            Assert.True(File.Exists(v.File), $"the failing trace is reported by its file: {v.File}");
            Assert.EndsWith(".trace", v.File, StringComparison.Ordinal);
            Assert.All(v.Failures, f =>
            {
                Assert.True(f.Step > 0, "the failure names its step");
                Assert.True(f.Line > 0, "the failure names its line");
            });
        }

        // The trace written for this bug must be among those that catch it.
        Assert.Contains(failed, v => Path.GetFileName(v.File) == "c-impl-unmap-pasid-flush.trace" &&
            v.Failures.Any(f => f.Message.Contains("returned pa", StringComparison.Ordinal)));
    }

    private List<TraceVerdict> RunAll(string command)
    {
        string root = RepoRoot();
        string rules = SpecRules.Find(root) ?? throw new InvalidOperationException("spec/rules.txt not found");
        var models = new ModelCache();
        var runner = new ConformanceRunner(models, SpecRules.Load(rules));
        var files = TraceFiles.Expand([Path.Combine(root, "tests", "conformance")]);
        var verdicts = new List<TraceVerdict>();
        using var impl = new ExecImplementation(command, TimeSpan.FromSeconds(5));
        foreach (string f in files)
        {
            verdicts.Add(runner.Run(TraceJson.LoadAny(f, models.Load), impl));
        }

        return verdicts;
    }

    /// <summary>Runs build.sh once per test run; null (with a message) when gcc is missing.</summary>
    private string? BuildOrSkip()
    {
        if (!OnPath("gcc"))
        {
            output.WriteLine("SKIPPED: gcc is not on PATH, so the C implementation cannot be built.");
            return null;
        }

        lock (BuildLock)
        {
            if (_built is not null)
            {
                return _built;
            }

            string dir = Path.Combine(RepoRoot(), "tests", "conformance-impls", "c");
            var psi = new ProcessStartInfo("/bin/sh", [Path.Combine(dir, "build.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not run build.sh");
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "build.sh did not finish within 60 s");
            Assert.True(p.ExitCode == 0, $"build.sh failed with exit code {p.ExitCode}: {stdout} {stderr.Result}");
            string exe = Path.Combine(dir, "build", "iommu-c");
            Assert.True(File.Exists(exe), $"build.sh did not produce {exe}");
            _built = exe;
            return exe;
        }
    }

    /// <summary>ExecImplementation runs its command with /bin/sh -c, so a path with spaces must be quoted.</summary>
    private static string ShellQuote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, program)));

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "IommuVerify.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"IommuVerify.sln not found above {AppContext.BaseDirectory}");
    }
}
