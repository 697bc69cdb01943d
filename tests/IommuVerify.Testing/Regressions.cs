using System.Text;

namespace IommuVerify.Testing;

/// <summary>The regression folder: every failing property value, saved as a trace so the normal test run replays it.</summary>
/// <remarks>The folder is <c>tests/conformance/regressions/</c>; <c>IOMMUVERIFY_REGRESSIONS_DIR</c> moves it (the mutation gate
/// points it at a scratch folder, since a mutant's failures are not regressions), and the value <c>off</c> turns saving off.</remarks>
public static class Regressions
{
    /// <summary>The variable that moves or turns off the folder.</summary>
    public const string DirectoryVariable = "IOMMUVERIFY_REGRESSIONS_DIR";

    /// <summary>The folder failures are saved to, or null when saving is off.</summary>
    public static string? Directory => Environment.GetEnvironmentVariable(DirectoryVariable) switch
    {
        null or "" => Shipped,
        "off" => null,
        var d => d,
    };

    /// <summary>The folder in the repository.</summary>
    public static string Shipped => RepoPaths.PathOf("tests", "conformance", "regressions");

    /// <summary>The file name for a property's failure at a seed: the property name made safe, then the seed.</summary>
    public static string FileName(string property, ulong seed)
    {
        var sb = new StringBuilder();
        foreach (char c in property)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? char.ToLowerInvariant(c) : '-');
        }

        return $"{sb}-seed{seed}.trace";
    }

    /// <summary>Saves <paramref name="trace"/> unless a file for the same property and seed is there already
    /// (the same seed gives the same failure). Returns the file's path, or null when saving is off.</summary>
    public static string? Save(string property, ulong seed, string trace, string? directory = null)
    {
        directory ??= Directory;
        if (directory is null)
        {
            return null;
        }

        System.IO.Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName(property, seed));
        if (!File.Exists(path))
        {
            string header = $"# Saved by the property '{property}' when it failed; replay the search with {PropertyRunner.SeedVariable}={seed} {PropertyRunner.IterationsVariable}=1.\n";
            File.WriteAllText(path, header + Relocate(trace, directory));
        }

        return path;
    }

    /// <summary>Rewrites a relative <c>model</c> line (relative to the repository root, as the property renders it) so it
    /// is relative to <paramref name="directory"/>, where trace files look for their model.</summary>
    public static string Relocate(string trace, string directory)
    {
        var lines = trace.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("model ", StringComparison.Ordinal) && lines[i][6..].Trim() is { } model && !Path.IsPathRooted(model))
            {
                string full = Path.GetFullPath(Path.Combine(RepoPaths.Root, model));
                lines[i] = "model " + Path.GetRelativePath(directory, full).Replace(Path.DirectorySeparatorChar, '/');
                break;
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Every saved trace in <paramref name="directory"/> (the shipped folder by default), sorted.</summary>
    public static IReadOnlyList<string> Files(string? directory = null)
    {
        directory ??= Shipped;
        return System.IO.Directory.Exists(directory)
            ? [.. System.IO.Directory.GetFiles(directory, "*.trace").Order(StringComparer.Ordinal)]
            : [];
    }
}
