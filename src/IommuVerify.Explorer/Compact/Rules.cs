using System.Collections.Immutable;

namespace IommuVerify.Explorer.Compact;

/// <summary>The spec rule IDs an operation can exercise, as small numbers; the name reads as the ID
/// (<c>PasidAttach12</c> is PASID-ATTACH-12).</summary>
internal enum Rule
{
    DomAlloc1,
    DomAlloc2,
    DomAlloc3,
    DomAlloc4,
    DomAlloc5,
    DomAlloc6,
    DomAlloc7,
    DomAlloc8,
    DomFree1,
    DomFree2,
    DomFree3,
    DomFree4,
    Inval1,
    Inval2,
    Map1,
    Map2,
    Map3,
    Map4,
    Map5,
    Map6,
    PasidAttach1,
    PasidAttach2,
    PasidAttach3,
    PasidAttach4,
    PasidAttach5,
    PasidAttach6,
    PasidAttach7,
    PasidAttach8,
    PasidAttach9,
    PasidAttach10,
    PasidAttach11,
    PasidAttach12,
    PasidDetach1,
    PasidDetach2,
    PasidDetach3,
    PasidDetach4,
    PasidReplace1,
    PasidReplace2,
    PasidReplace3,
    PasidReplace4,
    RidAttach1,
    RidAttach2,
    RidAttach3,
    RidAttach4,
    RidAttach5,
    RidAttach6,
    RidDetach1,
    RidDetach2,
    RidReplace1,
    RidReplace2,
    RidReplace3,
    SvaBind1,
    SvaBind2,
    SvaBind3,
    SvaBind4,
    SvaBind5,
    SvaBind6,
    SvaBind7,
    SvaBind8,
    SvaUnbind1,
    SvaUnbind2,
    SvaUnbind3,
    SvaUnbind4,
    SvaUnbind5,
    Unmap1,
    Unmap2,
    Unmap3,
    Unmap4,
    Unmap5,
    VpasidAlloc1,
    VpasidAlloc2,
    VpasidAlloc3,
    VpasidAlloc4,
    VpasidAlloc5,
    VpasidAlloc6,
    VpasidAlloc7,
    VpasidAttach1,
    VpasidAttach2,
    VpasidAttach3,
    VpasidAttach4,
    VpasidAttach5,
    VpasidAttach6,
    VpasidFree1,
    VpasidFree2,
    VpasidFree3,
    VpasidFree4,
    Xlate1,
    Xlate2,
    Xlate3,
    Xlate4,
    Xlate5,
    Xlate6,
    Xlate7,
    Xlate8,
    Xlate9,
}

/// <summary>A set of <see cref="Rule"/>s in two words: what one or many transitions exercised.</summary>
internal struct RuleMask
{
    private ulong _lo;
    private ulong _hi;

    /// <summary>True when no rule is in the set.</summary>
    public readonly bool IsEmpty => (_lo | _hi) == 0;

    /// <summary>Adds a rule.</summary>
    public void Add(Rule r)
    {
        int i = (int)r;
        if (i < 64)
        {
            _lo |= 1UL << i;
        }
        else
        {
            _hi |= 1UL << (i - 64);
        }
    }

    /// <summary>Adds every rule of another set.</summary>
    public void UnionWith(in RuleMask other)
    {
        _lo |= other._lo;
        _hi |= other._hi;
    }

    /// <summary>Empties the set.</summary>
    public void Clear() => (_lo, _hi) = (0, 0);

    /// <summary>The rule IDs in the set, in <see cref="Rule"/> order.</summary>
    public readonly ImmutableArray<string> Ids()
    {
        var b = ImmutableArray.CreateBuilder<string>();
        for (int i = 0; i < RuleIds.Count; i++)
        {
            if (((i < 64 ? _lo >> i : _hi >> (i - 64)) & 1) != 0)
            {
                b.Add(RuleIds.Of((Rule)i));
            }
        }

        return b.ToImmutable();
    }
}

/// <summary>The spec spelling of each <see cref="Rule"/>.</summary>
internal static class RuleIds
{
    private static readonly string[] Names = [.. Enum.GetValues<Rule>().Select(Spell)];

    /// <summary>The number of rules.</summary>
    public static int Count => Names.Length;

    /// <summary>The spec ID of a rule, e.g. PASID-ATTACH-12.</summary>
    public static string Of(Rule r) => Names[(int)r];

    /// <summary>Spells an enum name as a rule ID: a hyphen before each capital after the first and before the number.</summary>
    private static string Spell(Rule r)
    {
        string n = r.ToString();
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < n.Length; i++)
        {
            char c = n[i];
            bool boundary = i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(n[i - 1])));
            if (boundary)
            {
                sb.Append('-');
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }
}
