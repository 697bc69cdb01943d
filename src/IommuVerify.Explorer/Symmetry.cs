using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer;

/// <summary>One permutation of the interchangeable objects: IOVA pages, physical pages and mms.</summary>
/// <param name="Iova">New index of each IOVA page.</param>
/// <param name="IovaInverse">Old index of each new IOVA page.</param>
/// <param name="Pa">New index of each physical page.</param>
/// <param name="Mm">New index of each mm.</param>
/// <param name="MmInverse">Old index of each new mm.</param>
public sealed record Permutation(
    ImmutableArray<int> Iova, ImmutableArray<int> IovaInverse, ImmutableArray<int> Pa, ImmutableArray<int> Mm, ImmutableArray<int> MmInverse);

/// <summary>The symmetry group a scope admits, used to canonicalize fingerprints (min over the orbit).</summary>
/// <remarks>Sound subset only, as argued from the reference model's code:
/// <list type="bullet">
/// <item>mms: every mm has the same operations and the PASID allocator does not look at the mm's index, so all
/// permutations of mms are used.</item>
/// <item>pages: the identity domain translates IOVA i to physical page i mod PhysPages, which ties the two. When
/// attach_rid and replace_rid are out of the scope's operations no context can reach the identity domain and IOVA
/// pages and physical pages are permuted independently; otherwise, only when IovaPages equals PhysPages, by one
/// permutation applied to both (which keeps i mod PhysPages). Otherwise pages are not permuted.</item>
/// <item>Domain slots (allocated lowest-first), PASIDs (allocated lowest-first), devices, groups and VMs are never permuted.</item>
/// </list></remarks>
public sealed class SymmetryGroup
{
    private const int MaxPermuted = 5;

    private SymmetryGroup(ImmutableArray<Permutation> elements, string description)
    {
        Elements = elements;
        Description = description;
    }

    /// <summary>The group elements, the identity first.</summary>
    public ImmutableArray<Permutation> Elements { get; }

    /// <summary>What is permuted, in words.</summary>
    public string Description { get; }

    /// <summary>The trivial group (symmetry off).</summary>
    public static SymmetryGroup Trivial(Scope scope)
    {
        var i = Identity(scope.IovaPages);
        var m = Identity(scope.Mms.Length);
        return new SymmetryGroup([new Permutation(i, i, Identity(scope.PhysPages), m, m)], "none");
    }

    /// <summary>The sound symmetry group of a scope.</summary>
    public static SymmetryGroup For(Scope scope)
    {
        int iovas = scope.IovaPages, pas = scope.PhysPages, mms = scope.Mms.Length;
        bool identityUnreachable = !scope.Ops.Contains(OpCode.AttachRid) && !scope.Ops.Contains(OpCode.ReplaceRid);
        var pagePairs = new List<(int[] Iova, int[] Pa)>();
        string pages;
        if (identityUnreachable && iovas <= MaxPermuted && pas <= MaxPermuted)
        {
            foreach (var a in Permutations(iovas))
            {
                foreach (var b in Permutations(pas))
                {
                    pagePairs.Add((a, b));
                }
            }

            pages = $"iova pages ({iovas}!) x physical pages ({pas}!)";
        }
        else if (iovas == pas && iovas <= MaxPermuted)
        {
            foreach (var a in Permutations(iovas))
            {
                pagePairs.Add((a, a));
            }

            pages = $"iova and physical pages jointly ({iovas}!)";
        }
        else
        {
            pagePairs.Add((Identity(iovas).ToArray(), Identity(pas).ToArray()));
            pages = "pages not permuted";
        }

        var mmPerms = mms <= MaxPermuted ? Permutations(mms).ToList() : [Identity(mms).ToArray()];
        var elements = ImmutableArray.CreateBuilder<Permutation>();
        foreach (var (iv, pa) in pagePairs)
        {
            foreach (var mm in mmPerms)
            {
                elements.Add(new Permutation([.. iv], Inverse(iv), [.. pa], [.. mm], Inverse(mm)));
            }
        }

        string mmText = mms > 1 && mms <= MaxPermuted ? $"mms ({mms}!)" : "mms not permuted";
        var all = elements.ToImmutable();
        return new SymmetryGroup(all, all.Length == 1 ? "trivial for this scope (one IOVA/physical page pairing and one mm)" : $"{pages}; {mmText}");
    }

    private static ImmutableArray<int> Identity(int n) => Enumerable.Range(0, n).ToImmutableArray();

    private static ImmutableArray<int> Inverse(int[] p)
    {
        var inv = new int[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            inv[p[i]] = i;
        }

        return [.. inv];
    }

    /// <summary>All permutations of 0..n-1, the identity first.</summary>
    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        yield return (int[])a.Clone();
        while (true)
        {
            int i = n - 2;
            while (i >= 0 && a[i] >= a[i + 1])
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            int j = n - 1;
            while (a[j] <= a[i])
            {
                j--;
            }

            (a[i], a[j]) = (a[j], a[i]);
            Array.Reverse(a, i + 1, n - i - 1);
            yield return (int[])a.Clone();
        }
    }
}
