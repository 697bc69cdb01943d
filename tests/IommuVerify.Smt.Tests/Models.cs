using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Smt.Tests;

/// <summary>Finds the repository's model files from the test's folder.</summary>
internal static class Models
{
    public static string Root
    {
        get
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "IommuVerify.sln")))
            {
                d = d.Parent;
            }

            return d?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static string PathOf(string name) => Path.Combine(Root, "models", name + ".json");

    public static ModelFile Load(string name) => ModelLoader.Load(PathOf(name));

    public static IEnumerable<string> All() =>
        Directory.GetFiles(Path.Combine(Root, "models"), "*.json").Select(Path.GetFileNameWithoutExtension).Order().Select(n => n!);

    public static IEnumerable<object[]> AllData() => All().Select(n => new object[] { n });
}
