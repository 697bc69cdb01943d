using System.Collections.Immutable;
using System.Numerics;
using IommuVerify.Reference.State;

namespace IommuVerify.Explorer;

/// <summary>Computes 64-bit state fingerprints, canonical under a <see cref="SymmetryGroup"/>: the least
/// fingerprint over the images of the state under every group element.</summary>
/// <remarks>The images are never built as states: the hash reads the state through the permutation.</remarks>
public sealed class Fingerprinter(SymmetryGroup group, int iovaPages, int mms)
{
    // The hash primitives are shared with the compact fingerprinter, whose fingerprints must equal these.
    internal const ulong P1 = 0x9E3779B185EBCA87UL;
    internal const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    internal const ulong P3 = 0x165667B19E3779F9UL;
    private readonly ImmutableArray<Permutation> _perms = group.Elements;

    /// <summary>The number of group elements each fingerprint is computed under.</summary>
    public int GroupSize => _perms.Length;

    /// <summary>The canonical fingerprint of a state (never 0).</summary>
    public long Of(IommuState s)
    {
        ulong best = ulong.MaxValue;
        foreach (var p in _perms)
        {
            ulong h = Hash(s, p);
            if (h < best)
            {
                best = h;
            }
        }

        return best == 0 ? 1 : (long)best;
    }

    internal static ulong Round(ulong h, ulong v) => BitOperations.RotateLeft(h + (v * P2), 31) * P1;

    internal static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }

    private static ulong Plain(ulong h, ImmutableArray<int> a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            h = Round(h, (ulong)(uint)a[i]);
        }

        return Round(h, 0xFFFF_FFFF_0000_0001UL);
    }

    private static int MapPte(int pte, ImmutableArray<int> pa) => pte == 0 ? 0 : (pa[pte >> 2] << 2) | (pte & 3);

    private ulong Hash(IommuState s, Permutation p)
    {
        ulong h = P3;
        h = Plain(h, s.DomKind);
        h = Plain(h, s.DomFlags);
        h = Plain(h, s.DomFormat);
        for (int i = 0; i < s.DomMm.Length; i++)
        {
            int v = s.DomMm[i];
            h = Round(h, (ulong)(uint)(v >= 0 ? p.Mm[v] : v));
        }

        h = Plain(h, s.DomParent);
        h = Plain(h, s.DomUsers);
        int slots = iovaPages == 0 ? 0 : s.Ptes.Length / iovaPages;
        for (int slot = 0; slot < slots; slot++)
        {
            for (int j = 0; j < iovaPages; j++)
            {
                h = Round(h, (ulong)(uint)MapPte(s.Ptes[(slot * iovaPages) + p.IovaInverse[j]], p.Pa));
            }
        }

        h = Plain(h, s.RidDomain);
        h = Plain(h, s.PasidDomain);
        h = Plain(h, s.GuestPasid);
        for (int j = 0; j < mms; j++)
        {
            h = Round(h, (ulong)(uint)s.MmPasid[p.MmInverse[j]]);
        }

        int devs = mms == 0 ? 0 : s.SvaUsers.Length / mms;
        for (int d = 0; d < devs; d++)
        {
            for (int j = 0; j < mms; j++)
            {
                h = Round(h, (ulong)(uint)s.SvaUsers[(d * mms) + p.MmInverse[j]]);
            }
        }

        for (int i = 0; i < s.PasidOwner.Length; i++)
        {
            int v = s.PasidOwner[i];
            h = Round(h, (ulong)(uint)(v >= 1 && v < Layout.VmOwnerBase ? 1 + p.Mm[v - 1] : v));
        }

        h = Plain(h, s.VpasidTable);

        // Sets: an order-independent sum of mixed elements, so permuted entries need no re-sorting.
        ulong sum = 0;
        foreach (long e in s.Iotlb)
        {
            long m = (e & ~0xFFFF_FFFFL) | ((long)p.Iova[(int)((e >> 20) & 0xFFF)] << 20) | (uint)MapPte((int)(e & 0xFFFFF), p.Pa);
            sum += Mix((ulong)m ^ 0x1111);
        }

        h = Round(h, sum);
        h = Round(h, (ulong)s.Iotlb.Count);
        sum = 0;
        foreach (long e in s.DevTlb)
        {
            long m = (e & ~0xFFFF_FFFFL) | ((long)p.Iova[(int)((e >> 20) & 0xFFF)] << 20) | (uint)MapPte((int)(e & 0xFFFFF), p.Pa);
            sum += Mix((ulong)m ^ 0x2222);
        }

        h = Round(h, sum);
        h = Round(h, (ulong)s.DevTlb.Count);
        sum = 0;
        foreach (long e in s.FlushQueue)
        {
            long m = (e & ~0xFFFFFL) | (uint)p.Iova[(int)(e & 0xFFFFF)];
            sum += Mix((ulong)m ^ 0x3333);
        }

        h = Round(h, sum);
        h = Round(h, (ulong)s.FlushQueue.Count);
        return Mix(h);
    }
}
