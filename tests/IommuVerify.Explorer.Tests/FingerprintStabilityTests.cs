using System.Globalization;
using System.Text;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Tests;

/// <summary>Fingerprint values are part of the shard file format: <c>merge</c> takes the union of fingerprints written
/// by separate runs, possibly of different builds, so a build that hashed states differently would merge two sets
/// that do not describe the same states and report a wrong count without any error. The values of a fixed set of
/// states (with and without symmetry) are pinned in <c>golden/fingerprints.txt</c>; changing the hash means changing
/// <see cref="ShardFile.Format"/> too, then rerunning with IOMMUVERIFY_REFRESH_GOLDEN=1.</summary>
public sealed class FingerprintStabilityTests
{
    private static string Golden => Path.Combine(Path.GetDirectoryName(TestModels.Dir)!, "tests", "IommuVerify.Explorer.Tests", "golden", "fingerprints.txt");

    private static IEnumerable<(string Label, Scope Scope, ReferenceModel Model)> Scopes()
    {
        foreach (var (name, change) in new (string, Func<Scope, Scope>)[]
        {
            ("intel-vtd", s => s),
            ("intel-vtd", s => s with { IovaPages = 2, PhysPages = 2 }),
            ("arm-smmuv3", s => s),
            ("vpasid-allocated-mixed", s => s),
            ("intel-flush-queue", s => s with { IovaPages = 2 }),
        })
        {
            var file = TestModels.WithSmall(TestModels.Load(name), change);
            var model = ReferenceModel.For(file, "small");
            yield return ($"{name} iova={model.Scope.IovaPages} pa={model.Scope.PhysPages}", model.Scope, model);
        }
    }

    private static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("format ").Append(ShardFile.Format).Append('\n');
        foreach (var (label, scope, model) in Scopes())
        {
            var sym = new Fingerprinter(SymmetryGroup.For(scope), scope.IovaPages, scope.Mms.Length);
            var plain = new Fingerprinter(SymmetryGroup.Trivial(scope), scope.IovaPages, scope.Mms.Length);
            var ops = OpSpace.Enumerate(scope);
            var rng = new Random(label.Length);
            var s = model.Initial();
            sb.Append("# ").Append(label).Append(", group of ").Append(sym.GroupSize).Append('\n');
            for (int i = 0; i < 12; i++)
            {
                sb.Append(plain.Of(s).ToString("x16", CultureInfo.InvariantCulture)).Append(' ')
                  .Append(sym.Of(s).ToString("x16", CultureInfo.InvariantCulture)).Append('\n');

                // The next state: the first of a few random operations that changes the state.
                for (int tries = 0; tries < 20; tries++)
                {
                    var next = model.Apply(s, ops[rng.Next(ops.Length)]).Next;
                    if (!next.Equals(s))
                    {
                        s = next;
                        break;
                    }
                }
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Fingerprints_of_fixed_states_match_the_pinned_values()
    {
        string text = Render();
        if (Environment.GetEnvironmentVariable("IOMMUVERIFY_REFRESH_GOLDEN") == "1")
        {
            File.WriteAllText(Golden, text);
        }

        Assert.True(File.Exists(Golden), $"{Golden} is missing; create it with IOMMUVERIFY_REFRESH_GOLDEN=1");
        var want = File.ReadAllText(Golden).Split('\n');
        var got = text.Split('\n');
        for (int i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            string w = i < want.Length ? want[i] : "<end>", g = i < got.Length ? got[i] : "<end>";
            Assert.True(w == g, $"line {i + 1} of {Golden}: pinned \"{w}\", now \"{g}\". Fingerprints are in shard files: a new hash needs a new shard format tag.");
        }
    }
}
