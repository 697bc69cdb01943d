using IommuVerify.Testing;
using Xunit;

namespace IommuVerify.Cli.Tests;

/// <summary>The README's commands, run as a user would run them (short settings where a command is long by nature).</summary>
public sealed class ReadmeCommandTests
{
    private static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"iommuverify-readme-{name}-{Environment.ProcessId}");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void The_main_job_meets_every_expectation_and_writes_its_reports()
    {
        string dir = TempDir("matrix");
        var args = new List<string> { "matrix" };
        args.AddRange(RepoPaths.ModelFiles);
        args.AddRange(["--scope", "small", "--out", Path.Combine(dir, "m"), "--report", Path.Combine(dir, "r.html"), "--junit", Path.Combine(dir, "j.xml"), "--summary", Path.Combine(dir, "s.md")]);
        var r = Cli.ExecIn(dir, [.. args]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("84 of 84 expectations met", r.Stdout, StringComparison.Ordinal);
        foreach (string f in new[] { "m/matrix.md", "m/matrix.json", "r.html", "j.xml", "s.md" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), f + " missing\n" + r);
        }

        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "m", "traces"), "*.trace").Length);
    }

    [Fact]
    public void Fuzz_and_bench_run_and_report_their_figures()
    {
        string dir = TempDir("fuzz");
        var fuzz = Cli.ExecIn(dir, "fuzz", "intel-vtd", "--seconds", "1", "--seed", "7");
        Assert.True(fuzz.ExitCode == 0, fuzz.ToString());
        Assert.Contains("no disagreement", fuzz.Stdout + fuzz.Stderr, StringComparison.Ordinal);
        var bench = Cli.ExecIn(dir, "bench", "--runs", "1");
        Assert.True(bench.ExitCode == 0, bench.ToString());
        Assert.Contains("ns", bench.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Checker_bench_prints_one_row_per_configuration_with_the_same_state_count()
    {
        var r = Cli.Exec("bench", "--checker", "--model", "intel-vtd", "--scope", "small", "--runs", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = r.Stdout.Split('\n').Where(l => l.StartsWith("compact ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows, row => Assert.Contains(" 685 ", row, StringComparison.Ordinal));
        Assert.Contains("2 workers vs 1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("<= 16 B/state in the seen-set: met", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("the targets are meant for a scope that takes 10 to 120 s", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_and_conform_run_on_a_shipped_trace()
    {
        var replay = Cli.Exec("replay", RepoPaths.PathOf("tests", "conformance", "amd-v2-alias.trace"));
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("violates INV-TLB-COH", replay.Stdout, StringComparison.Ordinal);
        var engine = Cli.Exec("conform", RepoPaths.Conformance, "--impl", "engine");
        Assert.True(engine.ExitCode == 0, engine.ToString());
    }
}
