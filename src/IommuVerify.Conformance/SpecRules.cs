using System.Collections.Immutable;
using IommuVerify.Vocabulary;

namespace IommuVerify.Conformance;

/// <summary>The rule IDs the spec defines, read from spec/rules.txt (one ID, a tab, a summary per line).</summary>
public static class SpecRules
{
    /// <summary>Reads the rule list.</summary>
    public static ImmutableSortedSet<string> Load(string rulesFile)
    {
        if (!File.Exists(rulesFile))
        {
            throw new InputError(rulesFile, "no such rule list");
        }

        var b = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        int n = 0;
        foreach (string line in File.ReadLines(rulesFile))
        {
            n++;
            string t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            int tab = t.IndexOfAny(['\t', ' ']);
            b.Add(tab < 0 ? t : t[..tab]);
        }

        return b.ToImmutable();
    }

    /// <summary>Finds spec/rules.txt by walking up from a folder.</summary>
    public static string? Find(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            string f = Path.Combine(d.FullName, "spec", "rules.txt");
            if (File.Exists(f))
            {
                return f;
            }
        }

        return null;
    }
}
