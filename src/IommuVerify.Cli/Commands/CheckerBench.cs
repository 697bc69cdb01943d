using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using IommuVerify.Vocabulary;

namespace IommuVerify.Cli;

/// <summary><c>iommuverify bench --checker</c>: the explicit-state checker's performance table, each configuration
/// run as its own <c>check --json</c> process so that peak memory and JIT warm-up are per run, as a user sees them.</summary>
internal static class CheckerBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One configuration of the table.</summary>
    /// <param name="Successor">compact or reference.</param>
    /// <param name="Symmetry">Symmetry reduction on.</param>
    /// <param name="Workers">Worker threads.</param>
    private sealed record Config(string Successor, bool Symmetry, int Workers);

    /// <summary>A configuration's medians over its runs.</summary>
    private sealed record Row(Config Config, int Runs, long States, long Transitions, double Wall, double BestWall, double Cpu, double BytesPerState, long PeakBytes, int GroupSize);

    /// <summary>Runs the table and prints it; returns the exit code.</summary>
    public static int Run(string model, string scope, int runs, bool withReference)
    {
        var configs = new List<Config>();
        foreach (bool sym in new[] { true, false })
        {
            foreach (int w in new[] { 1, 2 })
            {
                configs.Add(new Config("compact", sym, w));
            }
        }

        if (withReference)
        {
            configs.Add(new Config("reference", true, 1));
        }

        Console.WriteLine($"checker bench: {model} scope {scope}; {runs} run(s) per row, medians; each run is a separate `check --json` process");
        Console.WriteLine($"(load average {LoadAverage()}; the machine's {Environment.ProcessorCount} cores may be shared: CPU time is less sensitive to other jobs than wall time, and the best run shows what an idle machine would)");
        Console.WriteLine();
        Console.WriteLine($"{"successor",-10} {"symmetry",-9} {"workers",7} {"states",9} {"transitions",12} {"wall s",7} {"best s",7} {"CPU s",6} {"trans/s",9} {"trans/CPU-s",11} {"B/state",7} {"peak MiB",8}");
        var rows = new List<Row>();
        double machine = MachineSpeedup();
        foreach (var c in configs)
        {
            var row = Measure(model, scope, c, c.Successor == "reference" ? 1 : runs);
            rows.Add(row);
            Console.WriteLine(string.Create(Inv,
                $"{c.Successor,-10} {(c.Symmetry ? $"on ({row.GroupSize})" : "off"),-9} {c.Workers,7} {row.States,9} {row.Transitions,12} {row.Wall,7:F2} {row.BestWall,7:F2} {row.Cpu,6:F2} {Rate(row.Transitions / row.Wall),9} {Rate(row.Transitions / row.Cpu),11} {row.BytesPerState,7:F1} {row.PeakBytes / (1 << 20),8}"));
        }

        Console.WriteLine();
        foreach (bool sym in new[] { true, false })
        {
            var one = rows.Single(r => r.Config is { Successor: "compact", Workers: 1 } && r.Config.Symmetry == sym);
            var two = rows.Single(r => r.Config is { Successor: "compact", Workers: 2 } && r.Config.Symmetry == sym);
            Console.WriteLine(string.Create(Inv,
                $"symmetry {(sym ? "on" : "off")}: 2 workers vs 1: wall speed-up {one.Wall / two.Wall:F2}x (medians), {one.BestWall / two.BestWall:F2}x (best runs); CPU time {two.Cpu / one.Cpu:F2}x of 1 worker's"));
        }

        Console.WriteLine(string.Create(Inv,
            $"calibration: a CPU-bound loop with no shared data got through twice the work on 2 threads {machine:F2}x as fast as the work on 1 before the table, {MachineSpeedup():F2}x after it (an idle 2-core machine: about 2x)"));
        if (rows.FirstOrDefault(r => r.Config.Successor == "reference") is { } slow)
        {
            var fast = rows.First(r => r.Config is { Successor: "compact", Symmetry: true, Workers: 1 });
            Console.WriteLine(string.Create(Inv, $"compact vs reference successor function, 1 worker: {slow.Wall / fast.Wall:F1}x wall, {slow.Cpu / fast.Cpu:F1}x CPU"));
        }

        var on1 = rows.Single(r => r.Config is { Successor: "compact", Symmetry: true, Workers: 1 });
        var on2 = rows.Single(r => r.Config is { Successor: "compact", Symmetry: true, Workers: 2 });
        static string Met(bool ok) => ok ? "met" : "NOT met";
        Console.WriteLine(string.Create(Inv,
            $"targets (symmetry on): >= 3 M transitions/s with 2 workers: {Met(on2.Transitions / on2.Wall >= 3e6)} ({Rate(on2.Transitions / on2.Wall)}); <= 16 B/state in the seen-set: {Met(on2.BytesPerState <= 16)} ({on2.BytesPerState:F1}); 2 workers >= 1.6x as fast as 1: {Met(on1.Wall / on2.Wall >= 1.6)} ({on1.Wall / on2.Wall:F2}x, medians)"));
        if (on2.Wall is < 10 or > 120)
        {
            Console.WriteLine(string.Create(Inv, $"note: the 2-worker run took {on2.Wall:F1} s; the targets are meant for a scope that takes 10 to 120 s"));
        }
        return ExitCodes.Ok;
    }

    /// <summary>How much faster 2 threads get through twice the work of 1 right now: about 2 on an idle 2-core machine, 1 or less on a saturated one.</summary>
    private static double MachineSpeedup()
    {
        static void Spin(object? state)
        {
            ulong x = 1;
            for (int i = 0; i < 100_000_000; i++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
                x ^= x >> 29;
            }

            GC.KeepAlive(x);
        }

        double Time(int threads)
        {
            var sw = Stopwatch.StartNew();
            var ts = Enumerable.Range(0, threads).Select(_ => new Thread(Spin)).ToList();
            ts.ForEach(t => t.Start());
            ts.ForEach(t => t.Join());
            return sw.Elapsed.TotalSeconds;
        }

        return 2 * Time(1) / Time(2);
    }

    private static string Rate(double perSecond) => perSecond >= 1e6
        ? string.Create(Inv, $"{perSecond / 1e6:F2} M")
        : string.Create(Inv, $"{perSecond / 1e3:F0} k");

    private static Row Measure(string model, string scope, Config c, int runs)
    {
        var samples = new List<JsonNode>();
        for (int i = 0; i < runs; i++)
        {
            var args = new List<string> { "check", model, "--scope", scope, "--workers", c.Workers.ToString(Inv), "--successor", c.Successor, "--json", "--out", Path.Combine(Path.GetTempPath(), "iommuverify-bench-cex") };
            if (!c.Symmetry)
            {
                args.Add("--no-symmetry");
            }

            samples.Add(RunCheck(args)["stats"]!);
        }

        double Median(Func<JsonNode, double> f)
        {
            var v = samples.Select(f).Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
        }

        var first = samples[0];
        return new Row(c, runs, (long)first["distinct_states"]!, (long)first["transitions"]!,
            Median(s => (double)s["seconds"]!), samples.Min(s => (double)s["seconds"]!), Median(s => (double)s["cpu_seconds"]!), (double)first["seen_set_bytes_per_state"]!,
            (long)Median(s => (long)s["peak_memory_bytes"]!), (int)first["symmetry_group_size"]!);
    }

    /// <summary>Runs this tool with <paramref name="args"/> and parses its JSON output.</summary>
    private static JsonNode RunCheck(List<string> args)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("the tool's own path is unknown");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + self);
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode is not (ExitCodes.Ok or ExitCodes.Violation or ExitCodes.Inconclusive))
        {
            throw new InputError("bench --checker", $"check exited {p.ExitCode}: {err.Result.Trim()}");
        }

        return JsonNode.Parse(output) ?? throw new InvalidOperationException("check --json printed nothing");
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
