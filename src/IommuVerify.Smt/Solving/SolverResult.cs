namespace IommuVerify.Smt.Solving;

/// <summary>What one satisfiability query answered: Sat, Unsat, Unknown(reason) or Timeout. Closed: no other cases exist.</summary>
/// <remarks>Only <see cref="UnsatResult"/> lets a checker say a property holds; Unknown and Timeout never do.</remarks>
public abstract record SolverResult
{
    private SolverResult()
    {
    }

    /// <summary>Satisfiable: a model exists.</summary>
    public static readonly SolverResult Sat = new SatResult();

    /// <summary>Unsatisfiable.</summary>
    public static readonly SolverResult Unsat = new UnsatResult();

    /// <summary>The per-query time limit ran out.</summary>
    public static readonly SolverResult Timeout = new TimeoutResult();

    /// <summary>The solver gave up for a reason other than time.</summary>
    public static SolverResult Unknown(string reason) => new UnknownResult(reason);

    /// <summary>Satisfiable.</summary>
    public sealed record SatResult : SolverResult
    {
        /// <inheritdoc/>
        public override string ToString() => "sat";
    }

    /// <summary>Unsatisfiable.</summary>
    public sealed record UnsatResult : SolverResult
    {
        /// <inheritdoc/>
        public override string ToString() => "unsat";
    }

    /// <summary>Unknown, with the solver's reason.</summary>
    /// <param name="Reason">What the solver said.</param>
    public sealed record UnknownResult(string Reason) : SolverResult
    {
        /// <inheritdoc/>
        public override string ToString() => $"unknown ({Reason})";
    }

    /// <summary>Timed out.</summary>
    public sealed record TimeoutResult : SolverResult
    {
        /// <inheritdoc/>
        public override string ToString() => "timeout";
    }
}

/// <summary>The small solver interface the checkers use; tests substitute fakes.</summary>
public interface ISolver
{
    /// <summary>Adds a constraint at the current scope.</summary>
    void Assert(Expr e);

    /// <summary>Opens a scope.</summary>
    void Push();

    /// <summary>Closes the innermost scope.</summary>
    void Pop();

    /// <summary>Checks the constraints, with a time limit.</summary>
    SolverResult Check(TimeSpan timeout);

    /// <summary>The value of an integer term in the last Sat model.</summary>
    int EvalInt(Expr e);

    /// <summary>The value of a Boolean term in the last Sat model.</summary>
    bool EvalBool(Expr e);

    /// <summary>The current constraints in SMT-LIB2 form, ending with <c>(check-sat)</c>.</summary>
    string ToSmt2();
}
