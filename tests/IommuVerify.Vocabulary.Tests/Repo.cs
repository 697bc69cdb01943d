namespace IommuVerify.Vocabulary.Tests;

/// <summary>Paths in the repository, found by walking up from the test assembly to IommuVerify.sln.</summary>
internal static class Repo
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

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Conformance => PathOf("tests", "conformance");

    public static IEnumerable<string> TraceFiles() =>
        Directory.EnumerateFiles(Conformance, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".trace", StringComparison.Ordinal) || f.EndsWith(".itf.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
