using System.Diagnostics;

namespace IommuVerify.Conformance.Tests;

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

    private static readonly object BuildLock = new();

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Conformance => PathOf("tests", "conformance");

    /// <summary>Every trace file under tests/conformance, sorted.</summary>
    public static IReadOnlyList<string> TraceFiles() => IommuVerify.Conformance.TraceFiles.Expand([Conformance]);

    /// <summary>The build configuration of the running tests (Debug or Release), from bin/CONFIG/TFM/.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The command-line tool's dll, built on demand when the solution build has not made it yet.</summary>
    public static string CliDll()
    {
        string dll = PathOf("src", "IommuVerify.Cli", "bin", Configuration, "net10.0", "iommuverify.dll");
        lock (BuildLock)
        {
            if (!File.Exists(dll))
            {
                var psi = new ProcessStartInfo("dotnet", ["build", PathOf("src", "IommuVerify.Cli", "IommuVerify.Cli.csproj"), "-c", Configuration, "-v", "q"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                using var p = Process.Start(psi)!;
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
            }
        }

        return File.Exists(dll) ? dll : throw new FileNotFoundException("could not build the CLI", dll);
    }
}
