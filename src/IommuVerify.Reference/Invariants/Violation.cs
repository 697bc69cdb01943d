namespace IommuVerify.Reference.Invariants;

/// <summary>One invariant violated in one state, with the objects that witness it.</summary>
/// <param name="InvariantId">The spec's invariant ID, e.g. INV-TLB-COH.</param>
/// <param name="Witness">Which device, PASID, tag, page: enough to find it in the state.</param>
public sealed record Violation(string InvariantId, string Witness)
{
    /// <inheritdoc/>
    public override string ToString() => $"{InvariantId}: {Witness}";
}
