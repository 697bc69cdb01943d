using IommuVerify.Conformance;
using IommuVerify.Conformance.Protocol;
using IommuVerify.Reference;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Implementations;

namespace IommuVerify.Cli.Commands;

/// <summary>Shared parsing of implementation names and rule lists for the commands.</summary>
public static class Inputs
{
    /// <summary>Extra implementations registered by later stages (the engine), by name.</summary>
    public static readonly Dictionary<string, Func<IIommuImplementation>> Implementations = new(StringComparer.Ordinal)
    {
        ["reference"] = () => new ReferenceImplementation(),
    };

    /// <summary>Makes the implementation an --impl value names.</summary>
    public static IIommuImplementation Implementation(string spec, double stepTimeoutSeconds)
    {
        if (spec.StartsWith("exec:", StringComparison.Ordinal))
        {
            string cmd = spec["exec:".Length..].Trim();
            if (cmd.Length == 0)
            {
                throw new InputError("--impl", "exec: needs a command, e.g. --impl exec:\"./my-iommu\"");
            }

            return new ExecImplementation(cmd, TimeSpan.FromSeconds(stepTimeoutSeconds));
        }

        EngineRegistration.Register();
        return Implementations.TryGetValue(spec, out var make)
            ? make()
            : throw new InputError("--impl", $"unknown implementation \"{spec}\"; expected one of: {string.Join(", ", Implementations.Keys)}, exec:\"COMMAND\"");
    }

    /// <summary>The spec's rule list when spec/rules.txt is found from the current folder or the tool's folder.</summary>
    public static System.Collections.Immutable.ImmutableSortedSet<string>? SpecRuleList()
    {
        string? f = SpecRules.Find(Directory.GetCurrentDirectory()) ?? SpecRules.Find(AppContext.BaseDirectory);
        return f is null ? null : SpecRules.Load(f);
    }
}

/// <summary>Registers the engine as an implementation (filled in by the engine stage).</summary>
public static partial class EngineRegistration
{
    /// <summary>Adds the engine to <see cref="Inputs.Implementations"/> when it is built in.</summary>
    public static void Register() => RegisterEngine(Inputs.Implementations);

    static partial void RegisterEngine(Dictionary<string, Func<IIommuImplementation>> table);
}
