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
    public void SuccessorAndInvariantsAgreeWithReference(string name)
    {
        var model = Models.Load(name);
        var reference = ReferenceModel.For(model, "small");
        var checker = new InvariantChecker(reference);
        var ops = OpCatalog.For(reference.Scope);
        ulong seed = PropertyRunner.SeedFor(Seed, name);
        PropertyRunner.Report(output.WriteLine, $"smt-agreement/{name}: {Iterations} steps, {PropertyRunner.SeedVariable}={Seed} (walk seed {seed})");
        var rng = new Random(unchecked((int)seed));
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var vars = m.Fresh("x");
        var invBefore = InvariantIds.All.Select(id => m.Invariant(vars, id)).ToList();
        var state = reference.Initial();
        int checkedSteps = 0;
        for (int i = 0; i < Iterations; i++)
        {
            if (rng.Next(12) == 0)
            {
                state = reference.Initial();
            }

            var op = ops[rng.Next(ops.Length)];
            var expected = reference.Apply(state, op).Next;

            // Folded path: constants in, constants out.
            var folded = m.Apply(SymState.Of(t, m.U, state), op);
            Assert.True(folded.All().All(e => e.Value is not null), $"{name}: {op} did not fold to constants");

            // Solver path: the state as variables pinned by equalities, so Z3 computes the successor.
            using var solver = new Z3Solver(t);
            solver.Assert(SymState.Equal(t, vars, SymState.Of(t, m.U, state)));
            var next = m.Apply(vars, op);
            var invAfter = InvariantIds.All.Select(id => m.Invariant(next, id)).ToList();
            Assert.Equal(SolverResult.Sat, solver.Check(TimeSpan.FromSeconds(30)));
            string where = $"{name} seed {Seed} step {i}: {OpText.Render(op, reference.Scope)}";
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

        Assert.Equal(Iterations, checkedSteps);
        PropertyRunner.Report(output.WriteLine, $"smt-agreement/{name}: held for {checkedSteps} steps");
    }
}
