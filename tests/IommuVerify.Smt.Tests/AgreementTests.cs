using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Native;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Testing;
using Xunit;
using Xunit.Abstractions;

namespace IommuVerify.Smt.Tests;

/// <summary>For random reachable states and random operations, Z3's successor equals the reference model's, and every
/// invariant evaluates the same. Iterations and the seed come from the property runner's variables
/// (IOMMUVERIFY_PROP_ITERATIONS, IOMMUVERIFY_PROP_EFFORT, IOMMUVERIFY_PROP_SEED); the seed is printed.</summary>
public sealed class AgreementTests(ITestOutputHelper output)
{
    private static int Iterations => PropertyRunner.Iterations(80);

    private static ulong Seed => PropertyRunner.Seed(20261121);

    /// <summary>Random walks on the reference; each visited state and the next operation are checked symbolically.</summary>
    [Theory]
    [MemberData(nameof(Models.AllData), MemberType = typeof(Models))]
    public void SuccessorAndInvariantsAgreeWithReference(string name) => Agree(name, "small");

    /// <summary>The same on the scopes that allocate nested and dirty-tracking domains (no small scope does).</summary>
    [Theory]
    [InlineData("arm-smmuv3")]
    [InlineData("intel-vtd")]
    [InlineData("amd-v2-per-device-did")]
    public void SuccessorAndInvariantsAgreeWithReferenceWithNestedDomains(string name) => Agree(name, "nesting");

    /// <summary>The same on every model's conformance scope: every operation (the small scopes list a few), two IOVA
    /// and physical pages, two PASIDs, VFs, VMs; fewer steps, as each asks more of the solver.</summary>
    [Theory]
    [MemberData(nameof(Models.AllData), MemberType = typeof(Models))]
    public void SuccessorAndInvariantsAgreeWithReferenceOnTheConformanceScope(string name) => Agree(name, "conformance", PropertyRunner.Iterations(30));

    private void Agree(string name, string scope) => Agree(name, scope, Iterations);

    private void Agree(string name, string scope, int iterations)
    {
        var model = Models.Load(name);
        var reference = ReferenceModel.For(model, scope);
        var checker = new InvariantChecker(reference);
        var ops = OpCatalog.For(reference.Scope);
        string label = scope == "small" ? name : $"{name}/{scope}";
        ulong seed = PropertyRunner.SeedFor(Seed, label);
        PropertyRunner.Report(output.WriteLine, $"smt-agreement/{label}: {iterations} steps, {PropertyRunner.SeedVariable}={Seed} (walk seed {seed})");
        var rng = new Random(unchecked((int)seed));
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var vars = m.Fresh("x");
        var invBefore = InvariantIds.All.Select(id => m.Invariant(vars, id)).ToList();
        var state = reference.Initial();
        bool nesting = scope == "nesting";
        var allocs = ops.Where(o => o is AllocDomain).ToArray();
        int checkedSteps = 0, nestedBuilt = 0;
        for (int i = 0; i < iterations; i++)
        {
            if (rng.Next(nesting ? 40 : 12) == 0)
            {
                state = reference.Initial();
            }

            // On the nesting scopes (longer walks) a third of the steps are an allocation that succeeds (when one does),
            // half of them nested when a nest parent allows one, so nested domains get built and then attached, mapped
            // through and freed by the other steps.
            var fits = nesting && rng.Next(3) == 0 ? allocs.Where(a => reference.Apply(state, a).Primary.IsSuccess).ToArray() : [];
            var nestedFits = fits.Where(a => a is AllocDomain { Kind: DomainKind.Nested }).ToArray();
            var op = nestedFits.Length > 0 && rng.Next(2) == 0 ? nestedFits[rng.Next(nestedFits.Length)]
                : fits.Length > 0 ? fits[rng.Next(fits.Length)]
                : ops[rng.Next(ops.Length)];
            var step = reference.Apply(state, op);
            var expected = step.Next;
            nestedBuilt += op is AllocDomain { Kind: DomainKind.Nested } && step.Primary.IsSuccess ? 1 : 0;

            // Folded path: constants in, constants out.
            var folded = m.Apply(SymState.Of(t, m.U, state), op);
            Assert.True(folded.All().All(e => e.Value is not null), $"{label}: {op} did not fold to constants");

            // Solver path: the state as variables pinned by equalities, so Z3 computes the successor.
            using var solver = new Z3Solver(t);
            solver.Assert(SymState.Equal(t, vars, SymState.Of(t, m.U, state)));
            var next = m.Apply(vars, op);
            var invAfter = InvariantIds.All.Select(id => m.Invariant(next, id)).ToList();
            Assert.Equal(SolverResult.Sat, solver.Check(TimeSpan.FromSeconds(30)));
            string where = $"{label} seed {Seed} step {i}: {OpText.Render(op, reference.Scope)}";
            var got = StateReader.Read(solver, m, next);
            Assert.True(got.DiffFrom(expected) is null, $"{where}: {got.DiffFrom(expected)}");
            var foldedState = StateReader.Read(solver, m, folded);
            Assert.True(foldedState.DiffFrom(expected) is null, $"{where} (folded): {foldedState.DiffFrom(expected)}");
            for (int k = 0; k < InvariantIds.All.Length; k++)
            {
                string id = InvariantIds.All[k];
                Assert.True(solver.EvalBool(invBefore[k]) == !checker.Check(state, id).Any(), $"{where}: {id} before the step disagrees");
                Assert.True(solver.EvalBool(invAfter[k]) == !checker.Check(expected, id).Any(), $"{where}: {id} after the step disagrees");
            }

            state = expected;
            checkedSteps++;
        }

        Assert.Equal(iterations, checkedSteps);
        PropertyRunner.Report(output.WriteLine, $"smt-agreement/{label}: held for {checkedSteps} steps ({nestedBuilt} nested domains allocated)");
        Assert.True(!nesting || iterations < 40 || nestedBuilt > 0, $"{label}: the walk allocated no nested domain");
    }
}
