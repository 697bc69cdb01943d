namespace IommuVerify.Vocabulary.Model;

/// <summary>Finds a model file from what a user typed: a path, or the name of a shipped model.</summary>
/// <remarks>Shipped models live in <c>models/</c> of the repository and beside the installed tool.</remarks>
public static class ModelLocator
{
    /// <summary>The folders searched for shipped models, in order: <c>models/</c> in the current folder or
    /// the nearest folder above it that has one, then beside the installed tool.</summary>
    public static IEnumerable<string> Folders()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "models");
            if (Directory.Exists(candidate))
            {
                yield return candidate;
                break;
            }
        }

        yield return Path.Combine(AppContext.BaseDirectory, "models");
    }

    /// <summary>Resolves a path or a shipped model's name (with or without <c>.json</c>).</summary>
    public static string Resolve(string arg)
    {
        if (File.Exists(arg))
        {
            return arg;
        }

        bool looksLikeName = arg.IndexOfAny(['/', '\\']) < 0;
        if (looksLikeName)
        {
            string file = arg.EndsWith(".json", StringComparison.Ordinal) ? arg : arg + ".json";
            foreach (string dir in Folders())
            {
                string candidate = Path.Combine(dir, file);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        var shipped = Shipped().Select(Path.GetFileNameWithoutExtension).Distinct().Order().ToList();
        throw new InputError(arg, shipped.Count == 0
            ? "no such model file"
            : $"no such model file or shipped model; shipped models: {string.Join(", ", shipped)}");
    }

    /// <summary>Loads a model named by path or shipped name.</summary>
    public static ModelFile Load(string arg) => ModelLoader.Load(Resolve(arg));

    /// <summary>Every shipped model file found.</summary>
    public static IEnumerable<string> Shipped() =>
        Folders().Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "*.json"));
}
