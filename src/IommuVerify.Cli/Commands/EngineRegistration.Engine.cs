using IommuVerify.Engine;
using IommuVerify.Vocabulary.Implementations;

namespace IommuVerify.Cli.Commands;

/// <summary>Registers the translation engine as the implementation named "engine".</summary>
public static partial class EngineRegistration
{
    static partial void RegisterEngine(Dictionary<string, Func<IIommuImplementation>> table) =>
        table["engine"] = () => new TranslationEngine();
}
