using IommuVerify.Smt.Checking;
using Xunit;

namespace IommuVerify.Smt.Tests;

/// <summary>The SMT-LIB2 export of one small model's first BMC depth is pinned; IOMMUVERIFY_REFRESH_GOLDEN=1 rewrites it.</summary>
public sealed class GoldenTests
{
    private static string GoldenDir => Path.Combine(Models.Root, "tests", "IommuVerify.Smt.Tests", "golden");

    [Fact]
    public void ExportedQueriesMatchGoldenFiles()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "iommuverify-golden-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The golden files pin the invariant encoding; the model's lemmas (their own queries) are left out.
            BmcChecker.Run(Models.Load("vpasid-identity") with { Lemmas = [] }, "conformance", new BmcOptions(1, TimeSpan.FromSeconds(30), Smt2Out: outDir));
            var produced = Directory.GetFiles(outDir, "*.smt2").Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(produced);
            if (Environment.GetEnvironmentVariable("IOMMUVERIFY_REFRESH_GOLDEN") == "1")
            {
                Directory.CreateDirectory(GoldenDir);
                foreach (var f in Directory.GetFiles(GoldenDir, "*.smt2"))
                {
                    File.Delete(f);
                }

                foreach (var f in produced)
                {
                    File.Copy(f, Path.Combine(GoldenDir, Path.GetFileName(f)));
                }
            }

            var golden = Directory.GetFiles(GoldenDir, "*.smt2").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(golden, produced.Select(Path.GetFileName).ToList());
            foreach (var f in produced)
            {
                string want = File.ReadAllText(Path.Combine(GoldenDir, Path.GetFileName(f)));
                Assert.True(want == File.ReadAllText(f), $"{Path.GetFileName(f)} differs from its golden file; if the encoding change is intended, rerun with IOMMUVERIFY_REFRESH_GOLDEN=1");
            }
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, true);
            }
        }
    }
}
