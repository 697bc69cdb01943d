using System.Collections.Immutable;

namespace IommuVerify.Reference.State;

/// <summary>A private, mutable copy of a state that one operation edits before freezing it again.</summary>
/// <remarks>Never escapes an operation: operations stay pure functions from state to state.</remarks>
internal sealed class Draft
{
    public readonly int[] DomKind;
    public readonly int[] DomFlags;
    public readonly int[] DomFormat;
    public readonly int[] DomMm;
    public readonly int[] DomParent;
    public readonly int[] DomUsers;
    public readonly int[] Ptes;
    public readonly int[] RidDomain;
    public readonly int[] PasidDomain;
    public readonly int[] GuestPasid;
    public readonly int[] MmPasid;
    public readonly int[] SvaUsers;
    public readonly int[] PasidOwner;
    public readonly int[] VpasidTable;
    public readonly SortedSet<long> Iotlb;
    public readonly SortedSet<long> DevTlb;
    public readonly SortedSet<long> FlushQueue;

    public Draft(IommuState s)
    {
        DomKind = s.DomKind.ToArray();
        DomFlags = s.DomFlags.ToArray();
        DomFormat = s.DomFormat.ToArray();
        DomMm = s.DomMm.ToArray();
        DomParent = s.DomParent.ToArray();
        DomUsers = s.DomUsers.ToArray();
        Ptes = s.Ptes.ToArray();
        RidDomain = s.RidDomain.ToArray();
        PasidDomain = s.PasidDomain.ToArray();
        GuestPasid = s.GuestPasid.ToArray();
        MmPasid = s.MmPasid.ToArray();
        SvaUsers = s.SvaUsers.ToArray();
        PasidOwner = s.PasidOwner.ToArray();
        VpasidTable = s.VpasidTable.ToArray();
        Iotlb = new SortedSet<long>(s.Iotlb);
        DevTlb = new SortedSet<long>(s.DevTlb);
        FlushQueue = new SortedSet<long>(s.FlushQueue);
    }

    public IommuState Freeze() => new(
        [.. DomKind], [.. DomFlags], [.. DomFormat], [.. DomMm], [.. DomParent], [.. DomUsers], [.. Ptes],
        [.. RidDomain], [.. PasidDomain], [.. GuestPasid], [.. MmPasid], [.. SvaUsers], [.. PasidOwner], [.. VpasidTable],
        ImmutableSortedSet.CreateRange(Iotlb), ImmutableSortedSet.CreateRange(DevTlb), ImmutableSortedSet.CreateRange(FlushQueue));

    /// <summary>A view of the draft as a state, for the read-only helpers (tags, walks) mid-operation.</summary>
    public IommuState Snapshot() => Freeze();
}
