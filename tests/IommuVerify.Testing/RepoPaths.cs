namespace IommuVerify.Testing;

/// <summary>Finds the repository's folders from a test's output folder.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding IommuVerify.sln.</summary>
    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "IommuVerify.sln")))
                {
                    return d.FullName;
                }
            }

            throw new DirectoryNotFoundException("IommuVerify.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The models folder.</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>Every model file, sorted.</summary>
    public static IEnumerable<string> ModelFiles => Directory.GetFiles(Models, "*.json").Order(StringComparer.Ordinal);
}
