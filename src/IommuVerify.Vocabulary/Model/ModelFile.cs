using System.Collections.Immutable;

namespace IommuVerify.Vocabulary.Model;

/// <summary>Whether a model file states what mainline does or what a proposal would do.</summary>
public enum ModelKind
{
    /// <summary>What the kernel does today.</summary>
    Mainline,
    /// <summary>A proposal argued about in the seeds, or a deliberately buggy policy.</summary>
    Proposal,
}

/// <summary>What an invariant is expected to do under a model's policy.</summary>
public enum Expectation
{
    /// <summary>No reachable state violates it.</summary>
    Holds,
    /// <summary>Some reachable state violates it.</summary>
    Violated,
}

/// <summary>The invariant IDs of the spec (spec/invariants.md).</summary>
public static class InvariantIds
{
    /// <summary>No SVA domain on a RID unless the policy allows it.</summary>
    public const string SvaRid = "INV-SVA-RID";
    /// <summary>PASID attachments need PASID-capable domains and devices, in range.</summary>
    public const string PasidCap = "INV-PASID-CAP";
    /// <summary>The vPASID to pPASID tables are bijections with exclusive owners.</summary>
    public const string VpasidBij = "INV-VPASID-BIJ";
    /// <summary>Translation caches agree with the page tables.</summary>
    public const string TlbCoh = "INV-TLB-COH";
    /// <summary>Attachments name live domains; freed domains are attached nowhere.</summary>
    public const string DomainLive = "INV-DOMAIN-LIVE";
    /// <summary>One PASID per mm, used by every device bound to it.</summary>
    public const string MmPasid = "INV-MM-PASID";

    /// <summary>All invariant IDs, in spec order.</summary>
    public static readonly ImmutableArray<string> All = [SvaRid, PasidCap, VpasidBij, TlbCoh, DomainLive, MmPasid];
}

/// <summary>A parsed and validated model file.</summary>
/// <param name="Path">The file it came from.</param>
/// <param name="Name">Its name.</param>
/// <param name="Description">One paragraph of what it models.</param>
/// <param name="Kind">Mainline or proposal.</param>
/// <param name="Platform">intel-vtd, amd-vi or arm-smmuv3.</param>
/// <param name="Sources">Where the policy comes from.</param>
/// <param name="Policy">The driver policy.</param>
/// <param name="Scopes">Named scopes; <c>standard</c> is always present.</param>
/// <param name="Expect">Expected outcome per invariant ID.</param>
/// <param name="Lemmas">User-supplied strengthening invariants for k-induction, as raw JSON nodes.</param>
public sealed record ModelFile(
    string Path,
    string Name,
    string Description,
    ModelKind Kind,
    string Platform,
    ImmutableArray<string> Sources,
    Policy Policy,
    ImmutableDictionary<string, Scope> Scopes,
    ImmutableDictionary<string, Expectation> Expect,
    ImmutableArray<Json.JsonNode> Lemmas)
{
    /// <summary>The scope every benchmark and later check uses by default.</summary>
    public const string StandardScope = "standard";

    /// <summary>Gets a scope by name, or throws an input error naming the choices.</summary>
    public Scope GetScope(string name) =>
        Scopes.TryGetValue(name, out var s)
            ? s
            : throw new InputError(Path, $"no scope named \"{name}\"; this model has: {string.Join(", ", Scopes.Keys.Order())}");
}
