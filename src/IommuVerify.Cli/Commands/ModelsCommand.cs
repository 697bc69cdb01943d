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
        var list = new Command("list", "List the shipped models (from ./models and beside the installed tool)");
        list.SetAction(_ => List());
        var models = new Command("models", "Work with model files") { validate, list };
        return models;
    }

    private static int List()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string f in ModelLocator.Shipped().Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(f);
            if (!seen.Add(name))
            {
                continue;
            }

            try
            {
                var m = ModelLoader.Load(f);
                var bad = m.Expect.Where(e => e.Value == Expectation.Violated).Select(e => e.Key).ToList();
                Console.WriteLine($"{name,-32} {m.Kind.ToString().ToLowerInvariant(),-9} {m.Platform,-11} expects {(bad.Count == 0 ? "every invariant to hold" : "violations of " + string.Join(", ", bad))}  ({f})");
            }
            catch (InputError e)
            {
                Console.WriteLine($"{name,-32} invalid: {e.Render()}");
            }
        }

        return ExitCodes.Ok;
    }

    private static int Validate(string[] files)
    {
        int bad = 0;
        foreach (string f in files)
        {
            try
            {
                var m = ModelLoader.Load(ModelLocator.Resolve(f));
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
