using IommuVerify.Testing;

namespace IommuVerify.Vocabulary.Tests;

/// <summary>Paths in the repository (see <see cref="RepoPaths"/>).</summary>
internal static class Repo
{
    public static string Root => RepoPaths.Root;

    public static string PathOf(params string[] parts) => RepoPaths.PathOf(parts);

    public static string Conformance => RepoPaths.Conformance;

    public static IEnumerable<string> TraceFiles() => RepoPaths.TraceFiles();
}
