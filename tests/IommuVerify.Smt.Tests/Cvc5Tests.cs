using IommuVerify.Smt.Checking;
using IommuVerify.Smt.Solving;
using Xunit;

namespace IommuVerify.Smt.Tests;

/// <summary>A fact that is skipped, with the reason shown, when cvc5 is not on PATH.</summary>
public sealed class Cvc5FactAttribute : FactAttribute
{
    public Cvc5FactAttribute()
    {
        if (!ExternalSolver.Available("cvc5"))
        {
            Skip = "cvc5 is not installed (apt-get install cvc5): the cvc5 verdict comparison did not run";
        }
    }
}

/// <summary>cvc5, run as a process on the exported queries, reaches the same verdicts as Z3.</summary>
public sealed class Cvc5Tests
{
    [Trait("Category", "Slow")]
    [Cvc5Fact]
    public void Cvc5AgreesWithZ3OnKnownBadAndKnownGood()
    {
        foreach (var (name, depth) in new[] { ("sva-rid-unchecked", 2), ("vpasid-allocated-mixed", 2) })
        {
            var model = Models.Load(name);
            var z3 = BmcChecker.Run(model, "small", new BmcOptions(depth, TimeSpan.FromSeconds(30)));
            var cvc5 = BmcChecker.Run(model, "small", new BmcOptions(depth, TimeSpan.FromSeconds(30), Solver: SolverKind.Cvc5));
            Assert.Equal(z3.Invariants.Select(o => (o.Id, o.Verdict, o.Depth)), cvc5.Invariants.Select(o => (o.Id, o.Verdict, o.Depth)));
        }
    }
}
