using IommuVerify.Vocabulary;

namespace IommuVerify.Conformance;

/// <summary>Expands the files and folders a user names into trace files, in a stable order.</summary>
public static class TraceFiles
{
    /// <summary>True for a file name that holds a trace: <c>*.trace</c> or <c>*.itf.json</c>.</summary>
    public static bool IsTrace(string path) =>
        path.EndsWith(".trace", StringComparison.Ordinal) || path.EndsWith(".itf.json", StringComparison.Ordinal);

    /// <summary>Every trace named or found below the named folders, sorted by path.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var list = new List<string>();
        foreach (string p in paths)
        {
            if (Directory.Exists(p))
            {
                list.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(IsTrace).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                list.Add(p);
            }
            else
            {
                throw new InputError(p, "no such file or folder");
            }
        }

        return list;
    }
}
