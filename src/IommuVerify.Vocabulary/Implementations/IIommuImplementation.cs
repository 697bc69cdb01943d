using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Vocabulary.Implementations;

/// <summary>Something that performs the spec's operations: the reference model, the engine, or an external program.</summary>
/// <remarks>Conformance runs a trace by <see cref="Start"/> then one <see cref="Apply"/> per step.</remarks>
public interface IIommuImplementation : IDisposable
{
    /// <summary>A short name for reports: reference, engine, exec:...</summary>
    string Name { get; }

    /// <summary>Starts from the initial state of a policy over a scope.</summary>
    void Start(Policy policy, Scope scope);

    /// <summary>Performs one operation and returns what the implementation returned.</summary>
    /// <remarks>A nondeterministic specification (the reference model) returns every allowed result;
    /// a real implementation returns exactly one.</remarks>
    ImmutableArray<Result> Apply(Op op);
}

/// <summary>An implementation that failed in a way that is not a result (crashed, hung, printed garbage).</summary>
public sealed class ImplementationFailure : Exception
{
    /// <summary>Creates the failure.</summary>
    public ImplementationFailure(string message)
        : base(message)
    {
    }

    /// <summary>Creates the failure.</summary>
    public ImplementationFailure()
        : base("implementation failed")
    {
    }

    /// <summary>Creates the failure with a cause.</summary>
    public ImplementationFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
