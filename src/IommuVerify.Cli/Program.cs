using System.CommandLine;
using IommuVerify.Cli;
using IommuVerify.Cli.Commands;
using IommuVerify.Vocabulary;

var root = new RootCommand("IommuVerify: model checker and conformance suite for IOMMU domain and PASID semantics");
root.Subcommands.Add(ConformCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
foreach (var extra in CommandRegistry.Extra())
{
    root.Subcommands.Add(extra);
}

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var e in parsed.Errors)
    {
        Console.Error.WriteLine("iommuverify: " + e.Message);
    }

    Console.Error.WriteLine("Run 'iommuverify --help' for usage.");
    return ExitCodes.InputError;
}

try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (InputError e)
{
    Console.Error.WriteLine("iommuverify: " + e.Render());
    return ExitCodes.InputError;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"iommuverify: internal error ({e.GetType().Name}): {e.Message}");
    return ExitCodes.Internal;
}
