using System.Diagnostics;
using IommuVerify.Testing;

namespace IommuVerify.Conformance.Tests;

/// <summary>Paths in the repository, found by walking up from the test assembly to IommuVerify.sln.</summary>
internal static class Repo
{
    private static readonly object BuildLock = new();

    public static string Root => RepoPaths.Root;

    public static string PathOf(params string[] parts) => RepoPaths.PathOf(parts);

    public static string Conformance => RepoPaths.Conformance;

    /// <summary>Every trace file under tests/conformance, sorted.</summary>
    public static IReadOnlyList<string> TraceFiles() => RepoPaths.TraceFiles();

    public static string Configuration => RepoPaths.Configuration;
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
