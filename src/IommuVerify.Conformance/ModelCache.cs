using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Conformance;

/// <summary>Loads each model file once per run.</summary>
public sealed class ModelCache
{
    private readonly Dictionary<string, ModelFile> _models = new(StringComparer.Ordinal);

    /// <summary>Loads (or returns the already loaded) model at a full path.</summary>
    public ModelFile Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!_models.TryGetValue(full, out var m))
        {
            m = ModelLoader.Load(full);
            _models[full] = m;
        }

        return m;
    }
}
