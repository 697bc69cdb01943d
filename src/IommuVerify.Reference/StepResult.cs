using System.Collections.Immutable;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>What one operation did: the next state, every result the spec allows, and the rule IDs it exercised.</summary>
/// <param name="Next">The state after the operation (the same state on an errno, except SVA-BIND-8).</param>
/// <param name="Allowed">The results the spec allows; one for every operation but translate.</param>
/// <param name="Rules">The spec rule IDs this step exercised, most specific last.</param>
public sealed record StepResult(IommuState Next, ImmutableArray<Result> Allowed, ImmutableArray<string> Rules)
{
    /// <summary>The first allowed result (the page walk for a translation).</summary>
    public Result Primary => Allowed[0];

    /// <summary>True when the operation returned an errno.</summary>
    public bool Failed => Primary.Kind == ResultKind.Err;
}
