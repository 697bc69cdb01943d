using IommuVerify.Reference.State;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>The ITF variables a state is exported as (the JSON trace form's states): every field of every live
/// domain, attachments and cache entries with their names, and nothing for free slots.</summary>
public sealed class StateExportTests
{
    private static string Json(Harness h, string variable) => StateExport.Export(h.Model, h.State)[variable]!.ToJsonString();

    [Fact]
    public void Domains_caches_and_pasid_attachments_are_exported_field_by_field()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=nic kind=paging flags=pasid");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("map domain=d0 iova=1 pa=0 perm=r");
        h.Do("attach_rid dev=nic domain=d0");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("attach_pasid dev=gpu pasid=1 domain=d0");
        h.Do("translate dev=nic pasid=0 iova=0 access=read");
        h.Do("translate dev=gpu pasid=0 iova=1 access=read");
        Assert.False(h.Do("sva_bind dev=nic mm=mm1").Failed);

        Assert.Equal(StateExport.Vars, StateExport.Export(h.Model, h.State).Select(kv => kv.Key));
        Assert.Equal(
            """{"d0":{"kind":"paging","flags":"pasid","format":"default","mm":null,"parent":null,"users":0,"ptes":{"#set":[[0,1,"rw"],[1,0,"r"]]}},"d1":{"kind":"sva","flags":"none","format":"default","mm":"mm1","parent":null,"users":1,"ptes":{"#set":[]}}}""",
            Json(h, "domains"));
        Assert.Equal("""{"#map":[[["g0",1],"d0"],[["g1",1],"d1"]]}""", Json(h, "pasid_domain"));
        Assert.Equal("""{"#set":[{"did":1,"pasid":0,"iova":0,"pa":1,"perm":"rw"},{"did":1,"pasid":0,"iova":1,"pa":0,"perm":"r"}]}""", Json(h, "iotlb"));
        Assert.Equal("""{"#set":[{"dev":"gpu","pasid":0,"iova":1,"pa":0,"perm":"r"}]}""", Json(h, "devtlb"));
    }

    [Fact]
    public void A_nested_domain_names_its_parent_and_a_freed_slot_is_not_exported()
    {
        var h = Harness.For("intel-vtd", "nesting");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("alloc_domain dev=gpu kind=paging flags=nest_parent");
        h.Do("alloc_domain dev=gpu kind=nested flags=none parent=d1");
        h.Do("free_domain domain=d0");
        Assert.Equal(
            """{"d1":{"kind":"paging","flags":"nest_parent","format":"default","mm":null,"parent":null,"users":0,"ptes":{"#set":[]}},"d2":{"kind":"nested","flags":"none","format":"default","mm":null,"parent":"d1","users":0,"ptes":{"#set":[]}}}""",
            Json(h, "domains"));
    }

    [Fact]
    public void Split_formats_export_v1_and_v2_tables_by_the_pasid_flag()
    {
        var h = Harness.For("amd-v2-per-domain-did");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        var domains = StateExport.Export(h.Model, h.State)["domains"]!;
        Assert.Equal("v1", (string?)domains["d0"]!["format"]);
        Assert.Equal("v2", (string?)domains["d1"]!["format"]);
    }
}
