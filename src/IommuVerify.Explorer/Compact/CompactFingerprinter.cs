using System.Numerics;
using IommuVerify.Reference.State;

namespace IommuVerify.Explorer.Compact;

/// <summary><see cref="Fingerprinter"/> read straight from the compact encoding: the same 64-bit value for the same
/// state, so fingerprints, seen-sets and shard files do not depend on which successor function produced them.</summary>
/// <remarks>The hash visits the state's arrays in the same order and through the same permutation as
/// <see cref="Fingerprinter"/>. A set's contribution is a sum over its entries, so each bitset bit's mixed value
/// under each group element is computed once here and the hash adds up table entries.</remarks>
internal sealed class CompactFingerprinter
{
    private const ulong P3 = Fingerprinter.P3;
    private readonly CompactLayout _l;
    private readonly Element[] _elements;

    /// <summary>Precomputes the tables of every element of <paramref name="group"/>.</summary>
    public CompactFingerprinter(SymmetryGroup group, CompactLayout layout)
    {
        _l = layout;
        _elements = [.. group.Elements.Select(p => new Element(p, layout))];
    }

    /// <summary>The canonical fingerprint of an encoded state (never 0); equal to <see cref="Fingerprinter.Of"/> of the state.</summary>
    public long Of(ReadOnlySpan<int> s)
    {
        ulong best = ulong.MaxValue;
        foreach (var e in _elements)
        {
            ulong h = Hash(s, e);
            if (h < best)
            {
                best = h;
            }
        }

        return best == 0 ? 1 : (long)best;
    }

    private static ulong Round(ulong h, ulong v) => Fingerprinter.Round(h, v);

    private static ulong Round(ulong h, int v) => Fingerprinter.Round(h, (ulong)(uint)v);

    /// <summary>The final avalanche: <see cref="Fingerprinter"/>'s.</summary>
    internal static ulong Mix(ulong h) => Fingerprinter.Mix(h);

    private static ulong Plain(ulong h, ReadOnlySpan<int> a)
    {
        foreach (int v in a)
        {
            h = Round(h, v);
        }

        return Round(h, 0xFFFF_FFFF_0000_0001UL);
    }

    private static int MapPte(int pte, int[] pa) => pte == 0 ? 0 : (pa[pte >> 2] << 2) | (pte & 3);

    private static ulong SetSum(ReadOnlySpan<int> s, int at, int words, ulong[] mix, out int count)
    {
        ulong sum = 0;
        count = 0;
        for (int w = 0; w < words; w++)
        {
            uint bits = (uint)s[at + w];
            while (bits != 0)
            {
                int b = BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                sum += mix[(w << 5) + b];
                count++;
            }
        }

        return sum;
    }

    private ulong Hash(ReadOnlySpan<int> s, Element p)
    {
        var l = _l;
        ulong h = P3;
        h = Plain(h, s.Slice(l.DomKind, l.Slots));
        h = Plain(h, s.Slice(l.DomFlags, l.Slots));
        h = Plain(h, s.Slice(l.DomFormat, l.Slots));
        for (int i = 0; i < l.Slots; i++)
        {
            int v = s[l.DomMm + i];
            h = Round(h, v >= 0 ? p.Mm[v] : v);
        }

        h = Plain(h, s.Slice(l.DomParent, l.Slots));
        h = Plain(h, s.Slice(l.DomUsers, l.Slots));
        for (int slot = 0; slot < l.Slots; slot++)
        {
            int row = l.Ptes + (slot * l.Iovas);
            for (int j = 0; j < l.Iovas; j++)
            {
                h = Round(h, MapPte(s[row + p.IovaInverse[j]], p.Pa));
            }
        }

        h = Plain(h, s.Slice(l.RidDomain, l.Groups));
        h = Plain(h, s.Slice(l.PasidDomain, l.Groups * l.PasidRow));
        h = Plain(h, s.Slice(l.GuestPasid, l.Devices * l.PasidRow));
        for (int j = 0; j < l.Mms; j++)
        {
            h = Round(h, s[l.MmPasid + p.MmInverse[j]]);
        }

        for (int d = 0; d < l.Devices && l.Mms > 0; d++)
        {
            for (int j = 0; j < l.Mms; j++)
            {
                h = Round(h, s[l.SvaUsers + (d * l.Mms) + p.MmInverse[j]]);
            }
        }

        for (int i = 0; i < l.PasidRow; i++)
        {
            int v = s[l.PasidOwner + i];
            h = Round(h, v >= 1 && v < Layout.VmOwnerBase ? 1 + p.Mm[v - 1] : v);
        }

        h = Plain(h, s.Slice(l.VpasidTable, l.Vms * l.VpasidRow));
        h = Round(h, SetSum(s, l.Iotlb, CompactLayout.Words(l.IotlbBits), p.IotlbMix, out int n));
        h = Round(h, n);
        h = Round(h, SetSum(s, l.DevTlb, CompactLayout.Words(l.DevTlbBits), p.DevTlbMix, out n));
        h = Round(h, n);
        h = Round(h, SetSum(s, l.Fq, CompactLayout.Words(l.FqBits), p.FqMix, out n));
        h = Round(h, n);
        return Mix(h);
    }

    /// <summary>One group element as plain arrays, with each set bit's mixed image precomputed.</summary>
    private sealed class Element
    {
        public Element(Permutation p, CompactLayout l)
        {
            Mm = [.. p.Mm];
            MmInverse = [.. p.MmInverse];
            IovaInverse = [.. p.IovaInverse];
            Pa = [.. p.Pa];
            int[] iova = [.. p.Iova];
            IotlbMix = Table(l.IotlbBits, l.IotlbEntry, e => (e & ~0xFFFF_FFFFL) | ((long)iova[Entry.Iova(e)] << 20) | (uint)MapPte(Entry.PteOf(e), Pa), 0x1111);
            DevTlbMix = Table(l.DevTlbBits, l.DevTlbEntry, e => (e & ~0xFFFF_FFFFL) | ((long)iova[Entry.Iova(e)] << 20) | (uint)MapPte(Entry.PteOf(e), Pa), 0x2222);
            FqMix = Table(l.FqBits, l.FqEntry, e => (e & ~0xFFFFFL) | (uint)iova[Entry.FqIova(e)], 0x3333);
        }

        public int[] Mm { get; }

        public int[] MmInverse { get; }

        public int[] IovaInverse { get; }

        public int[] Pa { get; }

        public ulong[] IotlbMix { get; }

        public ulong[] DevTlbMix { get; }

        public ulong[] FqMix { get; }

        private static ulong[] Table(int bits, Func<int, long> entry, Func<long, long> permute, ulong salt)
        {
            var t = new ulong[Math.Max(1, CompactLayout.Words(bits) * 32)];
            for (int b = 0; b < bits; b++)
            {
                t[b] = Mix((ulong)permute(entry(b)) ^ salt);
            }

            return t;
        }
    }
}
