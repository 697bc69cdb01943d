using System.CommandLine;

namespace IommuVerify.Cli;

/// <summary>Commands of the later stages register here, each stage from its own file.</summary>
/// <remarks>A stage implements its partial method (engine: fuzz, bench; explorer: check, matrix; SMT: bmc, prove).</remarks>
public static partial class CommandRegistry
{
    /// <summary>The extra commands, in help order.</summary>
    public static IEnumerable<Command> Extra()
    {
        var list = new List<Command>();
        AddExplorerCommands(list);
        AddSmtCommands(list);
        AddEngineCommands(list);
        return list;
    }

    static partial void AddExplorerCommands(List<Command> list);

    static partial void AddSmtCommands(List<Command> list);

    static partial void AddEngineCommands(List<Command> list);
}
