using System.Collections.Immutable;
using IommuVerify.Explorer.Compact;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Tests;

/// <summary>The compact encoding's layout on its own: which scopes it accepts (each limit at and just past its
/// edge), the sections of a state vector, the numbering of cache entries as bits, and the bit-range helpers
/// against a plain array of booleans.</summary>
public sealed class CompactLayoutTests
{
    private static Scope Conformance(string name) => ReferenceModel.For(TestModels.Load(name), "conformance").Scope;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string n in TestModels.Names)
        {
            data.Add(n);
        }

        return data;
    }

    [Fact]
    public void Every_limit_accepts_its_edge_and_names_the_first_value_past_it()
    {
        var s = Conformance("intel-vtd");
        var dev = s.Devices[0] with { Pf = -1, Group = 0 };
        ImmutableArray<DeviceSpec> Devs(int n) => [.. Enumerable.Repeat(dev, n)];
        ImmutableArray<string> Mms(int n) => [.. Enumerable.Range(0, n).Select(i => "mm" + i)];

        // A scope small enough that only the limit under test can be the reason.
        var tiny = s with { DomainSlots = 1, Devices = Devs(1), Groups = ["g"], Pasids = 0, IovaPages = 1, PhysPages = 1, Mms = Mms(1) };
        Assert.Null(CompactLayout.Unsupported(tiny));

        Assert.Null(CompactLayout.Unsupported(tiny with { DomainSlots = Tag.PerDeviceDidBase - 2 }));
        Assert.Equal($"{Tag.PerDeviceDidBase - 1} domain slots (at most {Tag.PerDeviceDidBase - 2})",
            CompactLayout.Unsupported(tiny with { DomainSlots = Tag.PerDeviceDidBase - 1 }));

        int maxDevices = Tag.SharedSvaDid - Tag.PerDeviceDidBase;
        Assert.Null(CompactLayout.Unsupported(tiny with { Devices = Devs(maxDevices) }));
        Assert.Equal($"{maxDevices + 1} devices (at most {maxDevices})", CompactLayout.Unsupported(tiny with { Devices = Devs(maxDevices + 1) }));

        Assert.Null(CompactLayout.Unsupported(tiny with { Pasids = 254 }));
        Assert.Equal("255 PASIDs (at most 254)", CompactLayout.Unsupported(tiny with { Pasids = 255 }));

        Assert.Null(CompactLayout.Unsupported(tiny with { IovaPages = 0xFFF }));
        Assert.Equal("4096 IOVA pages (1 to 4095)", CompactLayout.Unsupported(tiny with { IovaPages = 0x1000 }));
        Assert.Equal("0 IOVA pages (1 to 4095)", CompactLayout.Unsupported(tiny with { IovaPages = 0 }));

        // 0x3FFFF pages give 0xFFFFC PTE values, inside the PTE limit; the caches are then the reason.
        Assert.StartsWith("caches of ", CompactLayout.Unsupported(tiny with { PhysPages = 0x3FFFF }), StringComparison.Ordinal);
        Assert.Equal("262144 physical pages", CompactLayout.Unsupported(tiny with { PhysPages = 0x40000 }));
        Assert.Equal("0 physical pages", CompactLayout.Unsupported(tiny with { PhysPages = 0 }));

        Assert.Null(CompactLayout.Unsupported(tiny with { Mms = Mms(Layout.VmOwnerBase - 2) }));
        Assert.Equal($"{Layout.VmOwnerBase - 1} mms", CompactLayout.Unsupported(tiny with { Mms = Mms(Layout.VmOwnerBase - 1) }));
    }

    [Fact]
    public void The_cache_limit_counts_both_caches_and_admits_exactly_its_maximum()
    {
        var s = Conformance("intel-vtd");
        var one = s with
        {
            DomainSlots = 1, Devices = [s.Devices[0] with { Pf = -1, Group = 0 }], Groups = ["g"], Pasids = 0, Mms = ["mm"],
        };

        // IOTLB rows: 1 slot + 1 device + the shared SVA DID = 3; device-TLB rows: 1; each row IovaPages x 4 x PhysPages.
        var edge = one with { IovaPages = 1024, PhysPages = 4 }; // 4 x 1024 x 16 = 65536
        Assert.Null(CompactLayout.Unsupported(edge));
        Assert.Equal("caches of 65600 possible entries (at most 65536)", CompactLayout.Unsupported(edge with { IovaPages = 1025 }));

        var l = new CompactLayout(edge);
        Assert.Equal(3 * 1024 * 16, l.IotlbBits);
        Assert.Equal(1024 * 16, l.DevTlbBits);
        Assert.Equal(1024, l.FqBits);
        Assert.Throws<ArgumentException>(() => new CompactLayout(edge with { IovaPages = 1025 }));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(31, 1)]
    [InlineData(32, 1)]
    [InlineData(33, 2)]
    [InlineData(64, 2)]
    [InlineData(65, 3)]
    public void Words_rounds_bits_up_to_32_bit_words(int bits, int words) => Assert.Equal(words, CompactLayout.Words(bits));

    [Theory]
    [MemberData(nameof(Names))]
    public void Sections_follow_the_state_arrays_in_order_without_gaps(string name)
    {
        var scope = Conformance(name);
        var l = new CompactLayout(scope);
        var initial = ReferenceModel.For(TestModels.Load(name), "conformance").Initial();
        int[] starts = [l.DomKind, l.DomFlags, l.DomFormat, l.DomMm, l.DomParent, l.DomUsers, l.Ptes, l.RidDomain, l.PasidDomain,
            l.GuestPasid, l.MmPasid, l.SvaUsers, l.PasidOwner, l.VpasidTable, l.Iotlb];
        int at = 0, k = 0;
        foreach (var a in initial.Arrays())
        {
            Assert.Equal(at, starts[k++]);
            at += a.Length;
        }

        Assert.Equal(at, l.Iotlb);
        Assert.Equal(l.Iotlb + CompactLayout.Words(l.IotlbBits), l.DevTlb);
        Assert.Equal(l.DevTlb + CompactLayout.Words(l.DevTlbBits), l.Fq);
        Assert.Equal(l.Fq + CompactLayout.Words(l.FqBits), l.Width);
        Assert.Equal(scope.Pasids + 1, l.PasidRow);
        Assert.Equal(scope.Vpasids + 1, l.VpasidRow);
        Assert.Equal(scope.PhysPages * 4, l.PteValues);
        Assert.Equal(scope.DomainSlots + scope.Devices.Length + 1, l.DidCount);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_cache_entry_of_the_scope_has_its_own_bit_and_reads_back(string name)
    {
        var l = new CompactLayout(Conformance(name));
        var dids = Enumerable.Range(1, l.Slots).Concat(Enumerable.Range(Tag.PerDeviceDidBase, l.Devices)).Append(Tag.SharedSvaDid).ToList();
        Assert.Equal(l.DidCount, dids.Count);
        for (int i = 0; i < dids.Count; i++)
        {
            Assert.Equal(i, l.DidIndex(dids[i]));
            Assert.Equal(dids[i], l.DidAt(i));
        }

        foreach (int bad in new[] { 0, l.Slots + 1, Tag.PerDeviceDidBase - 1, Tag.PerDeviceDidBase + l.Devices, Tag.SharedSvaDid + 1, -1 })
        {
            if (!dids.Contains(bad))
            {
                Assert.Equal(-1, l.DidIndex(bad));
            }
        }

        var iotlb = new HashSet<int>();
        foreach (int did in dids)
        {
            for (int p = 0; p < l.PasidRow; p++)
            {
                int tag = Tag.Make(did, p);
                for (int iova = 0; iova < l.Iovas; iova++)
                {
                    Assert.Equal(l.IotlbTagBase(tag) + (iova * l.PteValues), l.IotlbBit(tag, iova, 0));
                    for (int pte = 0; pte < l.PteValues; pte++)
                    {
                        int bit = l.IotlbBit(tag, iova, pte);
                        Assert.InRange(bit, 0, l.IotlbBits - 1);
                        Assert.True(iotlb.Add(bit));
                        Assert.Equal(Entry.Iotlb(tag, iova, pte), l.IotlbEntry(bit));
                    }
                }
            }
        }

        Assert.Equal(l.IotlbBits, iotlb.Count);

        var devtlb = new HashSet<int>();
        for (int dev = 0; dev < l.Devices; dev++)
        {
            for (int p = 0; p < l.PasidRow; p++)
            {
                for (int iova = 0; iova < l.Iovas; iova++)
                {
                    for (int pte = 0; pte < l.PteValues; pte++)
                    {
                        int bit = l.DevTlbBit(dev, p, iova, pte);
                        Assert.Equal(l.DevTlbContextBase(dev, p) + (iova * l.PteValues) + pte, bit);
                        Assert.InRange(bit, 0, l.DevTlbBits - 1);
                        Assert.True(devtlb.Add(bit));
                        Assert.Equal(Entry.DevTlb(dev, p, iova, pte), l.DevTlbEntry(bit));
                    }
                }
            }
        }

        Assert.Equal(l.DevTlbBits, devtlb.Count);

        var fq = new HashSet<int>();
        for (int slot = 0; slot < l.Slots; slot++)
        {
            for (int iova = 0; iova < l.Iovas; iova++)
            {
                int bit = l.FqBit(slot, iova);
                Assert.InRange(bit, 0, l.FqBits - 1);
                Assert.True(fq.Add(bit));
                Assert.Equal(Entry.Fq(slot, iova), l.FqEntry(bit));
            }
        }
    }

    [Fact]
    public void Encoding_copies_the_arrays_and_sets_one_bit_per_cache_entry()
    {
        var model = ReferenceModel.For(TestModels.Load("intel-vtd"), "conformance");
        var l = new CompactLayout(model.Scope);
        var s0 = model.Initial();
        int tag = Tag.Make(1, 0);
        var s = WithCaches(s0, [Entry.Iotlb(tag, l.Iovas - 1, l.PteValues - 1)], [Entry.DevTlb(l.Devices - 1, l.PasidRow - 1, 0, 1)],
            [Entry.Fq(l.Slots - 1, l.Iovas - 1)]);
        var dst = Enumerable.Repeat(-1, l.Width + 3).ToArray(); // stale contents are cleared; the tail is not touched
        l.Encode(s, dst);
        int at = 0;
        foreach (var a in s.Arrays())
        {
            Assert.Equal(a.ToArray(), dst[at..(at + a.Length)]);
            at += a.Length;
        }

        var expected = new int[l.Width - l.Iotlb];
        CompactLayout.Set(expected, 0, l.IotlbBit(tag, l.Iovas - 1, l.PteValues - 1));
        CompactLayout.Set(expected, l.DevTlb - l.Iotlb, l.DevTlbBit(l.Devices - 1, l.PasidRow - 1, 0, 1));
        CompactLayout.Set(expected, l.Fq - l.Iotlb, l.FqBit(l.Slots - 1, l.Iovas - 1));
        Assert.Equal(expected, dst[l.Iotlb..l.Width]);
        Assert.Equal([-1, -1, -1], dst[l.Width..]);
    }

    [Fact]
    public void Encoding_refuses_a_cache_entry_outside_the_scope()
    {
        var model = ReferenceModel.For(TestModels.Load("intel-vtd"), "conformance");
        var l = new CompactLayout(model.Scope);
        var s0 = model.Initial();
        var dst = new int[l.Width];
        long[] badIotlb =
        [
            Entry.Iotlb(Tag.Make(l.Slots + 1, 0), 0, 0), Entry.Iotlb(Tag.Make(1, l.PasidRow), 0, 0),
            Entry.Iotlb(Tag.Make(1, 0), l.Iovas, 0), Entry.Iotlb(Tag.Make(1, 0), 0, l.PteValues),
        ];
        foreach (long e in badIotlb)
        {
            var ex = Assert.Throws<ArgumentException>(() => l.Encode(WithCaches(s0, [e], [], []), dst));
            Assert.Contains($"cache entry 0x{e:x} is outside the scope's encoding", ex.Message, StringComparison.Ordinal);
        }

        long[] badDevTlb = [Entry.DevTlb(l.Devices, 0, 0, 0), Entry.DevTlb(0, l.PasidRow, 0, 0), Entry.DevTlb(0, 0, l.Iovas, 0), Entry.DevTlb(0, 0, 0, l.PteValues)];
        foreach (long e in badDevTlb)
        {
            Assert.Throws<ArgumentException>(() => l.Encode(WithCaches(s0, [], [e], []), dst));
        }

        foreach (long e in new[] { Entry.Fq(l.Slots, 0), Entry.Fq(0, l.Iovas) })
        {
            Assert.Throws<ArgumentException>(() => l.Encode(WithCaches(s0, [], [], [e]), dst));
        }

        // The edges themselves are inside.
        l.Encode(WithCaches(s0, [Entry.Iotlb(Tag.Make(Tag.SharedSvaDid, l.PasidRow - 1), l.Iovas - 1, l.PteValues - 1)],
            [Entry.DevTlb(l.Devices - 1, l.PasidRow - 1, l.Iovas - 1, l.PteValues - 1)], [Entry.Fq(l.Slots - 1, l.Iovas - 1)]), dst);
    }

    [Fact]
    public void Bit_helpers_agree_with_an_array_of_booleans()
    {
        const int bits = 200;
        var rng = new Random(20261122);
        for (int round = 0; round < 300; round++)
        {
            int at = rng.Next(3);
            var words = new int[at + CompactLayout.Words(bits) + 1];
            var plain = new bool[bits];
            for (int k = 0; k < 60; k++)
            {
                int b = rng.Next(bits);
                CompactLayout.Set(words, at, b);
                plain[b] = true;
            }

            int from = rng.Next(bits), count = rng.Next(bits - from + 1);
            Assert.Equal(plain.Skip(from).Take(count).Any(x => x), CompactLayout.AnyInRange(words, at, from, count));
            if (rng.Next(4) == 0)
            {
                int b = rng.Next(bits);
                CompactLayout.Clear(words, at, b);
                plain[b] = false;
            }
            else
            {
                CompactLayout.ClearRange(words, at, from, count);
                Array.Fill(plain, false, from, count);
            }

            for (int b = 0; b < bits; b++)
            {
                Assert.Equal(plain[b], CompactLayout.Has(words, at, b));
            }

            Assert.Equal(0, words[^1]); // nothing written past the range's words
            Assert.All(words[..at], w => Assert.Equal(0, w));
        }
    }

    [Fact]
    public void Whole_words_clear_and_test_as_one()
    {
        var words = new[] { -1, -1, -1 };
        Assert.True(CompactLayout.AnyInRange(words, 0, 32, 32));
        CompactLayout.ClearRange(words, 0, 32, 32);
        Assert.Equal([-1, 0, -1], words);
        Assert.False(CompactLayout.AnyInRange(words, 0, 32, 32));
        Assert.True(CompactLayout.AnyInRange(words, 0, 31, 2));
        Assert.False(CompactLayout.AnyInRange(words, 0, 40, 0));
        CompactLayout.ClearRange(words, 0, 0, 96);
        Assert.Equal([0, 0, 0], words);
    }

    private static IommuState WithCaches(IommuState s, long[] iotlb, long[] devtlb, long[] fq) => new(
        s.DomKind, s.DomFlags, s.DomFormat, s.DomMm, s.DomParent, s.DomUsers, s.Ptes, s.RidDomain, s.PasidDomain, s.GuestPasid,
        s.MmPasid, s.SvaUsers, s.PasidOwner, s.VpasidTable, [.. iotlb], [.. devtlb], [.. fq]);
}
