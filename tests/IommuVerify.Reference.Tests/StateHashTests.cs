using IommuVerify.Reference.State;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>State equality and hashing (the reference search keeps its seen states in a hash set): every cell of every
/// array and every cache entry takes part, and an entry in one cache never hashes like the same entry in another.</summary>
public sealed class StateHashTests
{
    private static readonly Func<Draft, int[]>[] ArraysOf =
    [
        d => d.DomKind, d => d.DomFlags, d => d.DomFormat, d => d.DomMm, d => d.DomParent, d => d.DomUsers, d => d.Ptes,
        d => d.RidDomain, d => d.PasidDomain, d => d.GuestPasid, d => d.MmPasid, d => d.SvaUsers, d => d.PasidOwner,
        d => d.VpasidTable,
    ];

    private static IommuState Changed(IommuState s, Action<Draft> change)
    {
        var d = new Draft(s);
        change(d);
        return d.Freeze();
    }

    [Fact]
    public void States_differing_in_any_one_cell_or_cache_entry_are_unequal_and_hash_apart()
    {
        var h = Harness.For("intel-vtd");
        var s = h.State;
        Assert.Equal(ArraysOf.Length, s.Arrays().Count());
        var variants = new List<IommuState>();
        foreach (var array in ArraysOf)
        {
            int n = array(new Draft(s)).Length;
            Assert.True(n > 0);
            for (int i = 0; i < n; i++)
            {
                variants.Add(Changed(s, d => array(d)[i] += 1));
            }
        }

        variants.Add(Changed(s, d => d.Iotlb.Add(5)));
        variants.Add(Changed(s, d => d.DevTlb.Add(5)));
        variants.Add(Changed(s, d => d.FlushQueue.Add(5)));
        variants.Add(Changed(s, d => { d.Iotlb.Add(5); d.DevTlb.Add(6); }));
        variants.Add(Changed(s, d => { d.Iotlb.Add(6); d.DevTlb.Add(5); }));
        variants.Add(s);

        for (int a = 0; a < variants.Count; a++)
        {
            for (int b = a + 1; b < variants.Count; b++)
            {
                Assert.False(variants[a].Equals(variants[b]), $"variants {a} and {b} compare equal");
            }
        }

        // HashCode is seeded per process, so two different states may collide by chance (about 1 in 2^32 per pair,
        // under 1 in 10^6 for this set); allow one such collision, not the dozens a cell left out of the hash gives.
        int distinct = variants.Select(v => v.GetHashCode()).Distinct().Count();
        Assert.True(distinct >= variants.Count - 1, $"{variants.Count} different states have only {distinct} distinct hash codes");

        // The same entry in the IOTLB, the device TLB or the flush queue: three states that must hash apart (a chance
        // collision here is about 1 in 10^9).
        var moved = new[] { d => d.Iotlb, d => d.DevTlb, (Func<Draft, SortedSet<long>>)(d => d.FlushQueue) }
            .Select(set => Changed(s, d => set(d).Add(5)).GetHashCode());
        Assert.Equal(3, moved.Distinct().Count());
    }

    [Fact]
    public void Equal_states_built_apart_are_equal_and_hash_alike()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("attach_rid dev=nic domain=d0");
        h.Do("translate dev=nic pasid=0 iova=0 access=read");
        var copy = Changed(h.State, _ => { });
        Assert.NotSame(h.State, copy);
        Assert.True(copy.Equals(h.State));
        Assert.True(copy.Equals((object)h.State));
        Assert.Equal(h.State.GetHashCode(), copy.GetHashCode());
        Assert.False(copy.Equals(null));
    }
}
