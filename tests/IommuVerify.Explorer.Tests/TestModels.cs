using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Tests;

/// <summary>Finds and loads the repository's model files.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> ModelsDir = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "models");
            if (Directory.Exists(p) && File.Exists(Path.Combine(d.FullName, "IommuVerify.sln")))
            {
                return p;
            }
        }

        throw new DirectoryNotFoundException("models/ not found above " + AppContext.BaseDirectory);
    });

    public static string Dir => ModelsDir.Value;

    public static ImmutableArray<string> Names =>
        [.. Directory.GetFiles(Dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    public static ModelFile Load(string name) => ModelLoader.Load(Path.Combine(Dir, name + ".json"));

    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

    /// <summary>The model with its "small" scope replaced by <paramref name="change"/>(small), under the name "small".</summary>
    public static ModelFile WithSmall(ModelFile m, Func<Scope, Scope> change) =>
        m with { Scopes = m.Scopes.SetItem("small", change(m.Scopes["small"])) };
}
