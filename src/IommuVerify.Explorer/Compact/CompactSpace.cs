using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Compact;

/// <summary>Everything the fast search needs for one scope: the layout, the successor function, the fingerprint
/// function and the invariant verdicts, all over the compact encoding.</summary>
internal sealed class CompactSpace
{
    private CompactSpace(ReferenceModel model, ImmutableArray<Op> ops, SymmetryGroup group)
    {
        Layout = new CompactLayout(model.Scope);
        Model = new CompactModel(model, Layout, ops);
        Fingerprints = new CompactFingerprinter(group, Layout);
        Invariants = new CompactInvariants(Model);
        Codes = [.. ops.Select(o => o.Code)];
        Initial = new int[Layout.Width];
        Layout.Encode(model.Initial(), Initial);
    }

    /// <summary>The layout.</summary>
    public CompactLayout Layout { get; }

    /// <summary>The successor function.</summary>
    public CompactModel Model { get; }

    /// <summary>The fingerprint function.</summary>
    public CompactFingerprinter Fingerprints { get; }

    /// <summary>The invariant verdicts.</summary>
    public CompactInvariants Invariants { get; }

    /// <summary>The operation code of each operation index (for coverage).</summary>
    public OpCode[] Codes { get; }

    /// <summary>The encoded initial state.</summary>
    public int[] Initial { get; }

    /// <summary>Ints per state.</summary>
    public int Width => Layout.Width;

    /// <summary>The compact space of a scope, or null with the reason when the scope does not fit the encoding.</summary>
    public static CompactSpace? TryCreate(ReferenceModel model, ImmutableArray<Op> ops, SymmetryGroup group, out string? whyNot)
    {
        whyNot = CompactLayout.Unsupported(model.Scope);
        return whyNot is null ? new CompactSpace(model, ops, group) : null;
    }

    /// <summary>True when the encoded state is inside the bind-count constraint (<see cref="Search.InConstraint"/>).</summary>
    public bool InConstraint(ReadOnlySpan<int> s, int maxBindCount)
    {
        foreach (int u in s.Slice(Layout.SvaUsers, Layout.Devices * Layout.Mms))
        {
            if (u > maxBindCount)
            {
                return false;
            }
        }

        return true;
    }
}
