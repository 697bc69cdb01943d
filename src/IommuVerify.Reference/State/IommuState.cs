using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference.State;

/// <summary>The whole state of the modelled system between two operations. Immutable; compared by value.</summary>
/// <remarks>Flat arrays indexed by scope positions keep the state small, comparable and easy to encode for
/// the checkers. Layout: see <see cref="Layout"/>. Objects and their fields are in spec/objects.md.</remarks>
public sealed class IommuState : IEquatable<IommuState>
{
    internal IommuState(
        ImmutableArray<int> domKind,
        ImmutableArray<int> domFlags,
        ImmutableArray<int> domFormat,
        ImmutableArray<int> domMm,
        ImmutableArray<int> domParent,
        ImmutableArray<int> domUsers,
        ImmutableArray<int> ptes,
        ImmutableArray<int> ridDomain,
        ImmutableArray<int> pasidDomain,
        ImmutableArray<int> guestPasid,
        ImmutableArray<int> mmPasid,
        ImmutableArray<int> svaUsers,
        ImmutableArray<int> pasidOwner,
        ImmutableArray<int> vpasidTable,
        ImmutableSortedSet<long> iotlb,
        ImmutableSortedSet<long> devTlb,
        ImmutableSortedSet<long> flushQueue)
    {
        DomKind = domKind;
        DomFlags = domFlags;
        DomFormat = domFormat;
        DomMm = domMm;
        DomParent = domParent;
        DomUsers = domUsers;
        Ptes = ptes;
        RidDomain = ridDomain;
        PasidDomain = pasidDomain;
        GuestPasid = guestPasid;
        MmPasid = mmPasid;
        SvaUsers = svaUsers;
        PasidOwner = pasidOwner;
        VpasidTable = vpasidTable;
        Iotlb = iotlb;
        DevTlb = devTlb;
        FlushQueue = flushQueue;
    }

    /// <summary>Per slot: <see cref="DomainKind"/> (0 = free).</summary>
    public ImmutableArray<int> DomKind { get; }

    /// <summary>Per slot: <see cref="AllocFlags"/> given at allocation.</summary>
    public ImmutableArray<int> DomFlags { get; }

    /// <summary>Per slot: <see cref="PageFormat"/>.</summary>
    public ImmutableArray<int> DomFormat { get; }

    /// <summary>Per slot: the mm of an SVA domain, else -1.</summary>
    public ImmutableArray<int> DomMm { get; }

    /// <summary>Per slot: the parent slot of a nested domain, else -1.</summary>
    public ImmutableArray<int> DomParent { get; }

    /// <summary>Per slot: an SVA domain's user count (devices attached through sva_bind).</summary>
    public ImmutableArray<int> DomUsers { get; }

    /// <summary>Per slot and IOVA page: 0 when unmapped, else <see cref="Pte.Make"/>.</summary>
    public ImmutableArray<int> Ptes { get; }

    /// <summary>Per group: the RID's domain as a <see cref="DomainRef"/> value.</summary>
    public ImmutableArray<int> RidDomain { get; }

    /// <summary>Per group and PASID (0..Pasids): the attached slot, or -1.</summary>
    public ImmutableArray<int> PasidDomain { get; }

    /// <summary>Per device and PASID: the vPASID a pass-through device's guest uses for that pPASID, or 0.</summary>
    public ImmutableArray<int> GuestPasid { get; }

    /// <summary>Per mm: its PASID, or 0 when it has none yet.</summary>
    public ImmutableArray<int> MmPasid { get; }

    /// <summary>Per device and mm: the bind count of the SVA handle.</summary>
    public ImmutableArray<int> SvaUsers { get; }

    /// <summary>Per PASID (0..Pasids) of the global space: 0 free, 1+mm, or <see cref="Layout.VmOwnerBase"/>+vm.</summary>
    public ImmutableArray<int> PasidOwner { get; }

    /// <summary>Per VM and vPASID (0..Vpasids): the pPASID, or 0.</summary>
    public ImmutableArray<int> VpasidTable { get; }

    /// <summary>IOTLB entries that may still be returned: packed (tag, iova, pte).</summary>
    public ImmutableSortedSet<long> Iotlb { get; }

    /// <summary>Device-TLB entries that may still be returned: packed (dev, pasid, iova, pte).</summary>
    public ImmutableSortedSet<long> DevTlb { get; }

    /// <summary>Deferred invalidations: packed (slot, iova).</summary>
    public ImmutableSortedSet<long> FlushQueue { get; }

    /// <inheritdoc/>
    public bool Equals(IommuState? other) =>
        other is not null &&
        DomKind.SequenceEqual(other.DomKind) &&
        DomFlags.SequenceEqual(other.DomFlags) &&
        DomFormat.SequenceEqual(other.DomFormat) &&
        DomMm.SequenceEqual(other.DomMm) &&
        DomParent.SequenceEqual(other.DomParent) &&
        DomUsers.SequenceEqual(other.DomUsers) &&
        Ptes.SequenceEqual(other.Ptes) &&
        RidDomain.SequenceEqual(other.RidDomain) &&
        PasidDomain.SequenceEqual(other.PasidDomain) &&
        GuestPasid.SequenceEqual(other.GuestPasid) &&
        MmPasid.SequenceEqual(other.MmPasid) &&
        SvaUsers.SequenceEqual(other.SvaUsers) &&
        PasidOwner.SequenceEqual(other.PasidOwner) &&
        VpasidTable.SequenceEqual(other.VpasidTable) &&
        Iotlb.SequenceEqual(other.Iotlb) &&
        DevTlb.SequenceEqual(other.DevTlb) &&
        FlushQueue.SequenceEqual(other.FlushQueue);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IommuState);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var a in Arrays())
        {
            foreach (int v in a)
            {
                h.Add(v);
            }

            h.Add(-7);
        }

        foreach (long v in Iotlb)
        {
            h.Add(v);
        }

        h.Add(-8);
        foreach (long v in DevTlb)
        {
            h.Add(v);
        }

        h.Add(-9);
        foreach (long v in FlushQueue)
        {
            h.Add(v);
        }

        return h.ToHashCode();
    }

    /// <summary>The integer arrays, in a fixed order (for encoders and hashing).</summary>
    public IEnumerable<ImmutableArray<int>> Arrays()
    {
        yield return DomKind;
        yield return DomFlags;
        yield return DomFormat;
        yield return DomMm;
        yield return DomParent;
        yield return DomUsers;
        yield return Ptes;
        yield return RidDomain;
        yield return PasidDomain;
        yield return GuestPasid;
        yield return MmPasid;
        yield return SvaUsers;
        yield return PasidOwner;
        yield return VpasidTable;
    }
}
