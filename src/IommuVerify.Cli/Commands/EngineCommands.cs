using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IommuVerify.Engine;
using IommuVerify.Engine.Benchmarking;
using IommuVerify.Engine.Fuzzing;
using IommuVerify.Reference;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Cli;

/// <summary>The engine stage's commands: <c>fuzz</c> and <c>bench</c>.</summary>
public static partial class CommandRegistry
{
    static partial void AddEngineCommands(List<Command> list)
    {
        list.Add(EngineCommands.Fuzz());
        list.Add(EngineCommands.Bench());
    }
}

/// <summary><c>iommuverify fuzz</c> and <c>iommuverify bench</c>.</summary>
public static class EngineCommands
{
    /// <summary>Builds <c>fuzz &lt;model&gt; [--scope] [--seconds] [--seed] [--out]</c>.</summary>
    public static Command Fuzz()
    {
        var model = new Argument<string>("model") { Description = "a model file, or the name of one under models/" };
        var scope = new Option<string>("--scope") { Description = "the scope to fuzz", DefaultValueFactory = _ => "small" };
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => 10.0 };
        var seed = new Option<ulong?>("--seed") { Description = "the base seed (printed when not given)" };
        var output = new Option<string?>("--out") { Description = "where to write the shrunk failing trace (default fuzz-MODEL-SEED.trace)" };
        var sets = new Option<int>("--iotlb-sets") { Description = "IOTLB sets (a power of two); small values force evictions", DefaultValueFactory = _ => 64 };
        var ways = new Option<int>("--iotlb-ways") { Description = "IOTLB ways per set (1 to 255)", DefaultValueFactory = _ => 8 };
        var cmd = new Command("fuzz", "Run random traces on the engine and the reference model in lockstep; write a shrunk trace on the first disagreement") { model, scope, seconds, seed, output, sets, ways };
        cmd.SetAction(pr => Guarded(() =>
        {
            int s = pr.GetValue(sets), w = pr.GetValue(ways);
            if (s < 1 || (s & (s - 1)) != 0 || w is < 1 or > 255)
            {
                throw new InputError("--iotlb-sets/--iotlb-ways", "sets must be a power of two and ways 1 to 255");
            }

            return RunFuzz(pr.GetValue(model)!, pr.GetValue(scope)!, pr.GetValue(seconds), pr.GetValue(seed), pr.GetValue(output), () => new TranslationEngine(s, w));
        }));
        return cmd;
    }

    /// <summary>Builds <c>bench [--runs N]</c> and <c>bench --checker [--model M] [--scope S] [--runs N] [--reference]</c>.</summary>
    public static Command Bench()
    {
        var runs = new Option<int?>("--runs") { Description = "timed runs per case (the median is shown); default 7, or 3 with --checker" };
        var checker = new Option<bool>("--checker") { Description = "measure the explicit-state checker instead: states, transitions/s (wall and CPU), bytes/state, peak memory, symmetry on/off, 1 and 2 workers" };
        var model = new Option<string>("--model") { Description = "with --checker: the model", DefaultValueFactory = _ => "intel-vtd" };
        var scope = new Option<string>("--scope") { Description = "with --checker: the scope", DefaultValueFactory = _ => "standard" };
        var reference = new Option<bool>("--reference") { Description = "with --checker: also time one run on the reference successor function (slow)" };
        var cmd = new Command("bench", "Measure the engine's hot paths against the reference model (ns/op, bytes/op, page-table bytes per page), or with --checker the explicit-state checker")
        {
            runs, checker, model, scope, reference,
        };
        cmd.SetAction(pr => Guarded(() => pr.GetValue(checker)
            ? CheckerBench.Run(pr.GetValue(model)!, pr.GetValue(scope)!, CheckRuns(pr.GetValue(runs) ?? 3), pr.GetValue(reference))
            : RunBench(pr.GetValue(runs) ?? 7)));
        return cmd;
    }

    private static int CheckRuns(int runs) => runs >= 1 ? runs : throw new InputError("--runs", "must be at least 1");

    /// <summary>Turns an input error into its message and exit code 2 (System.CommandLine's own handler would exit 1).</summary>
    private static int Guarded(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (InputError e)
        {
            Console.Error.WriteLine("iommuverify: " + e.Render());
            return ExitCodes.InputError;
        }
    }

    private static ulong Mix(ulong seed, long i)
    {
        ulong z = seed + ((ulong)i * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static bool Fails(Policy policy, Scope scope, IReadOnlyList<Op> ops, Func<TranslationEngine> make)
    {
        try
        {
            var steps = Lockstep.Run(policy, scope, ops, make);
            return !steps[^1].Conforms;
        }
        catch (Exception e) when (e is not InputError and not OutOfMemoryException)
        {
            return true;
        }
    }

    private static int RunFuzz(string modelArg, string scopeName, double seconds, ulong? seedArg, string? outFile, Func<TranslationEngine> make)
    {
        if (seconds <= 0 || double.IsNaN(seconds))
        {
            throw new InputError("--seconds", "must be a positive number of seconds");
        }

        string path = ModelLocator.Resolve(modelArg);
        var model = ModelLoader.Load(path);
        var scope = model.GetScope(scopeName);
        var reference = new ReferenceModel(model.Policy, scope);
        ulong seed = seedArg ?? (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        bool terminal = !Console.IsOutputRedirected;
        Console.WriteLine($"fuzz {model.Name} scope {scopeName}: engine vs reference, {seconds:0.#} s, seed {seed}");
        var clock = Stopwatch.StartNew();
        long traces = 0, ops = 0, ok = 0;
        double nextReport = 1.0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var rnd = new Random((int)(Mix(seed, traces) & 0x7FFFFFFF));
            int length = 10 + rnd.Next(51);
            var trace = Lockstep.Generate(reference, rnd.Next, length);
            ImmutableArray<LockstepStep> steps;
            bool failed;
            try
            {
                steps = Lockstep.Run(model.Policy, scope, trace, make);
                failed = !steps[^1].Conforms;
            }
            catch (Exception e) when (e is not InputError and not OutOfMemoryException)
            {
                steps = [];
                failed = true;
            }

            traces++;
            ops += steps.Length;
            ok += steps.Count(s => s.Allowed[0].IsSuccess);
            if (failed)
            {
                if (terminal)
                {
                    Console.WriteLine();
                }

                return ReportFailure(model, path, scopeName, scope, trace, seed, traces - 1, outFile, make);
            }

            if (clock.Elapsed.TotalSeconds >= nextReport)
            {
                nextReport += 1.0;
                string line = Progress(clock.Elapsed.TotalSeconds, traces, ops, ok);
                if (terminal)
                {
                    Console.Write("\r" + line);
                }
                else
                {
                    Console.WriteLine(line);
                }
            }
        }

        if (terminal)
        {
            Console.WriteLine();
        }

        Console.WriteLine(Progress(clock.Elapsed.TotalSeconds, traces, ops, ok));
        if (ops == 0)
        {
            Console.WriteLine("fuzz: inconclusive: no operation ran");
            return ExitCodes.Inconclusive;
        }

        Console.WriteLine($"fuzz: no disagreement in {traces} traces ({ops} operations)");
        return ExitCodes.Ok;
    }

    private static string Progress(double t, long traces, long ops, long ok) =>
        string.Create(CultureInfo.InvariantCulture, $"fuzz: {t,6:0.0} s  traces {traces}  ops {ops}  {ops / Math.Max(t, 1e-9),8:0} ops/s  success {(ops == 0 ? 0 : 100.0 * ok / ops):0.0}%");

    private static int ReportFailure(ModelFile model, string path, string scopeName, Scope scope, ImmutableArray<Op> trace, ulong seed, long index, string? outFile, Func<TranslationEngine> make)
    {
        Console.WriteLine($"fuzz: disagreement in trace {index} ({trace.Length} operations); shrinking");
        var small = Shrinker.Shrink(trace, l => l.Length > 0 && Fails(model.Policy, scope, l, make));
        string file = outFile ?? $"fuzz-{model.Name}-{seed}.trace";
        string dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(dir);
        string modelRef = Path.GetRelativePath(dir, Path.GetFullPath(path)).Replace('\\', '/');
        ImmutableArray<LockstepStep> steps;
        string note;
        try
        {
            steps = Lockstep.Run(model.Policy, scope, small, make);
            note = "# engine: " + steps[^1].Got.Render(steps[^1].Op.ReturnsDomain) + " (not allowed)\n";
        }
        catch (Exception e) when (e is not InputError and not OutOfMemoryException)
        {
            var reference = new ReferenceModel(model.Policy, scope);
            var s = reference.Initial();
            var b = ImmutableArray.CreateBuilder<LockstepStep>();
            foreach (var op in small)
            {
                var r = reference.Apply(s, op);
                s = r.Next;
                b.Add(new LockstepStep(op, r.Primary, r.Allowed));
            }

            steps = b.ToImmutable();
            note = $"# engine threw {e.GetType().Name}: {e.Message}\n";
        }

        var meta = new Dictionary<string, string>
        {
            ["tool"] = "iommuverify-" + typeof(EngineCommands).Assembly.GetName().Version,
            ["checker"] = "engine-lockstep",
            ["strategy"] = "random",
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["trace-index"] = index.ToString(CultureInfo.InvariantCulture),
        };
        var t = Lockstep.ToTrace("fuzz-" + model.Name, modelRef, scopeName, steps, meta);
        File.WriteAllText(file, TraceText.Render(t, scope) + note);
        Console.Write(Lockstep.Describe(steps, scope));
        Console.WriteLine($"fuzz: wrote {file} ({small.Length} operations); replay with: iommuverify conform {file} --impl engine");
        return ExitCodes.Violation;
    }

    private static (double NsPerOp, double BytesPerOp, double BestNs) Measure(int runs, int opsPerRun, Action<int> body)
    {
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 250)
        {
            body(Math.Min(opsPerRun, 20000));
        }

        var ns = new double[runs];
        var bytes = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            body(opsPerRun);
            long t1 = Stopwatch.GetTimestamp();
            bytes[r] = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / opsPerRun;
            ns[r] = (t1 - t0) * 1e9 / Stopwatch.Frequency / opsPerRun;
        }

        Array.Sort(ns);
        Array.Sort(bytes);
        return (ns[runs / 2], bytes[runs / 2], ns[0]);
    }

    /// <summary>Times batches of maps, then unmaps of the same pages (strict invalidation), separately.</summary>
    private static ((double, double, double) Map, (double, double, double) Unmap) MeasureMapUnmap(TranslationEngine e, int runs, ulong baseIova)
    {
        const int Batch = 4096;
        var mapNs = new double[runs];
        var unmapNs = new double[runs];
        var mapBytes = new double[runs];
        var unmapBytes = new double[runs];
        var warm = Stopwatch.StartNew();
        int r = 0;
        while (r < runs)
        {
            long b0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < Batch; i++)
            {
                e.Map(0, baseIova + ((ulong)i << 12), (ulong)i << 12, Perm.RW);
            }

            long t1 = Stopwatch.GetTimestamp();
            long b1 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Batch; i++)
            {
                e.Unmap(0, baseIova + ((ulong)i << 12));
            }

            long t2 = Stopwatch.GetTimestamp();
            long b2 = GC.GetAllocatedBytesForCurrentThread();
            if (warm.ElapsedMilliseconds < 250)
            {
                continue;
            }

            mapNs[r] = (t1 - t0) * 1e9 / Stopwatch.Frequency / Batch;
            unmapNs[r] = (t2 - t1) * 1e9 / Stopwatch.Frequency / Batch;
            mapBytes[r] = (double)(b1 - b0) / Batch;
            unmapBytes[r] = (double)(b2 - b1) / Batch;
            r++;
        }

        Array.Sort(mapNs);
        Array.Sort(unmapNs);
        Array.Sort(mapBytes);
        Array.Sort(unmapBytes);
        return ((mapNs[runs / 2], mapBytes[runs / 2], mapNs[0]), (unmapNs[runs / 2], unmapBytes[runs / 2], unmapNs[0]));
    }

    private static void Row(string name, (double Ns, double Bytes, double Best) engine, (double Ns, double Bytes, double Best)? reference, string target)
    {
        string refPart = reference is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Ns,12:0.0} ns {r.Bytes,10:0} B   x{r.Ns / engine.Ns,8:0}")
            : new string(' ', 38);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-26} {engine.Ns,8:0.0} ns {engine.Best,8:0.0} ns {engine.Bytes,6:0} B   {refPart}   {target}"));
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] + $" on {Environment.ProcessorCount} cores" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static int RunBench(int runs)
    {
        if (runs < 1)
        {
            throw new InputError("--runs", "must be at least 1");
        }

        const int Pages = 65536;
        var w = new BenchWorkload(Pages);
        var e = w.Engine();
        e.PageTables.Reserve(16);
        var small = new BenchWorkload(512);
        var (refModel, refState) = small.Reference();
        var hitOp = new Translate(BenchWorkload.Nic, 0, 5, Access.Read);
        refState = refModel.Apply(refState, hitOp).Next;
        Console.WriteLine($"bench: median of {runs} runs; engine on {Pages} mapped pages, reference on 512 (its state grows with the scope)");
        Console.WriteLine($"{"case",-26} {"engine",11} {"best",11} {"alloc",8}   {"reference",15} {"alloc",12}   {"ratio",9}   target");
        Console.WriteLine($"(load average {LoadAverage()}: medians on a loaded machine are noisy; best is the fastest run)");
        int sink = 0;

        e.Translate(BenchWorkload.Nic, 0, 5UL << 12, Access.Read);
        var hit = Measure(runs, 2_000_000, n =>
        {
            for (int i = 0; i < n; i++)
            {
                sink += e.Translate(BenchWorkload.Nic, 0, 5UL << 12, Access.Read).Value;
            }
        });
        var refTranslate = Measure(Math.Min(runs, 5), 2000, n =>
        {
            for (int i = 0; i < n; i++)
            {
                sink += refModel.Apply(refState, hitOp).Primary.Value;
            }
        });
        Row("translate, IOTLB hit", hit, refTranslate, "<= 10 ns, 0 B");

        ulong next = 0;
        var miss = Measure(runs, 1_000_000, n =>
        {
            for (int i = 0; i < n; i++)
            {
                next = (next + 4099) % Pages;
                sink += e.Translate(BenchWorkload.Nic, 0, next << 12, Access.Read).Value;
            }
        });
        Row("translate, 4-level walk", miss, refTranslate, "<= 40 ns, 0 B");

        var (map, unmap) = MeasureMapUnmap(e, runs, (ulong)Pages << 12);
        var refMapOp = new Map(0, 600, 3, Perm.RW);
        var refMap = Measure(Math.Min(runs, 5), 2000, n =>
        {
            for (int i = 0; i < n; i++)
            {
                sink += refModel.Apply(refState, refMapOp).Primary.Value;
            }
        });
        var refUnmapOp = new Unmap(0, 5);
        var refUnmap = Measure(Math.Min(runs, 5), 2000, n =>
        {
            for (int i = 0; i < n; i++)
            {
                sink += refModel.Apply(refState, refUnmapOp).Primary.Value;
            }
        });
        Row("map", map, refMap, "0 B");
        Row("unmap, strict invalidation", unmap, refUnmap, "0 B");

        var mixedOps = small.Mixed(256);
        var mixedEngine = small.Engine();
        var mixed = Measure(runs, mixedOps.Length * 400, n =>
        {
            for (int rep = 0; rep < n / mixedOps.Length; rep++)
            {
                foreach (var op in mixedOps)
                {
                    sink += mixedEngine.ApplyOne(op).Value;
                }
            }
        });
        var refMixed = Measure(Math.Min(runs, 5), mixedOps.Length * 4, n =>
        {
            for (int rep = 0; rep < n / mixedOps.Length; rep++)
            {
                var s = refState;
                foreach (var op in mixedOps)
                {
                    var r = refModel.Apply(s, op);
                    s = r.Next;
                    sink += r.Primary.Value;
                }
            }
        });
        Row("mixed (80% translate)", mixed, refMixed, "engine >= 100x reference");

        var big = new BenchWorkload(1);
        var mem = big.Engine();
        const int Million = 1 << 20;
        mem.PageTables.Reserve((Million / PageTablePool.Fanout) + 16);
        for (int i = 0; i < Million; i++)
        {
            mem.Map(0, (ulong)i << 12, (ulong)i << 12, Perm.RW);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"page tables: {Million} pages mapped in {mem.PageTables.LiveNodes} nodes = {mem.PageTables.LiveBytes} B, {(double)mem.PageTables.LiveBytes / Million:0.00} B per 4 KiB page"));
        Console.WriteLine(sink == int.MinValue ? "" : "bench: done");
        return ExitCodes.Ok;
    }
}
