namespace IommuVerify.Reference.State;

/// <summary>The attachment and page-table part of a state, readable from a frozen state or a draft.</summary>
/// <param name="DomKind">Per slot kind.</param>
/// <param name="DomFlags">Per slot flags.</param>
/// <param name="DomFormat">Per slot format.</param>
/// <param name="DomMm">Per slot mm.</param>
/// <param name="DomParent">Per slot parent.</param>
/// <param name="Ptes">Page tables.</param>
/// <param name="RidDomain">Per group RID domain.</param>
/// <param name="PasidDomain">Per group and PASID domain.</param>
public readonly record struct View(
    IReadOnlyList<int> DomKind,
    IReadOnlyList<int> DomFlags,
    IReadOnlyList<int> DomFormat,
    IReadOnlyList<int> DomMm,
    IReadOnlyList<int> DomParent,
    IReadOnlyList<int> Ptes,
    IReadOnlyList<int> RidDomain,
    IReadOnlyList<int> PasidDomain)
{
    /// <summary>The view of a frozen state.</summary>
    public static View Of(IommuState s) =>
        new(s.DomKind, s.DomFlags, s.DomFormat, s.DomMm, s.DomParent, s.Ptes, s.RidDomain, s.PasidDomain);

    internal static View Of(Draft d) =>
        new(d.DomKind, d.DomFlags, d.DomFormat, d.DomMm, d.DomParent, d.Ptes, d.RidDomain, d.PasidDomain);
}
