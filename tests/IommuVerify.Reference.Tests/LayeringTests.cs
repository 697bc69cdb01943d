using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>Each project references only earlier stages: Vocabulary &lt; Reference &lt; {Engine, Explorer, Smt, Conformance, Reporting} &lt; Cli.</summary>
public sealed class LayeringTests
{
    private static readonly string[] Stage2 = ["IommuVerify.Engine", "IommuVerify.Explorer", "IommuVerify.Smt", "IommuVerify.Conformance", "IommuVerify.Reporting"];

    private static readonly object BuildLock = new();

    /// <summary>The assembly names each project may reference, among the project's own assemblies.</summary>
    public static TheoryData<string, string[]> Allowed() => new()
    {
        { "IommuVerify.Vocabulary", [] },
        { "IommuVerify.Reference", ["IommuVerify.Vocabulary"] },
        { "IommuVerify.Engine", ["IommuVerify.Vocabulary", "IommuVerify.Reference"] },
        { "IommuVerify.Explorer", ["IommuVerify.Vocabulary", "IommuVerify.Reference"] },
        { "IommuVerify.Smt", ["IommuVerify.Vocabulary", "IommuVerify.Reference"] },
        { "IommuVerify.Conformance", ["IommuVerify.Vocabulary", "IommuVerify.Reference"] },
        { "IommuVerify.Reporting", ["IommuVerify.Vocabulary", "IommuVerify.Reference"] },
        { "iommuverify", ["IommuVerify.Vocabulary", "IommuVerify.Reference", .. Stage2] },
    };

    /// <summary>The CLI's build output holds every src assembly; built on demand if the solution build has not run.</summary>
    private static string BinDir()
    {
        string config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string dir = Path.Combine(Harness.Root, "src", "IommuVerify.Cli", "bin", config, "net10.0");
        lock (BuildLock)
        {
            if (!File.Exists(Path.Combine(dir, "iommuverify.dll")))
            {
                var psi = new ProcessStartInfo("dotnet", ["build", Path.Combine(Harness.Root, "src", "IommuVerify.Cli", "IommuVerify.Cli.csproj"), "-c", config, "-v", "q"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                using var p = Process.Start(psi)!;
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
            }
        }

        return dir;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProjectReferencesOnlyEarlierStages(string assembly, string[] allowed)
    {
        var context = new AssemblyLoadContext("layering-" + assembly, isCollectible: true);
        try
        {
            var asm = context.LoadFromAssemblyPath(Path.Combine(BinDir(), assembly + ".dll"));
            var own = asm.GetReferencedAssemblies()
                .Select(a => a.Name!)
                .Where(n => n.StartsWith("IommuVerify", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            var bad = own.Except(allowed).ToList();
            Assert.True(bad.Count == 0, $"{assembly} references later or sibling stages: {string.Join(", ", bad)}");
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void TheReferenceModelSeesOnlyTheVocabulary()
    {
        var refs = typeof(ReferenceModel).Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("IommuVerify", StringComparison.Ordinal)).ToList();
        Assert.Equal(["IommuVerify.Vocabulary"], refs);
        Assert.Equal("IommuVerify.Reference", typeof(ReferenceModel).Assembly.GetName().Name);
        Assert.NotNull(typeof(Vocabulary.InputError).Assembly.GetName().Name);
        _ = Assembly.GetExecutingAssembly();
    }
}
