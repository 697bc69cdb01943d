using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer;

/// <summary>The explicit-state checker's entry point: <c>iommuverify check</c> as a library call.</summary>
public static class ModelChecker
{
    /// <summary>Explores the reachable states of <paramref name="model"/>'s scope <paramref name="scope"/> and checks every invariant in each.</summary>
    public static CheckResult Check(ModelFile model, string scope, CheckOptions? options = null)
    {
        var search = new Search(model, scope, options ?? new CheckOptions());
        return search.Run();
    }
}
