using System.Numerics;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Compact;

/// <summary>Where each part of a state lives in the checker's flat encoding: one span of ints per state.</summary>
/// <remarks>The integer arrays of <see cref="IommuState"/> are copied as they are, in <see cref="IommuState.Arrays"/>
/// order. The three sets (IOTLB, device TLB, flush queue) become bitsets over every entry the scope can hold, so a
/// state has one fixed width and an operation can edit it in place. <see cref="Unsupported"/> says when a scope
/// does not fit (then the checker uses the reference model).</remarks>
internal sealed class CompactLayout
{
    private const int MaxSetBits = 1 << 16;

    /// <summary>Builds the layout of a scope that <see cref="Unsupported"/> accepted.</summary>
    public CompactLayout(Scope scope)
    {
        if (Unsupported(scope) is { } why)
        {
            throw new ArgumentException(why, nameof(scope));
        }

        Slots = scope.DomainSlots;
        Iovas = scope.IovaPages;
        PhysPages = scope.PhysPages;
        PasidRow = scope.Pasids + 1;
        Devices = scope.Devices.Length;
        Groups = scope.Groups.Length;
        Mms = scope.Mms.Length;
        Vms = scope.Vms.Length;
        VpasidRow = scope.Vpasids + 1;
        PteValues = PhysPages * 4;
        DidCount = Slots + Devices + 1;
        IotlbBits = DidCount * PasidRow * Iovas * PteValues;
        DevTlbBits = Devices * PasidRow * Iovas * PteValues;
        FqBits = Slots * Iovas;

        int at = 0;
        int Take(int n)
        {
            int start = at;
            at += n;
            return start;
        }

        DomKind = Take(Slots);
        DomFlags = Take(Slots);
        DomFormat = Take(Slots);
        DomMm = Take(Slots);
        DomParent = Take(Slots);
        DomUsers = Take(Slots);
        Ptes = Take(Slots * Iovas);
        RidDomain = Take(Groups);
        PasidDomain = Take(Groups * PasidRow);
        GuestPasid = Take(Devices * PasidRow);
        MmPasid = Take(Mms);
        SvaUsers = Take(Devices * Mms);
        PasidOwner = Take(PasidRow);
        VpasidTable = Take(Vms * VpasidRow);
        Iotlb = Take(Words(IotlbBits));
        DevTlb = Take(Words(DevTlbBits));
        Fq = Take(Words(FqBits));
        Width = at;
    }

    /// <summary>Ints per state.</summary>
    public int Width { get; }

    /// <summary>Domain slots.</summary>
    public int Slots { get; }

    /// <summary>IOVA pages.</summary>
    public int Iovas { get; }

    /// <summary>Physical pages.</summary>
    public int PhysPages { get; }

    /// <summary>PASIDs per row (PASID 0 included).</summary>
    public int PasidRow { get; }

    /// <summary>Devices.</summary>
    public int Devices { get; }

    /// <summary>Groups.</summary>
    public int Groups { get; }

    /// <summary>mms.</summary>
    public int Mms { get; }

    /// <summary>VMs.</summary>
    public int Vms { get; }

    /// <summary>vPASIDs per VM row (0 included).</summary>
    public int VpasidRow { get; }

    /// <summary>Distinct PTE values a cache entry can hold: physical page times 4 plus permission bits.</summary>
    public int PteValues { get; }

    /// <summary>Distinct domain IDs: one per slot, one per device, the shared SVA one.</summary>
    public int DidCount { get; }

    /// <summary>Bits of the IOTLB set.</summary>
    public int IotlbBits { get; }

    /// <summary>Bits of the device-TLB set.</summary>
    public int DevTlbBits { get; }

    /// <summary>Bits of the flush-queue set.</summary>
    public int FqBits { get; }

    // Offsets of the sections, each named as the state's array it holds.
    public int DomKind { get; }

    public int DomFlags { get; }

    public int DomFormat { get; }

    public int DomMm { get; }

    public int DomParent { get; }

    public int DomUsers { get; }

    public int Ptes { get; }

    public int RidDomain { get; }

    public int PasidDomain { get; }

    public int GuestPasid { get; }

    public int MmPasid { get; }

    public int SvaUsers { get; }

    public int PasidOwner { get; }

    public int VpasidTable { get; }

    public int Iotlb { get; }

    public int DevTlb { get; }

    public int Fq { get; }

    /// <summary>Why a scope does not fit the encoding, or null when it does.</summary>
    /// <remarks>The limits come from the packed entry formats of <see cref="Entry"/> and <see cref="Tag"/>: slot
    /// domain IDs must stay below the per-device ones (32), per-device ones below the shared SVA one (60), PASIDs
    /// in a byte, IOVAs in 12 bits; mm owners must stay below <see cref="Layout.VmOwnerBase"/>.</remarks>
    public static string? Unsupported(Scope scope)
    {
        int pteValues = scope.PhysPages * 4;
        long row = scope.Pasids + 1L;
        long iotlb = (scope.DomainSlots + scope.Devices.Length + 1L) * row * scope.IovaPages * pteValues;
        long devtlb = scope.Devices.Length * row * scope.IovaPages * pteValues;
        return scope switch
        {
            _ when scope.DomainSlots > Tag.PerDeviceDidBase - 2 => $"{scope.DomainSlots} domain slots (at most {Tag.PerDeviceDidBase - 2})",
            _ when scope.Devices.Length > Tag.SharedSvaDid - Tag.PerDeviceDidBase => $"{scope.Devices.Length} devices (at most {Tag.SharedSvaDid - Tag.PerDeviceDidBase})",
            _ when scope.Pasids > 254 => $"{scope.Pasids} PASIDs (at most 254)",
            _ when scope.IovaPages < 1 || scope.IovaPages > 0xFFF => $"{scope.IovaPages} IOVA pages (1 to 4095)",
            _ when scope.PhysPages < 1 || pteValues > 0xFFFFF => $"{scope.PhysPages} physical pages",
            _ when scope.Mms.Length >= Layout.VmOwnerBase - 1 => $"{scope.Mms.Length} mms",
            _ when iotlb + devtlb > MaxSetBits => $"caches of {iotlb + devtlb} possible entries (at most {MaxSetBits})",
            _ => null,
        };
    }

    /// <summary>Ints needed for a bitset of <paramref name="bits"/> bits.</summary>
    public static int Words(int bits) => (bits + 31) >> 5;

    /// <summary>The index of a domain ID among <see cref="DidCount"/>; -1 for a value no policy produces.</summary>
    public int DidIndex(int did) => did switch
    {
        Tag.SharedSvaDid => Slots + Devices,
        >= Tag.PerDeviceDidBase when did - Tag.PerDeviceDidBase < Devices => Slots + did - Tag.PerDeviceDidBase,
        >= 1 when did <= Slots => did - 1,
        _ => -1,
    };

    /// <summary>The domain ID of an index.</summary>
    public int DidAt(int index) => index == Slots + Devices ? Tag.SharedSvaDid : index >= Slots ? Tag.PerDeviceDidBase + index - Slots : index + 1;

    /// <summary>The first IOTLB bit of a tag; entries of one tag are contiguous, by IOVA then PTE.</summary>
    public int IotlbTagBase(int tag) => ((DidIndex(Tag.Did(tag)) * PasidRow) + Tag.Pasid(tag)) * Iovas * PteValues;

    /// <summary>The IOTLB bit of an entry.</summary>
    public int IotlbBit(int tag, int iova, int pte) => IotlbTagBase(tag) + (iova * PteValues) + pte;

    /// <summary>The packed IOTLB entry (<see cref="Entry.Iotlb"/>) of a bit.</summary>
    public long IotlbEntry(int bit)
    {
        int pte = bit % PteValues, rest = bit / PteValues;
        int iova = rest % Iovas;
        rest /= Iovas;
        int pasid = rest % PasidRow, did = DidAt(rest / PasidRow);
        return Entry.Iotlb(Tag.Make(did, pasid), iova, pte);
    }

    /// <summary>The first device-TLB bit of a (device, PASID) context.</summary>
    public int DevTlbContextBase(int dev, int pasid) => ((dev * PasidRow) + pasid) * Iovas * PteValues;

    /// <summary>The device-TLB bit of an entry.</summary>
    public int DevTlbBit(int dev, int pasid, int iova, int pte) => DevTlbContextBase(dev, pasid) + (iova * PteValues) + pte;

    /// <summary>The packed device-TLB entry (<see cref="Entry.DevTlb"/>) of a bit.</summary>
    public long DevTlbEntry(int bit)
    {
        int pte = bit % PteValues, rest = bit / PteValues;
        int iova = rest % Iovas;
        rest /= Iovas;
        return Entry.DevTlb(rest / PasidRow, rest % PasidRow, iova, pte);
    }

    /// <summary>The flush-queue bit of (slot, iova); ascending bits are ascending packed entries.</summary>
    public int FqBit(int slot, int iova) => (slot * Iovas) + iova;

    /// <summary>The packed flush-queue entry (<see cref="Entry.Fq"/>) of a bit.</summary>
    public long FqEntry(int bit) => Entry.Fq(bit / Iovas, bit % Iovas);

    /// <summary>Writes the encoding of a reference state.</summary>
    /// <exception cref="ArgumentException">When a cache entry is outside the scope (the encoding cannot hold it).</exception>
    public void Encode(IommuState s, Span<int> dst)
    {
        dst[..Width].Clear();
        int at = 0;
        foreach (var a in s.Arrays())
        {
            a.AsSpan().CopyTo(dst[at..]);
            at += a.Length;
        }

        if (at != Iotlb)
        {
            throw new ArgumentException($"state arrays hold {at} ints, the layout {Iotlb}", nameof(s));
        }

        foreach (long e in s.Iotlb)
        {
            int tag = Entry.IotlbTag(e), pte = Entry.PteOf(e), iova = Entry.Iova(e);
            Check(DidIndex(Tag.Did(tag)) >= 0 && Tag.Pasid(tag) < PasidRow && iova < Iovas && pte < PteValues && e == Entry.Iotlb(tag, iova, pte), e);
            Set(dst, Iotlb, IotlbBit(tag, iova, pte));
        }

        foreach (long e in s.DevTlb)
        {
            int dev = Entry.Dev(e), pasid = Entry.DevPasid(e), iova = Entry.Iova(e), pte = Entry.PteOf(e);
            Check(dev < Devices && pasid < PasidRow && iova < Iovas && pte < PteValues && e == Entry.DevTlb(dev, pasid, iova, pte), e);
            Set(dst, DevTlb, DevTlbBit(dev, pasid, iova, pte));
        }

        foreach (long e in s.FlushQueue)
        {
            int slot = Entry.FqSlot(e), iova = Entry.FqIova(e);
            Check(slot < Slots && iova < Iovas && e == Entry.Fq(slot, iova), e);
            Set(dst, Fq, FqBit(slot, iova));
        }

        static void Check(bool ok, long e)
        {
            if (!ok)
            {
                throw new ArgumentException($"cache entry 0x{e:x} is outside the scope's encoding", nameof(s));
            }
        }
    }

    /// <summary>True when bit <paramref name="bit"/> of the bitset at <paramref name="at"/> is set.</summary>
    public static bool Has(ReadOnlySpan<int> s, int at, int bit) => (s[at + (bit >> 5)] & (1 << (bit & 31))) != 0;

    /// <summary>Sets a bit.</summary>
    public static void Set(Span<int> s, int at, int bit) => s[at + (bit >> 5)] |= 1 << (bit & 31);

    /// <summary>Clears a bit.</summary>
    public static void Clear(Span<int> s, int at, int bit) => s[at + (bit >> 5)] &= ~(1 << (bit & 31));

    /// <summary>Clears bits [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>).</summary>
    public static void ClearRange(Span<int> s, int at, int from, int count)
    {
        int end = from + count;
        while (from < end)
        {
            int w = from >> 5, lo = from & 31;
            int n = Math.Min(32 - lo, end - from);
            uint mask = n == 32 ? uint.MaxValue : ((1u << n) - 1) << lo;
            s[at + w] &= (int)~mask;
            from += n;
        }
    }

    /// <summary>True when any bit in [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) is set.</summary>
    public static bool AnyInRange(ReadOnlySpan<int> s, int at, int from, int count)
    {
        int end = from + count;
        while (from < end)
        {
            int w = from >> 5, lo = from & 31;
            int n = Math.Min(32 - lo, end - from);
            uint mask = n == 32 ? uint.MaxValue : ((1u << n) - 1) << lo;
            if (((uint)s[at + w] & mask) != 0)
            {
                return true;
            }

            from += n;
        }

        return false;
    }

    /// <summary>The number of set bits in a bitset of <paramref name="words"/> ints.</summary>
    public static int Count(ReadOnlySpan<int> s, int at, int words)
    {
        int n = 0;
        for (int w = 0; w < words; w++)
        {
            n += BitOperations.PopCount((uint)s[at + w]);
        }

        return n;
    }
}
