using System.Diagnostics;
using IommuVerify.Testing;

namespace IommuVerify.Cli.Tests;

/// <summary>Runs the built command-line tool as a process: <c>dotnet iommuverify.dll ARGS</c>.</summary>
internal static class Cli
{
    public static string Root => RepoPaths.Root;

    public static string PathOf(params string[] parts) => RepoPaths.PathOf(parts);

    /// <summary>The tool's dll: the CLI project's own build output (this project references it, so it is built first).</summary>
    public static string Dll
    {
        get
        {
            string config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            string dll = PathOf("src", "IommuVerify.Cli", "bin", config, "net10.0", "iommuverify.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/IommuVerify.Cli first", dll);
        }
    }

    public sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public bool HasStackTrace => (Stdout + "\n" + Stderr).Split('\n').Any(l => l.StartsWith("   at ", StringComparison.Ordinal));

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Run ExecIn(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("iommuverify " + string.Join(' ', args));
        }

        return new Run(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Run Exec(params string[] args) => ExecIn(Root, args);
}
