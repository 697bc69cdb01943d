using System.Text.Json.Nodes;
using IommuVerify.Reference.State;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>The state record: equality and hashing (the checkers' seen-sets rely on them) and its ITF export.</summary>
public sealed class StateTests
{
    /// <summary>A state that has something in every part: domains with pages, RID and PASID attachments, an SVA bind,
    /// IOTLB and device-TLB entries and a deferred flush.</summary>
    private static Harness Busy()
    {
        var h = Harness.For("intel-flush-queue");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("map domain=d0 iova=1 pa=0 perm=r");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        h.Do("sva_bind dev=gpu mm=mm0");
        h.Do("unmap domain=d0 iova=0");
        return h;
    }

    [Fact]
    public void Equal_states_have_equal_hashes_and_every_part_takes_part_in_equality()
    {
        var a = Busy().State;
        var b = Busy().State;
        Assert.Equal(a, b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)"not a state"));

        // One operation more changes the state, its equality and (for these states) its hash.
        var h = Busy();
        h.Do("invalidate scope=fq");
        Assert.NotEqual(a, h.State);
        Assert.NotEqual(a.GetHashCode(), h.State.GetHashCode());

        var initial = Harness.For("intel-flush-queue").State;
        Assert.NotEqual(initial, a);
        Assert.NotEqual(initial.GetHashCode(), a.GetHashCode());
    }

    [Fact]
    public void States_that_differ_only_in_the_caches_are_different()
    {
        var h1 = Harness.For("intel-vtd");
        var h2 = Harness.For("intel-vtd");
        foreach (var h in new[] { h1, h2 })
        {
            h.Do("alloc_domain dev=gpu kind=paging flags=none");
            h.Do("map domain=d0 iova=0 pa=1 perm=rw");
            h.Do("attach_rid dev=gpu domain=d0");
        }

        Assert.Equal(h1.State, h2.State);
        h2.Do("translate dev=gpu pasid=0 iova=0 access=read");
        Assert.NotEmpty(h2.State.Iotlb);
        Assert.NotEqual(h1.State, h2.State);
        Assert.NotEqual(h1.State.GetHashCode(), h2.State.GetHashCode());
    }

    [Fact]
    public void Arrays_lists_every_integer_part_once_in_a_fixed_order()
    {
        var s = Busy().State;
        var arrays = s.Arrays().ToList();
        Assert.Equal(14, arrays.Count);
        Assert.Equal(s.DomKind, arrays[0]);
        Assert.Equal(s.DomUsers, arrays[5]);
        Assert.Equal(s.Ptes, arrays[6]);
        Assert.Equal(s.VpasidTable, arrays[13]);
    }

    [Fact]
    public void Export_writes_every_variable_with_the_states_contents()
    {
        var h = Busy();
        var x = StateExport.Export(h.Model, h.State);
        Assert.Equal(StateExport.Vars, x.Select(kv => kv.Key).ToArray());

        var d0 = x["domains"]!["d0"]!.AsObject();
        Assert.Equal("paging", (string?)d0["kind"]);
        Assert.Equal("pasid", (string?)d0["flags"]);
        Assert.Null(d0["parent"]);
        Assert.Null(d0["mm"]);
        Assert.Equal(0, (int?)d0["users"]); // users counts SVA binds only (spec/objects.md, DomUsers)

        // iova 0 was unmapped; iova 1 maps to page 0 read-only.
        var ptes = d0["ptes"]!["#set"]!.AsArray();
        Assert.Single(ptes);
        Assert.Equal("[1,0,\"r\"]", ptes[0]!.ToJsonString());

        // The SVA domain is the second slot, bound to mm0 and used by one PASID of the gpu.
        var d1 = x["domains"]!["d1"]!.AsObject();
        Assert.Equal("sva", (string?)d1["kind"]);
        Assert.Equal("mm0", (string?)d1["mm"]);
        Assert.Equal(1, (int?)d1["users"]);
        Assert.Null(x["domains"]!["d2"]);

        string gpuGroup = h.Scope.Groups[h.Scope.Devices.First(d => d.Name == "gpu").Group];
        Assert.Equal("d0", (string?)x["rid_domain"]![gpuGroup]);
        int mmPasid = (int)x["mm_pasid"]!["mm0"]!;
        Assert.True(mmPasid > 0);
        Assert.Equal($"[[[\"{gpuGroup}\",{mmPasid}],\"d1\"]]", x["pasid_domain"]!["#map"]!.ToJsonString());
        Assert.Equal("[[[\"gpu\",\"mm0\"],1]]", x["sva_users"]!["#map"]!.ToJsonString());
        Assert.Equal($"[[{mmPasid},\"mm0\"]]", x["pasid_owner"]!["#map"]!.ToJsonString());
        Assert.Empty(x["vpasid_table"]!["#map"]!.AsArray());

        // The read of iova 0 is still cached (its flush is deferred) and the flush queue holds it.
        var iotlb = x["iotlb"]!["#set"]!.AsArray();
        Assert.Contains(iotlb, e => (int?)e!["iova"] == 0 && (int?)e["pa"] == 1 && (string?)e["perm"] == "rw" && (int?)e["pasid"] == 0);
        Assert.Equal("[[\"d0\",0]]", x["flush_queue"]!["#set"]!.ToJsonString());
        var devtlb = x["devtlb"]!["#set"]!.AsArray();
        Assert.All(devtlb, e => Assert.Equal("gpu", (string?)e!["dev"]));
    }

    [Fact]
    public void Export_of_a_guest_pasid_names_the_vm_and_the_physical_pasid()
    {
        var h = Harness.For("vpasid-identity");
        var vm = h.Scope.Vms[0];
        var r = h.Do($"vpasid_alloc vm={vm.Name} vpasid=1");
        Assert.False(r.Failed, string.Join(" ", r.Rules));
        var x = StateExport.Export(h.Model, h.State);
        var table = x["vpasid_table"]!["#map"]!.AsArray();
        Assert.Single(table);
        Assert.Equal($"[\"{vm.Name}\",1]", table[0]![0]!.ToJsonString());
        int physical = (int)table[0]![1]!;
        Assert.Equal($"[[{physical},\"{vm.Name}\"]]", x["pasid_owner"]!["#map"]!.ToJsonString());
    }
}
