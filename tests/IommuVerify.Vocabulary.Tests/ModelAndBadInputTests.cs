using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Vocabulary.Tests;

/// <summary>The model loader accepts every shipped model; each malformed sample under tests/bad-inputs fails at its exact place.</summary>
public sealed class ModelAndBadInputTests
{
    public static TheoryData<string> ModelFiles()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.EnumerateFiles(Repo.PathOf("models"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelFiles))]
    public void LoaderAcceptsEveryShippedModel(string name)
    {
        var m = ModelLoader.Load(Repo.PathOf("models", name));
        Assert.Contains(ModelFile.StandardScope, m.Scopes.Keys);
        Assert.Equal(InvariantIds.All.Length, m.Expect.Count);
        Assert.Equal(Path.GetFileNameWithoutExtension(name), m.Name);
    }

    [Fact]
    public void ThereAreShippedModels() => Assert.True(ModelFiles().Count >= 10);

    /// <summary>Sample file, line, column: where the loader must point.</summary>
    public static TheoryData<string, int, int> BadInputs() => new()
    {
        { "model-bad-json-syntax.json", 19, 25 },      // the second comma of "domain_slots": 2,,
        { "model-unknown-field.json", 12, 5 },         // "flush_harder" in "policy"
        { "model-duplicate-device.json", 17, 19 },     // the second "gpu"
        { "model-missing-expect-entry.json", 24, 13 }, // the "expect" object, which lacks INV-MM-PASID
        { "model-vf-own-pasid.json", 17, 66 },         // vf0's "pasid": true
        { "trace-unknown-operation.trace", 6, 1 },     // attach_device
        { "trace-device-outside-scope.trace", 6, 16 }, // dev=gpu1
        { "trace-pasid-out-of-range.trace", 6, 28 },   // pasid=3 in a scope of 2 PASIDs
        { "trace-missing-result.trace", 6, 29 },       // the end of a step with no "-> RESULT"
        { "trace-empty-result.trace", 5, 47 },         // just after a bare "->"
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputFailsAtItsLineAndColumn(string sample, int line, int column)
    {
        string file = Repo.PathOf("tests", "bad-inputs", sample);
        Assert.True(File.Exists(file), file);
        var e = Assert.Throws<InputError>(() =>
        {
            if (sample.EndsWith(".json", StringComparison.Ordinal))
            {
                ModelLoader.Load(file);
            }
            else
            {
                TraceJson.LoadAny(file, ModelLoader.Load);
            }
        });
        Assert.Equal(file, e.File);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"{file}:{line}:{column}: ", e.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadInputSampleIsTested()
    {
        var tested = BadInputs().Select(row => (string)row[0]).ToHashSet();
        foreach (string f in Directory.EnumerateFiles(Repo.PathOf("tests", "bad-inputs")))
        {
            Assert.Contains(Path.GetFileName(f), tested);
        }
    }
}
