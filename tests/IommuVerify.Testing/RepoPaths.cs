namespace IommuVerify.Testing;

/// <summary>Paths in the repository, found by walking up from the test assembly to IommuVerify.sln.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "IommuVerify.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("IommuVerify.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The conformance suite folder.</summary>
    public static string Conformance => PathOf("tests", "conformance");

    /// <summary>The models folder.</summary>
    public static string Models => PathOf("models");

    /// <summary>Every model file, sorted.</summary>
    public static IEnumerable<string> ModelFiles => Directory.GetFiles(Models, "*.json").Order(StringComparer.Ordinal);

    /// <summary>A shipped model file by name.</summary>
    public static string Model(string name) => PathOf("models", name + ".json");

    /// <summary>Every trace file (*.trace, *.itf.json) under the conformance folder, sorted.</summary>
    public static IReadOnlyList<string> TraceFiles() =>
        Directory.EnumerateFiles(Conformance, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".trace", StringComparison.Ordinal) || f.EndsWith(".itf.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The build configuration of the running tests (Debug or Release), from bin/CONFIG/TFM/.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
