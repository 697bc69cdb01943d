using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using IommuVerify.Engine;
using IommuVerify.Engine.Fuzzing;
using IommuVerify.Reference;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Engine.Tests;

/// <summary>One model's small scope, with the generator and lockstep runs the property tests share.</summary>
public sealed class LockstepHarness
{
    public LockstepHarness(string modelName, string scope = "conformance")
    {
        ModelPath = Path.Combine(RepoPaths.Models, modelName + ".json");
        Model = ModelLoader.Load(ModelPath);
        ScopeName = scope;
        Scope = Model.GetScope(scope);
        Reference = new ReferenceModel(Model.Policy, Scope);
        Ops = Generators.Tape.Select(t => Lockstep.Generate(Reference, t.Below, t.Length));
    }

    public string ModelPath { get; }

    public ModelFile Model { get; }

    public string ScopeName { get; }

    public Scope Scope { get; }

    public ReferenceModel Reference { get; }

    /// <summary>Operation sequences over the scope, biased toward valid operations.</summary>
    public Gen<ImmutableArray<Op>> Ops { get; }

    public static IEnumerable<string> ModelNames => RepoPaths.ModelFiles.Select(Path.GetFileNameWithoutExtension).Select(n => n!);

    /// <summary>Makes the engine under test (tests may shrink its caches to force evictions).</summary>
    public Func<TranslationEngine> MakeEngine { get; init; } = () => new TranslationEngine();

    public ImmutableArray<LockstepStep> Run(IReadOnlyList<Op> ops) =>
        Lockstep.Run(Model.Policy, Scope, ops, MakeEngine);

    public ImmutableArray<Op> Shrink(ImmutableArray<Op> ops, Func<ImmutableArray<Op>, bool> fails) => Shrinker.Shrink(ops, fails);

    public string Render(IReadOnlyList<Op> ops, string name)
    {
        var steps = Run(ops);
        var trace = Lockstep.ToTrace(name, "models/" + Path.GetFileName(ModelPath), ScopeName, steps, new Dictionary<string, string> { ["checker"] = "engine-lockstep" });
        // The engine's side goes in comments, so the text stays a trace that replays (it is saved as a regression on failure).
        var engineSide = Lockstep.Describe(steps, Scope).TrimEnd('\n').Split('\n').Select(l => "#   " + l);
        return TraceText.Render(trace, Scope) + "# with the engine's results:\n" + string.Join('\n', engineSide) + "\n";
    }
}
