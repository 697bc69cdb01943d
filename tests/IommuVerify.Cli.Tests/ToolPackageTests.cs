using System.Diagnostics;
using IommuVerify.Testing;
using Xunit;

namespace IommuVerify.Cli.Tests;

/// <summary>The README's install steps: pack the tool, install it into a folder, run it from elsewhere.</summary>
public sealed class ToolPackageTests
{
    private static (int Code, string Output) Run(string file, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (p.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    [Fact]
    public void The_packed_tool_installs_and_runs_shipped_models_from_any_folder()
    {
        string work = Path.Combine(Path.GetTempPath(), "iommuverify-tool-" + Environment.ProcessId);
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        string feed = Path.Combine(work, "feed"), tools = Path.Combine(work, "tools"), elsewhere = Path.Combine(work, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        try
        {
            var pack = Run("dotnet", RepoPaths.Root, "pack", RepoPaths.PathOf("src", "IommuVerify.Cli", "IommuVerify.Cli.csproj"), "-c", "Release", "-o", feed, "-v", "q", "-nologo");
            Assert.True(pack.Code == 0, pack.Output);
            var install = Run("dotnet", work, "tool", "install", "--tool-path", tools, "--add-source", feed, "IommuVerify.Tool");
            Assert.True(install.Code == 0, install.Output);
            string exe = Path.Combine(tools, "iommuverify");
            var list = Run(exe, elsewhere, "models", "list");
            Assert.True(list.Code == 0, list.Output);
            Assert.Contains("intel-vtd", list.Output, StringComparison.Ordinal);
            var check = Run(exe, elsewhere, "check", "amd-v2-per-domain-did", "--scope", "small", "--out", Path.Combine(elsewhere, "cx"));
            Assert.True(check.Code == 1, check.Output);
            Assert.Contains("INV-TLB-COH", check.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(elsewhere, "cx", "amd-v2-per-domain-did-inv-tlb-coh.trace")), check.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
