using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Native;
using IommuVerify.Smt.Solving;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit;
using Xunit.Abstractions;

namespace IommuVerify.Smt.Tests;

/// <summary>The solver-backed agreement walks check one operation per state. Here the encoding runs on constants (every
/// term folds), which is cheap enough to apply every operation of the catalog at every state of a walk: each
/// successor and every invariant after it must equal the reference's. That reaches the failing cases (a parent that
/// is not a nest parent, a PASID beyond a device's range, an unbind of something never bound) that a random walk of
/// single operations seldom tries.</summary>
public sealed class FoldedAgreementTests(ITestOutputHelper output)
{
    private static int Iterations => PropertyRunner.Iterations(6);

    private static ulong Seed => PropertyRunner.Seed(20261122);

    [Theory]
    [MemberData(nameof(Models.AllData), MemberType = typeof(Models))]
    public void Every_operation_at_every_visited_state_folds_to_the_reference_successor(string name) => Agree(name, "conformance");

    [Theory]
    [InlineData("arm-smmuv3")]
    [InlineData("intel-vtd")]
    [InlineData("amd-v2-per-device-did")]
    public void Every_operation_at_every_visited_state_folds_to_the_reference_successor_with_nested_domains(string name) => Agree(name, "nesting");

    private void Agree(string name, string scope)
    {
        var reference = ReferenceModel.For(Models.Load(name), scope);
        var checker = new InvariantChecker(reference);
        var ops = OpCatalog.For(reference.Scope);
        string label = $"{name}/{scope}";
        ulong seed = PropertyRunner.SeedFor(Seed, label);
        PropertyRunner.Report(output.WriteLine, $"smt-folded/{label}: {Iterations} states x {ops.Length} operations, {PropertyRunner.SeedVariable}={Seed} (walk seed {seed})");
        var rng = new Random(unchecked((int)seed));
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var constants = new Constants();
        var state = reference.Initial();
        int steps = 0, failures = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var before = SymState.Of(t, m.U, state);
            var successes = new List<IommuState>();
            foreach (var op in ops)
            {
                var step = reference.Apply(state, op);
                string where = $"{label} seed {Seed} state {i}: {OpText.Render(op, reference.Scope)}";
                var after = m.Apply(before, op);
                var got = StateReader.Read(constants, m, after);
                Assert.True(got.DiffFrom(step.Next) is null, $"{where}: {got.DiffFrom(step.Next)}");
                foreach (string id in InvariantIds.All)
                {
                    var inv = m.Invariant(after, id);
                    Assert.True(inv.IsTrue == !checker.Check(step.Next, id).Any(), $"{where}: {id} after the step disagrees");
                }

                steps++;
                if (step.Primary.IsSuccess)
                {
                    successes.Add(step.Next);
                }
                else
                {
                    failures++;
                }
            }

            // Move on along a successful step (an allocation or attachment more often than not builds up the state).
            state = successes.Count > 0 && rng.Next(8) != 0 ? successes[rng.Next(successes.Count)] : reference.Initial();
        }

        PropertyRunner.Report(output.WriteLine, $"smt-folded/{label}: held for {steps} steps ({failures} of them failed operations)");
        Assert.True(failures > 0 && failures < steps, $"{label}: expected both failing and succeeding operations");
    }

    /// <summary>Evaluates terms that folded to constants; anything else is an error (the encoding did not fold).</summary>
    private sealed class Constants : ISolver
    {
        public int EvalInt(Expr e) => e.Value ?? throw new InvalidOperationException("a cell did not fold to a constant");

        public bool EvalBool(Expr e) => e.IsTrue || (e.IsFalse ? false : throw new InvalidOperationException("a cell did not fold to a constant"));

        public void Assert(Expr e) => throw new NotSupportedException();

        public void Push() => throw new NotSupportedException();

        public void Pop() => throw new NotSupportedException();

        public SolverResult Check(TimeSpan timeout) => throw new NotSupportedException();

        public string ToSmt2() => throw new NotSupportedException();
    }
}
