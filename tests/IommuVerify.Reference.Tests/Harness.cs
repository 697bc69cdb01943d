using System.Collections.Immutable;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>Drives the reference model with operations written as trace text and checks results and rule IDs.</summary>
internal sealed class Harness
{
    private static readonly Dictionary<string, ModelFile> Models = new(StringComparer.Ordinal);

    public Harness(Policy policy, Scope scope)
    {
        Model = new ReferenceModel(policy, scope);
        State = Model.Initial();
        Checker = new InvariantChecker(Model);
    }

    public ReferenceModel Model { get; }

    public InvariantChecker Checker { get; }

    public IommuState State { get; private set; }

    public Scope Scope => Model.Scope;

    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "IommuVerify.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("IommuVerify.sln not found");
    }

    public static ModelFile LoadModel(string name)
    {
        lock (Models)
        {
            if (!Models.TryGetValue(name, out var m))
            {
                m = ModelLoader.Load(Path.Combine(Root, "models", name + ".json"));
                Models[name] = m;
            }

            return m;
        }
    }

    /// <summary>A harness over a shipped model's scope.</summary>
    public static Harness For(string model, string scope = "conformance")
    {
        var m = LoadModel(model);
        return new Harness(m.Policy, m.GetScope(scope));
    }

    /// <summary>Builds an in-memory scope: each device is (name, group, pf or -1, max_pasids or 0, ats).</summary>
    public static Scope MakeScope(
        (string Name, int Group, int Pf, int MaxPasids, bool Ats)[] devices,
        int pasids,
        string[]? mms = null,
        VmSpec[]? vms = null,
        int vpasids = 0,
        int slots = 2)
    {
        int groups = devices.Max(d => d.Group) + 1;
        return new Scope(
            "in-memory",
            devices.Select((d, i) => new DeviceSpec(d.Name, $"00:0{i}.0", d.Group, d.Pf, d.MaxPasids > 0, d.MaxPasids, d.Ats)).ToImmutableArray(),
            Enumerable.Range(0, groups).Select(g => "g" + g.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToImmutableArray(),
            slots, pasids, 2, 2,
            (mms ?? ["mm0"]).ToImmutableArray(),
            (vms ?? []).ToImmutableArray(),
            vpasids,
            [new AllocChoice(DomainKind.Paging, AllocFlags.None)],
            [.. Enum.GetValues<OpCode>()]);
    }

    /// <summary>Applies one operation and moves to its next state.</summary>
    public StepResult Do(string op)
    {
        var r = Model.Apply(State, OpText.Parse(op, Scope, "test", 1, 1));
        State = r.Next;
        return r;
    }

    /// <summary>Applies one operation and asserts its allowed results and that it exercised the given rules.</summary>
    public StepResult Expect(string op, string results, params string[] rules)
    {
        var before = State;
        var r = Do(op);
        var want = OpText.ParseResults(results, "test", 1, 1);
        Assert.True(want.All(r.Allowed.Contains) && r.Allowed.All(want.Contains), $"{op}: expected {results}, the model allows {OpText.RenderResults(r.Allowed, r.Allowed.Length > 0 && op.StartsWith("alloc_domain", StringComparison.Ordinal))} [{string.Join(" ", r.Rules)}]");
        foreach (string rule in rules)
        {
            Assert.True(r.Rules.Contains(rule), $"{op}: expected rule {rule}, got [{string.Join(" ", r.Rules)}]");
        }

        if (r.Failed && !r.Rules.Contains("SVA-BIND-8"))
        {
            Assert.Equal(before, r.Next);
        }

        return r;
    }

    public ImmutableArray<Violation> Violations() => Checker.Check(State);

    /// <summary>A device's index in the scope, by name.</summary>
    public int DevIndex(string name) => Scope.Devices.ToList().FindIndex(d => d.Name == name);

    /// <summary>A device's group index, by name.</summary>
    public int GroupOf(string name) => Scope.Devices[DevIndex(name)].Group;
}
