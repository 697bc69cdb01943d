using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Conformance;

/// <summary>Runs traces against an implementation, with the reference model replaying alongside as the judge.</summary>
/// <remarks>For every step: the trace's expected results must be exactly what the spec allows; the
/// implementation's result must be one of them; the invariants must fail exactly where the trace says; and
/// every rule the trace claims to cover must be exercised.</remarks>
public sealed class ConformanceRunner(ModelCache models, ImmutableSortedSet<string>? specRules = null)
{
    /// <summary>Runs one trace.</summary>
    public TraceVerdict Run(Trace trace, IIommuImplementation impl)
    {
        var model = models.Load(trace.ModelPath);
        var scope = model.GetScope(trace.Scope);
        var reference = new ReferenceModel(model.Policy, scope);
        var checker = new InvariantChecker(reference);
        var state = reference.Initial();
        var failures = ImmutableArray.CreateBuilder<TraceFailure>();
        var exercised = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        bool implAlive = true;
        try
        {
            impl.Start(model.Policy, scope);
        }
        catch (ImplementationFailure e)
        {
            failures.Add(new TraceFailure(FailureKind.ImplementationFailed, 0, 0, e.Message, []));
            implAlive = false;
        }

        string? firstViolation = null;
        int firstViolationAt = 0;
        for (int i = 0; i < trace.Steps.Length; i++)
        {
            var step = trace.Steps[i];
            var r = reference.Apply(state, step.Op);
            exercised.UnionWith(r.Rules);
            string opText = OpText.Render(step.Op, scope);
            bool valueIsDomain = step.Op.ReturnsDomain;
            if (!SameSet(r.Allowed, step.Expected))
            {
                failures.Add(new TraceFailure(FailureKind.TraceDisagreesWithSpec, i + 1, step.Line,
                    $"{opText}: the trace expects {OpText.RenderResults(step.Expected, valueIsDomain)} but the spec allows {OpText.RenderResults(r.Allowed, valueIsDomain)}", r.Rules));
            }

            if (implAlive && impl is not ReferenceImplementation)
            {
                try
                {
                    var got = impl.Apply(step.Op);
                    if (got.Length != 1 || !step.Expected.Contains(got[0]))
                    {
                        failures.Add(new TraceFailure(FailureKind.WrongResult, i + 1, step.Line,
                            $"{opText}: expected {OpText.RenderResults(step.Expected, valueIsDomain)}, {impl.Name} returned {OpText.RenderResults(got, valueIsDomain)}", r.Rules));
                    }
                }
                catch (ImplementationFailure e)
                {
                    failures.Add(new TraceFailure(FailureKind.ImplementationFailed, i + 1, step.Line, $"{opText}: {e.Message}", r.Rules));
                    implAlive = false;
                }
            }
            else if (implAlive)
            {
                impl.Apply(step.Op);
            }

            state = r.Next;
            if (firstViolation is null)
            {
                var v = checker.Check(state);
                if (!v.IsEmpty)
                {
                    firstViolation = v[0].InvariantId;
                    firstViolationAt = i + 1;
                    if (trace.Violates is null)
                    {
                        failures.Add(new TraceFailure(FailureKind.InvariantMismatch, i + 1, step.Line,
                            $"{opText}: the state violates {v[0]} but the trace declares no violation", r.Rules));
                    }
                    else if (trace.Violates != v[0].InvariantId && !v.Any(x => x.InvariantId == trace.Violates))
                    {
                        failures.Add(new TraceFailure(FailureKind.InvariantMismatch, i + 1, step.Line,
                            $"{opText}: the state violates {v[0]}, not {trace.Violates} as the trace declares", r.Rules));
                    }
                    else if (trace.ViolatesAt != i + 1)
                    {
                        failures.Add(new TraceFailure(FailureKind.InvariantMismatch, i + 1, step.Line,
                            $"{opText}: {trace.Violates} first fails after step {i + 1}, the trace says after step {trace.ViolatesAt}", r.Rules));
                    }
                }
            }
        }

        if (trace.Violates is not null && firstViolation is null)
        {
            failures.Add(new TraceFailure(FailureKind.InvariantMismatch, trace.ViolatesAt, 0,
                $"the trace declares that {trace.Violates} fails after step {trace.ViolatesAt}, but every state keeps every invariant", []));
        }

        foreach (string c in trace.Covers)
        {
            if (specRules is not null && !specRules.Contains(c) && !c.StartsWith("INV-", StringComparison.Ordinal))
            {
                failures.Add(new TraceFailure(FailureKind.CoverageMismatch, 0, 0, $"the trace names rule {c}, which the spec does not define", []));
            }
            else if (c.StartsWith("INV-", StringComparison.Ordinal) ? c != firstViolation : !exercised.Contains(c))
            {
                failures.Add(new TraceFailure(FailureKind.CoverageMismatch, 0, 0, $"the trace claims to cover {c} but never exercises it", []));
            }
        }

        return new TraceVerdict(trace.File, trace.Name, trace.Steps.Length, failures.ToImmutable(), exercised.ToImmutable());
    }

    private static bool SameSet(ImmutableArray<Result> a, ImmutableArray<Result> b) =>
        a.All(b.Contains) && b.All(a.Contains);
}
