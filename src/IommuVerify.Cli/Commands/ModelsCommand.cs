using System.CommandLine;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Cli.Commands;

/// <summary><c>iommuverify models validate &lt;files&gt;</c>.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "model files (models/*.json)" };
        var validate = new Command("validate", "Check model files against the schema of models/README.md") { files };
        validate.SetAction(pr => Validate(pr.GetValue(files)!));
        var models = new Command("models", "Work with model files") { validate };
        return models;
    }

    private static int Validate(string[] files)
    {
        int bad = 0;
        foreach (string f in files)
        {
            try
            {
                var m = ModelLoader.Load(f);
                Console.WriteLine($"ok   {f}: {m.Name} ({m.Kind.ToString().ToLowerInvariant()}, {m.Platform}; scopes {string.Join(", ", m.Scopes.Keys.Order())})");
            }
            catch (InputError e)
            {
                bad++;
                Console.Error.WriteLine("iommuverify: " + e.Render());
            }
        }

        Console.WriteLine($"models validate: {files.Length - bad} valid, {bad} invalid");
        return bad == 0 ? ExitCodes.Ok : ExitCodes.InputError;
    }
}
