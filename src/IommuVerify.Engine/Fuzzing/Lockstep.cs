using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Engine.Fuzzing;

/// <summary>One step run on both sides: the operation, the implementation's result and the reference's allowed results.</summary>
/// <param name="Op">The operation.</param>
/// <param name="Got">What the implementation returned.</param>
/// <param name="Allowed">What the reference allows; the first is the page walk for a translation.</param>
public sealed record LockstepStep(Op Op, Result Got, ImmutableArray<Result> Allowed)
{
    /// <summary>True when the implementation's result is allowed.</summary>
    public bool Conforms => Allowed.Contains(Got);

    /// <summary>True for an allowed translation that differs from the current page walk: a stale cached translation.</summary>
    public bool Stale => Op is Translate && Conforms && Got != Allowed[0];
}

/// <summary>Runs an implementation and the reference model in lockstep over an operation list.</summary>
public static class Lockstep
{
    /// <summary>Runs <paramref name="ops"/> from the initial state; stops after the first non-conforming step.</summary>
    public static ImmutableArray<LockstepStep> Run(Policy policy, Scope scope, IReadOnlyList<Op> ops, Func<IIommuImplementation> make)
    {
        var model = new ReferenceModel(policy, scope);
        var state = model.Initial();
        using var impl = make();
        impl.Start(policy, scope);
        var steps = ImmutableArray.CreateBuilder<LockstepStep>(ops.Count);
        foreach (var op in ops)
        {
            var r = model.Apply(state, op);
            state = r.Next;
            var got = impl.Apply(op);
            var step = new LockstepStep(op, got.Length == 1 ? got[0] : Result.Err(Errno.EINVAL), r.Allowed);
            steps.Add(step);
            if (!step.Conforms || got.Length != 1)
            {
                break;
            }
        }

        return steps.ToImmutable();
    }

    /// <summary>Generates <paramref name="length"/> operations with a sampler, stepping the reference model as it goes.</summary>
    public static ImmutableArray<Op> Generate(ReferenceModel model, Func<int, int> below, int length)
    {
        var sampler = new OpSampler(model, below);
        var state = model.Initial();
        var ops = ImmutableArray.CreateBuilder<Op>(length);
        for (int i = 0; i < length; i++)
        {
            var (op, step) = sampler.NextStep(state);
            ops.Add(op);
            state = step.Next;
        }

        return ops.ToImmutable();
    }

    /// <summary>Builds a trace of the steps (the results the reference allows), for rendering with <see cref="TraceText.Render"/>.</summary>
    public static Trace ToTrace(string name, string modelPath, string scope, IReadOnlyList<LockstepStep> steps, IReadOnlyDictionary<string, string> meta)
    {
        var list = steps.Select(s => new TraceStep(s.Op, s.Allowed, 0)).ToImmutableArray();
        return new Trace(modelPath, name, modelPath, modelPath, scope, [], meta.ToImmutableSortedDictionary(), null, 0, list);
    }

    /// <summary>Renders the steps with what the implementation returned beside each, for a failure report.</summary>
    public static string Describe(IReadOnlyList<LockstepStep> steps, Scope scope)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in steps)
        {
            sb.Append(OpText.Render(s.Op, scope)).Append(" -> ").Append(OpText.RenderResults(s.Allowed, s.Op.ReturnsDomain));
            if (!s.Conforms)
            {
                sb.Append("   # engine: ").Append(s.Got.Render(s.Op.ReturnsDomain)).Append(" (not allowed)");
            }
            else if (s.Stale)
            {
                sb.Append("   # engine: ").Append(s.Got.Render(false)).Append(" (stale: walk gives ").Append(s.Allowed[0].Render(false)).Append(')');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
