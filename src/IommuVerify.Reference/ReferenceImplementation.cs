using System.Collections.Immutable;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>The reference model behind the implementation interface: returns every allowed result.</summary>
public sealed class ReferenceImplementation : IIommuImplementation
{
    private ReferenceModel? _model;
    private IommuState? _state;

    /// <inheritdoc/>
    public string Name => "reference";

    /// <summary>The current state.</summary>
    public IommuState State => _state ?? throw new InvalidOperationException("Start was not called");

    /// <summary>The model in use.</summary>
    public ReferenceModel Model => _model ?? throw new InvalidOperationException("Start was not called");

    /// <inheritdoc/>
    public void Start(Policy policy, Scope scope)
    {
        _model = new ReferenceModel(policy, scope);
        _state = _model.Initial();
    }

    /// <inheritdoc/>
    public ImmutableArray<Result> Apply(Op op)
    {
        var r = Model.Apply(State, op);
        _state = r.Next;
        return r.Allowed;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
