using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer;

/// <summary>One worker's coverage counts, merged into the search's totals at the end of a level.</summary>
public sealed class CoverageCounter
{
    private readonly long[] _perOp = new long[Enum.GetValues<OpCode>().Length];
    private readonly long[] _perErrno = new long[Enum.GetValues<Errno>().Length];
    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);

    /// <summary>Transitions counted so far.</summary>
    public long Transitions { get; private set; }

    /// <summary>Counts one transition.</summary>
    public void Count(Op op, StepResult r)
    {
        Transitions++;
        _perOp[(int)op.Code]++;
        if (r.Failed)
        {
            _perErrno[(int)r.Primary.Errno]++;
        }

        foreach (string rule in r.Rules)
        {
            _rules.Add(rule);
        }
    }

    /// <summary>Counts transitions of the compact search: per operation index, per errno, and the rules they exercised.</summary>
    internal void CountCompact(OpCode[] codes, long[] perOpIndex, long[] perErrno, in Compact.RuleMask rules)
    {
        for (int k = 0; k < codes.Length; k++)
        {
            Transitions += perOpIndex[k];
            _perOp[(int)codes[k]] += perOpIndex[k];
        }

        for (int e = 0; e < perErrno.Length; e++)
        {
            _perErrno[e] += perErrno[e];
        }

        _rules.UnionWith(rules.Ids());
    }

    /// <summary>Adds another counter's counts into this one and clears it.</summary>
    public void MergeFrom(CoverageCounter other)
    {
        Transitions += other.Transitions;
        for (int i = 0; i < _perOp.Length; i++)
        {
            _perOp[i] += other._perOp[i];
        }

        for (int i = 0; i < _perErrno.Length; i++)
        {
            _perErrno[i] += other._perErrno[i];
        }

        _rules.UnionWith(other._rules);
        other.Transitions = 0;
        Array.Clear(other._perOp);
        Array.Clear(other._perErrno);
        other._rules.Clear();
    }

    /// <summary>The counts as a result record; invariant IDs in <paramref name="specRules"/> are not rules and are left out.</summary>
    public Coverage ToCoverage(IReadOnlySet<string>? specRules)
    {
        var ops = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (OpCode c in Enum.GetValues<OpCode>())
        {
            if (_perOp[(int)c] > 0)
            {
                ops[OpText.Name(c)] = _perOp[(int)c];
            }
        }

        var errnos = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (Errno e in Enum.GetValues<Errno>())
        {
            if (_perErrno[(int)e] > 0)
            {
                errnos[e.ToString()] = _perErrno[(int)e];
            }
        }

        var exercised = _rules.ToImmutableSortedSet(StringComparer.Ordinal);
        var never = specRules is null
            ? ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal)
            : specRules.Where(r => !exercised.Contains(r) && !r.StartsWith("INV-", StringComparison.Ordinal)).ToImmutableSortedSet(StringComparer.Ordinal);
        return new Coverage(ops.ToImmutable(), errnos.ToImmutable(), exercised, never);
    }
}
