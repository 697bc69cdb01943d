using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Vocabulary.Tests;

/// <summary>Every conformance trace survives text -> Trace -> ITF JSON -> Trace, and text -> Trace -> text -> Trace.</summary>
public sealed class TraceRoundTripTests
{
    private static readonly Dictionary<string, ModelFile> Models = new(StringComparer.Ordinal);

    private static ModelFile Load(string path)
    {
        lock (Models)
        {
            if (!Models.TryGetValue(path, out var m))
            {
                m = ModelLoader.Load(path);
                Models[path] = m;
            }

            return m;
        }
    }

    public static TheoryData<string> Traces()
    {
        var data = new TheoryData<string>();
        foreach (string f in Repo.TraceFiles())
        {
            data.Add(Path.GetRelativePath(Repo.Conformance, f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void ItfJsonRoundTripGivesTheSameTrace(string relative)
    {
        string file = Path.Combine(Repo.Conformance, relative);
        var trace = TraceJson.LoadAny(file, Load);
        var scope = Load(trace.ModelPath).GetScope(trace.Scope);
        string json = TraceJson.Render(trace, scope, null);
        var back = TraceJson.Parse(Path.ChangeExtension(file, null) + ".roundtrip.itf.json", json, Load);
        Assert.True(trace.SameAs(back), $"{relative} changed on the way through ITF JSON:\n{json}");
        Assert.Equal(trace.ModelPath, back.ModelPath);
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void TextRoundTripGivesTheSameTrace(string relative)
    {
        string file = Path.Combine(Repo.Conformance, relative);
        var trace = TraceJson.LoadAny(file, Load);
        var scope = Load(trace.ModelPath).GetScope(trace.Scope);
        string text = TraceText.Render(trace, scope);
        var back = TraceText.Parse(file, text, Load);
        Assert.True(trace.SameAs(back), $"{relative} changed on the way through text:\n{text}");
    }

    [Fact]
    public void SameAsNoticesADifferentResult()
    {
        string file = Path.Combine(Repo.Conformance, "pasid-attach-busy-same-domain.trace");
        var trace = TraceJson.LoadAny(file, Load);
        var changed = TraceText.Parse(file, File.ReadAllText(file).Replace("-> EBUSY", "-> EINVAL", StringComparison.Ordinal), Load);
        Assert.False(trace.SameAs(changed));
    }
}
