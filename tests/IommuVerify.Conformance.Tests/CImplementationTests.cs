using System.Diagnostics;
using IommuVerify.Conformance;
using IommuVerify.Conformance.Protocol;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
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
            Assert.True(TraceFiles.IsTrace(v.File), $"the failing trace is a trace file: {v.File}");
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

    /// <summary>Lines it cannot understand get "error ..." and the session goes on; quit ends it with status 0.</summary>
    [Fact]
    public async Task BadLinesAreAnsweredWithErrorAndTheSessionGoesOn()
    {
        string? exe = BuildOrSkip();
        if (exe is null)
        {
            return;
        }

        string[] input =
        [
            "hello world",
            "translate dev=gpu pasid=0 iova=0 access=read",
            "policy paging_pasid=always split_formats=0 dirty_blocks_pasid=1 nest_parent_blocks_pasid=0 sva_on_rid=refused iotlb_tag=domain+pasid did=per-domain sva_shared_did=1 unmap_flush=all-tags devtlb_flush=1 flush_on_detach=1 invalidation=strict fq_iova_reuse=0 vpasid_scheme=none passthrough_check=1",
            "scope slots=2 pasids=2 iova_pages=2 phys_pages=2 vpasids=0",
            "device name=gpu group=0 pf=-1 max_pasids=4 ats=1",
            "mm name=mm0",
            "start",
            "alloc_domain dev=gpu kind=paging flags=none",
            "map domain=d7 iova=0 pa=0 perm=r",
            "map domain=d0 iova=0 pa=1 perm=rw colour=blue",
            "map domain=d0 iova=99999999999999999999 pa=1 perm=rw",
            new string('x', 20000),
            "\u0001\u0002 \u00ff",
            "map domain=d0 iova=0 pa=1 perm=rw",
            "translate dev=gpu pasid=0 iova=0 access=read",
            "quit",
        ];
        string[] expected = ["error", "error", "ready", "ok d0", "error", "error", "error", "error", "error", "ok", "fault blocked"];
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + exe);
        var answers = p.StandardOutput.ReadToEndAsync();
        foreach (string line in input)
        {
            p.StandardInput.WriteLine(line);
        }

        p.StandardInput.Close();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await p.WaitForExitAsync(timeout.Token);
        }

        Assert.Equal(0, p.ExitCode);
        string[] got = (await answers).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(got[i] == expected[i] || (expected[i] == "error" && got[i].StartsWith("error ", StringComparison.Ordinal)),
                $"answer {i + 1}: expected {expected[i]}, got {got[i]}");
        }
    }

    /// <summary>Differential check beyond the traces: random operations on every model file and scope, the C
    /// implementation's answer must be one the reference model allows at every step.</summary>
    [Fact]
    public void RandomOperationsGetAnswersTheReferenceModelAllows()
    {
        string? exe = BuildOrSkip();
        if (exe is null)
        {
            return;
        }

        var rnd = new Random(7);
        var tally = new Tally();
        using var impl = new ExecImplementation(ShellQuote(exe), TimeSpan.FromSeconds(5));
        foreach (string file in Directory.GetFiles(Path.Combine(RepoRoot(), "models"), "*.json").Order(StringComparer.Ordinal))
        {
            var model = ModelLoader.Load(file);
            foreach (string name in model.Scopes.Keys.Order(StringComparer.Ordinal))
            {
                Differential(impl, rnd, model.Policy, model.Scopes[name], $"{Path.GetFileName(file)} scope {name}", 40, 60, tally);
            }
        }

        output.WriteLine($"{tally.Steps} random steps agreed with the reference model; {tally.FromCache} translations answered from a stale cache entry");
    }

    /// <summary>The same differential check on random policies and scopes the model files do not have: groups of
    /// several devices, VFs, devices without PASIDs or ATS, more slots and PASIDs, every policy knob.</summary>
    [Fact]
    public void RandomPoliciesAndScopesGetAnswersTheReferenceModelAllows()
    {
        string? exe = BuildOrSkip();
        if (exe is null)
        {
            return;
        }

        var rnd = new Random(11);
        var tally = new Tally();
        using var impl = new ExecImplementation(ShellQuote(exe), TimeSpan.FromSeconds(5));
        for (int n = 0; n < 40; n++)
        {
            var policy = RandomPolicy(rnd);
            var scope = RandomScope(rnd);
            Differential(impl, rnd, policy, scope, $"random policy/scope {n}: {policy}", 20, 60, tally);
        }

        output.WriteLine($"{tally.Steps} random steps agreed with the reference model; {tally.FromCache} translations answered from a stale cache entry");
    }

    private sealed class Tally
    {
        public int Steps { get; set; }

        public int FromCache { get; set; }
    }

    /// <summary>Runs seeded random sequences on the reference model and the implementation side by side.</summary>
    private static void Differential(ExecImplementation impl, Random rnd, Policy policy, Scope scope, string what, int sequences, int length, Tally tally)
    {
        var reference = new ReferenceModel(policy, scope);
        for (int n = 0; n < sequences; n++)
        {
            impl.Start(policy, scope);
            var state = reference.Initial();
            var history = new List<string>();
            for (int i = 0; i < length; i++)
            {
                var op = RandomOp(rnd, scope);
                var r = reference.Apply(state, op);
                var got = impl.Apply(op);
                history.Add($"{OpText.Render(op, scope)} -> {OpText.RenderResults(r.Allowed, op.ReturnsDomain)}   (C: {OpText.RenderResults(got, op.ReturnsDomain)})");
                Assert.True(got.Length == 1 && r.Allowed.Contains(got[0]), $"{what}, sequence {n}, step {i + 1}:\n  " + string.Join("\n  ", history));
                tally.Steps++;
                if (op is Translate && !got[0].Equals(r.Primary))
                {
                    tally.FromCache++;
                }

                state = r.Next;
            }
        }
    }

    private static Policy RandomPolicy(Random rnd) => new(
        (PagingPasid)rnd.Next(3), rnd.Next(2) == 0, rnd.Next(2) == 0, rnd.Next(2) == 0, (SvaOnRid)rnd.Next(3), (IotlbTag)rnd.Next(3),
        (DidAlloc)rnd.Next(2), rnd.Next(2) == 0, (UnmapFlush)rnd.Next(2), rnd.Next(2) == 0, rnd.Next(2) == 0, (InvalidationMode)rnd.Next(2),
        rnd.Next(2) == 0, (VpasidScheme)rnd.Next(3), rnd.Next(2) == 0);

    private static Scope RandomScope(Random rnd)
    {
        int devices = 1 + rnd.Next(5), groups = 1 + rnd.Next(devices);
        var devs = new List<DeviceSpec>();
        for (int i = 0; i < devices; i++)
        {
            bool vf = i > 0 && rnd.Next(4) == 0;
            bool pasid = !vf && rnd.Next(4) != 0;
            devs.Add(new DeviceSpec("dev" + i, "00:0" + i, i < groups ? i : rnd.Next(groups), vf ? rnd.Next(i) : -1, pasid, pasid ? 2 + rnd.Next(4) : 0, rnd.Next(2) == 0));
        }

        var vms = new List<VmSpec>();
        var assigned = new HashSet<int>();
        for (int v = rnd.Next(3); v > 0; v--)
        {
            var list = new List<VmDevice>();
            for (int i = 0; i < devices; i++)
            {
                if (rnd.Next(2) == 0 && assigned.Add(i))
                {
                    list.Add(new VmDevice(i, rnd.Next(2) == 0 ? Assignment.Passthrough : Assignment.Mdev));
                }
            }

            vms.Add(new VmSpec("vm" + vms.Count, [.. list]));
        }

        return new Scope("random", [.. devs], [.. Enumerable.Range(0, groups).Select(g => "g" + g)], 1 + rnd.Next(4), 1 + rnd.Next(4),
            1 + rnd.Next(3), 1 + rnd.Next(3), [.. Enumerable.Range(0, rnd.Next(3)).Select(m => "mm" + m)], [.. vms], rnd.Next(4),
            [new AllocChoice(DomainKind.Paging, AllocFlags.None)], [.. Enum.GetValues<OpCode>()]);
    }

    /// <summary>A random operation inside the scope, weighted towards maps, attaches and translations.</summary>
    private static Op RandomOp(Random rnd, Scope s)
    {
        int Dev() => rnd.Next(s.Devices.Length);
        int Slot() => rnd.Next(s.DomainSlots);
        int Pasid() => rnd.Next(10) == 0 ? 0 : rnd.Next(s.Pasids + 1);
        int Iova() => rnd.Next(s.IovaPages);
        DomainRef Domain() => rnd.Next(6) switch { 0 => DomainRef.Blocked, 1 => DomainRef.Identity, _ => DomainRef.Slot(Slot()) };
        AllocFlags Flags()
        {
            var f = AllocFlags.None;
            f |= rnd.Next(2) == 0 ? AllocFlags.Pasid : AllocFlags.None;
            f |= rnd.Next(5) == 0 ? AllocFlags.NestParent : AllocFlags.None;
            f |= rnd.Next(6) == 0 ? AllocFlags.DirtyTracking : AllocFlags.None;
            return f;
        }

        int k = rnd.Next(100);
        return k switch
        {
            < 6 => new AllocDomain(Dev(), DomainKind.Paging, Flags(), -1),
            < 8 => new AllocDomain(Dev(), DomainKind.Nested, rnd.Next(4) == 0 ? Flags() : AllocFlags.None, Slot()),
            < 11 => new FreeDomain(Slot()),
            < 18 => new AttachRid(Dev(), Domain()),
            < 21 => new ReplaceRid(Dev(), Domain()),
            < 24 => new DetachRid(Dev()),
            < 32 => new AttachPasid(Dev(), Pasid(), Slot()),
            < 35 => new ReplacePasid(Dev(), Pasid(), Slot()),
            < 38 => new DetachPasid(Dev(), Pasid()),
            < 43 when s.Mms.Length > 0 => new SvaBind(Dev(), rnd.Next(s.Mms.Length)),
            < 46 when s.Mms.Length > 0 => new SvaUnbind(Dev(), rnd.Next(s.Mms.Length)),
            >= 46 and < 56 => new Map(Slot(), Iova(), rnd.Next(s.PhysPages), rnd.Next(2) == 0 ? Perm.R : Perm.RW),
            >= 56 and < 63 => new Unmap(Slot(), Iova()),
            >= 63 and < 65 => new Invalidate(rnd.Next(3) == 0 ? InvalidateScope.All : InvalidateScope.Fq),
            >= 65 and < 68 when s.Vms.Length > 0 && s.Vpasids > 0 => new VpasidAlloc(rnd.Next(s.Vms.Length), 1 + rnd.Next(s.Vpasids)),
            >= 68 and < 70 when s.Vms.Length > 0 && s.Vpasids > 0 => new VpasidFree(rnd.Next(s.Vms.Length), 1 + rnd.Next(s.Vpasids)),
            >= 70 and < 74 when s.Vms.Length > 0 && s.Vpasids > 0 => new VpasidAttach(rnd.Next(s.Vms.Length), Dev(), 1 + rnd.Next(s.Vpasids), Slot()),
            _ => new Translate(Dev(), Pasid(), Iova(), rnd.Next(2) == 0 ? Access.Read : Access.Write),
        };
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
