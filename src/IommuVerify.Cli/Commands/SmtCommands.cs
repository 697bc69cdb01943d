using System.CommandLine;
using System.Globalization;
using IommuVerify.Smt.Checking;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Cli;

/// <summary>The SMT stage's commands: <c>bmc</c> and <c>prove</c>.</summary>
public static partial class CommandRegistry
{
    static partial void AddSmtCommands(List<Command> list)
    {
        list.Add(SmtCommands.Bmc());
        list.Add(SmtCommands.Prove());
    }
}

/// <summary>Builds and runs <c>iommuverify bmc</c> and <c>iommuverify prove</c>.</summary>
public static class SmtCommands
{
    /// <summary>The <c>bmc</c> command.</summary>
    public static Command Bmc()
    {
        var model = new Argument<string>("model") { Description = "a model file (models/*.json)" };
        var scope = new Option<string>("--scope") { Description = "the scope to check", DefaultValueFactory = _ => ModelFile.StandardScope };
        var depth = new Option<int>("--depth") { Description = "the largest number of steps", DefaultValueFactory = _ => 10 };
        var timeout = new Option<double>("--timeout") { Description = "seconds per solver query", DefaultValueFactory = _ => 60 };
        var budget = new Option<double>("--time-limit") { Description = "stop starting new depths after this many seconds (0 = none)", DefaultValueFactory = _ => 0 };
        var smt2 = new Option<string?>("--smt2-out") { Description = "write every query to this folder as SMT-LIB2" };
        var solver = new Option<string>("--solver") { Description = "z3 (libz3, incremental) or cvc5 (a process per exported query)", DefaultValueFactory = _ => "z3" };
        var cexOut = new Option<string?>("--trace-out") { Description = "write each counterexample trace to this folder" };
        var noOneStep = new Option<bool>("--no-one-step") { Description = "ask every depth on the whole path, without first trying one step from what the previous depth showed" };
        var cmd = new Command("bmc", "Bounded model check of every invariant with an SMT solver; counterexamples are replayed on the reference model")
        {
            model, scope, depth, timeout, budget, smt2, solver, cexOut, noOneStep,
        };
        cmd.SetAction(pr => Guarded(() => RunBmc(pr.GetValue(model)!, pr.GetValue(scope)!, pr.GetValue(depth), pr.GetValue(timeout), pr.GetValue(budget), pr.GetValue(smt2), pr.GetValue(solver)!, pr.GetValue(cexOut), !pr.GetValue(noOneStep))));
        return cmd;
    }

    /// <summary>The <c>prove</c> command.</summary>
    public static Command Prove()
    {
        var model = new Argument<string>("model") { Description = "a model file (models/*.json)" };
        var scope = new Option<string>("--scope") { Description = "the scope to prove", DefaultValueFactory = _ => ModelFile.StandardScope };
        var k = new Option<int>("--k") { Description = "the induction depth", DefaultValueFactory = _ => 1 };
        var timeout = new Option<double>("--timeout") { Description = "seconds per solver query", DefaultValueFactory = _ => 60 };
        var smt2 = new Option<string?>("--smt2-out") { Description = "write every query to this folder as SMT-LIB2" };
        var cmd = new Command("prove", "k-induction of the invariants the model expects to hold, with the model's lemmas as strengthening invariants")
        {
            model, scope, k, timeout, smt2,
        };
        cmd.SetAction(pr => Guarded(() => RunProve(pr.GetValue(model)!, pr.GetValue(scope)!, pr.GetValue(k), pr.GetValue(timeout), pr.GetValue(smt2))));
        return cmd;
    }

    /// <summary>Maps input errors (a bad model, a missing libz3 or cvc5) to one message and exit code 2, solver errors to 4.</summary>
    /// <remarks>System.CommandLine's own handler would otherwise print a stack trace and exit 1.</remarks>
    private static int Guarded(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (InputError e)
        {
            Console.Error.WriteLine("iommuverify: " + e.Render());
            return ExitCodes.InputError;
        }
        catch (Smt.Native.Z3Exception e)
        {
            Console.Error.WriteLine("iommuverify: internal error (Z3): " + e.Message);
            return ExitCodes.Internal;
        }
    }

    private static SolverKind ParseSolver(string s) => s switch
    {
        "z3" => SolverKind.Z3,
        "cvc5" => SolverKind.Cvc5,
        _ => throw new InputError("--solver", $"unknown solver \"{s}\"; expected z3 or cvc5"),
    };

    private static string Sec(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s";

    private static int RunBmc(string file, string scopeName, int depth, double timeout, double budget, string? smt2, string solverName, string? traceOut, bool oneStep)
    {
        if (depth < 1 || timeout <= 0)
        {
            throw new InputError("bmc", "--depth must be at least 1 and --timeout positive");
        }

        var kind = ParseSolver(solverName);
        var model = ModelLocator.Load(file);
        var opts = new BmcOptions(depth, TimeSpan.FromSeconds(timeout), smt2, kind, budget > 0 ? TimeSpan.FromSeconds(budget) : null,
            p => Console.WriteLine($"depth {p.Depth,3}  build {Sec(p.BuildTime)}  slowest query {Sec(p.LastQuery)}  depth {Sec(p.DepthTime)}  total {Sec(p.Total)}{(p.Found.IsEmpty ? "" : "  " + string.Join(", ", p.Found))}"),
            OneStep: oneStep);
        Console.WriteLine($"bmc {model.Name} scope {scopeName} depth {depth} solver {solverName}");
        var r = BmcChecker.Run(model, scopeName, opts);
        Console.WriteLine($"solver {r.Solver}; {r.Operations} concrete operations per step; depth reached {r.DepthReached}");
        if (!r.Unencoded.IsEmpty)
        {
            Console.WriteLine($"inconclusive for unencoded operations: {string.Join(", ", r.Unencoded)}");
        }

        int code = ExitCodes.Ok;
        foreach (var o in r.Invariants)
        {
            string expect = model.Expect[o.Id] == Expectation.Holds ? "expected holds" : "expected violated";
            switch (o.Verdict)
            {
                case BmcVerdict.Violated:
                    Console.WriteLine($"{o.Id}: VIOLATED after {o.Depth} steps, found at {Sec(o.Elapsed)} ({expect}); replayed on the reference model");
                    if (o.Counterexample is { } t)
                    {
                        Console.Write(Smt.Checking.Counterexamples.Render(t, model));
                        if (traceOut is not null)
                        {
                            // The trace names its model relative to its own folder, as trace files do.
                            Directory.CreateDirectory(traceOut);
                            var local = t with { Model = Path.GetRelativePath(Path.GetFullPath(traceOut), t.ModelPath) };
                            File.WriteAllText(Path.Combine(traceOut, t.File), Smt.Checking.Counterexamples.Render(local, model));
                            Console.WriteLine($"wrote {Path.Combine(traceOut, t.File)}");
                        }
                    }

                    code = ExitCodes.Violation; // a replayed violation outranks anything inconclusive
                    break;
                case BmcVerdict.HoldsToDepth:
                    Console.WriteLine($"{o.Id}: holds up to depth {o.Depth} ({expect})");
                    break;
                case BmcVerdict.Inconclusive:
                    Console.WriteLine($"{o.Id}: inconclusive ({o.Detail}); no violation up to depth {o.Depth} ({expect})");
                    code = code == ExitCodes.Violation ? code : ExitCodes.Inconclusive;
                    break;
                default:
                    Console.WriteLine($"{o.Id}: ENCODING BUG: {o.Detail}");
                    return ExitCodes.Inconclusive;
            }
        }

        foreach (var l in r.Lemmas)
        {
            switch (l.Verdict)
            {
                case BmcVerdict.HoldsToDepth:
                    Console.WriteLine($"{l.Id}: holds up to depth {l.Depth}, assumed there by the later queries: {l.Detail}");
                    break;
                case BmcVerdict.Violated:
                    // A wrong lemma is an error in the model file; it was never assumed, so the invariant verdicts stand.
                    Console.WriteLine($"{l.Id}: LEMMA VIOLATED after {l.Depth} steps, found at {Sec(l.Elapsed)}; the lemma is wrong and was not assumed: {l.Detail}");
                    code = ExitCodes.Violation;
                    break;
                case BmcVerdict.Inconclusive:
                    Console.WriteLine($"{l.Id}: inconclusive ({l.Detail}); holds up to depth {l.Depth}");
                    break;
                default:
                    Console.WriteLine($"{l.Id}: ENCODING BUG: {l.Detail}");
                    return ExitCodes.Inconclusive;
            }
        }

        if (r.DepthReached < depth && code == ExitCodes.Ok)
        {
            code = ExitCodes.Inconclusive;
        }

        return code;
    }

    private static int RunProve(string file, string scopeName, int k, double timeout, string? smt2)
    {
        if (k < 1 || timeout <= 0)
        {
            throw new InputError("prove", "--k must be at least 1 and --timeout positive");
        }

        var model = ModelLocator.Load(file);
        var r = InductionChecker.Run(model, scopeName, new InductionOptions(k, TimeSpan.FromSeconds(timeout), smt2));
        Console.WriteLine($"prove {model.Name} scope {scopeName} k {k}: {r.Lemmas.Length} lemma(s)");
        foreach (var q in r.Queries)
        {
            Console.WriteLine($"  {q.Name,-40} {q.Result,-10} {Sec(q.Elapsed)}");
        }

        foreach (var o in r.Outcomes)
        {
            Console.WriteLine($"{o.Id}: {o.Verdict}{(o.Detail.Length > 0 ? " - " + o.Detail : "")}");
            if (o.Cti is { } cti)
            {
                Console.WriteLine("  counterexample to induction: from the state");
                Console.Write(cti.State);
                Console.WriteLine($"  the operation {cti.Operation} leads to a state violating {o.Id}");
            }
        }

        return r.Outcomes.All(o => o.Verdict == ProofVerdict.Proved) ? ExitCodes.Ok
            : r.Outcomes.Any(o => o.Verdict == ProofVerdict.BaseFails) ? ExitCodes.Violation
            : ExitCodes.Inconclusive;
    }
}
