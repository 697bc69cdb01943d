using IommuVerify.Smt.Native;

namespace IommuVerify.Smt.Solving;

/// <summary>A Z3 solver object over a <see cref="Terms"/> builder's context.</summary>
public sealed class Z3Solver : ISolver, IDisposable
{
    private readonly Z3Context _ctx;
    private IntPtr _solver;
    private IntPtr _model;
    private uint _timeoutMs;

    /// <summary>Creates a solver.</summary>
    /// <param name="terms">The term builder whose context the solver uses.</param>
    /// <param name="tactic">The tactic to build the solver from: <c>qfbv</c> by default (bit-blasting to SAT with full
    /// preprocessing, re-run from the asserted stack at each check; push/pop still scope the assertions),
    /// <c>default</c> for Z3's incremental SMT core, or <c>logic:NAME</c> for Z3's solver for a logic. The environment
    /// variable IOMMUVERIFY_Z3_TACTIC overrides the default. Measured on amd-v2-per-domain-did: qfbv reaches depth 6
    /// in 21 s where the incremental core times out at depth 3-4.</param>
    public Z3Solver(Terms terms, string? tactic = null)
    {
        _ctx = terms.Ctx;
        tactic ??= Environment.GetEnvironmentVariable("IOMMUVERIFY_Z3_TACTIC") is { Length: > 0 } env ? env : (_ctx.BitVectors ? "qfbv" : "default");
        if (tactic == "default")
        {
            _solver = Z3Native.Z3_mk_solver(_ctx.Handle);
        }
        else if (tactic.StartsWith("logic:", StringComparison.Ordinal))
        {
            _solver = Z3Native.Z3_mk_solver_for_logic(_ctx.Handle, _ctx.Symbol(tactic["logic:".Length..]));
        }
        else
        {
            IntPtr t = Z3Native.Z3_mk_tactic(_ctx.Handle, tactic);
            _ctx.Check();
            Z3Native.Z3_tactic_inc_ref(_ctx.Handle, t);
            _solver = Z3Native.Z3_mk_solver_from_tactic(_ctx.Handle, t);
            Z3Native.Z3_tactic_dec_ref(_ctx.Handle, t);
        }

        _ctx.Check();
        Z3Native.Z3_solver_inc_ref(_ctx.Handle, _solver);
    }

    /// <inheritdoc/>
    public void Assert(Expr e)
    {
        Z3Native.Z3_solver_assert(_ctx.Handle, _solver, e.Handle);
        _ctx.Check();
    }

    /// <inheritdoc/>
    public void Push()
    {
        Z3Native.Z3_solver_push(_ctx.Handle, _solver);
        _ctx.Check();
    }

    /// <inheritdoc/>
    public void Pop()
    {
        DropModel();
        Z3Native.Z3_solver_pop(_ctx.Handle, _solver, 1);
        _ctx.Check();
    }

    /// <inheritdoc/>
    public SolverResult Check(TimeSpan timeout)
    {
        DropModel();
        SetTimeout(timeout);
        int r = Z3Native.Z3_solver_check(_ctx.Handle, _solver);
        _ctx.Check();
        switch (r)
        {
            case 1:
                _model = Z3Native.Z3_solver_get_model(_ctx.Handle, _solver);
                _ctx.Check();
                Z3Native.Z3_model_inc_ref(_ctx.Handle, _model);
                return SolverResult.Sat;
            case -1:
                return SolverResult.Unsat;
            default:
                string reason = _ctx.Text(Z3Native.Z3_solver_get_reason_unknown(_ctx.Handle, _solver));
                return reason.Contains("timeout", StringComparison.OrdinalIgnoreCase) || reason.Contains("canceled", StringComparison.OrdinalIgnoreCase)
                    ? SolverResult.Timeout
                    : SolverResult.Unknown(reason);
        }
    }

    private void SetTimeout(TimeSpan timeout)
    {
        uint ms = (uint)Math.Clamp(timeout.TotalMilliseconds, 1, uint.MaxValue - 1);
        if (ms == _timeoutMs)
        {
            return;
        }

        IntPtr p = Z3Native.Z3_mk_params(_ctx.Handle);
        _ctx.Check();
        Z3Native.Z3_params_inc_ref(_ctx.Handle, p);
        Z3Native.Z3_params_set_uint(_ctx.Handle, p, _ctx.Symbol("timeout"), ms);
        _ctx.Check();
        Z3Native.Z3_solver_set_params(_ctx.Handle, _solver, p);
        _ctx.Check();
        Z3Native.Z3_params_dec_ref(_ctx.Handle, p);
        _timeoutMs = ms;
    }

    private IntPtr Eval(Expr e)
    {
        if (_model == IntPtr.Zero)
        {
            throw new InvalidOperationException("no model: the last check was not sat");
        }

        if (!Z3Native.Z3_model_eval(_ctx.Handle, _model, e.Handle, true, out IntPtr v))
        {
            _ctx.Check();
            throw new Z3Exception("model evaluation failed");
        }

        return _ctx.Keep(v);
    }

    /// <inheritdoc/>
    public int EvalInt(Expr e)
    {
        if (e.Value is { } c)
        {
            return c;
        }

        IntPtr v = Eval(e);
        if (!Z3Native.Z3_get_numeral_int(_ctx.Handle, v, out int i))
        {
            _ctx.Check();
            throw new Z3Exception("model value is not a machine integer");
        }

        int half = 1 << ((int)Z3Context.IntBits - 1);
        return _ctx.BitVectors && i >= half ? i - (2 * half) : i;
    }

    /// <inheritdoc/>
    public bool EvalBool(Expr e)
    {
        if (e.Value is { } c)
        {
            return c == 1;
        }

        int b = Z3Native.Z3_get_bool_value(_ctx.Handle, Eval(e));
        _ctx.Check();
        return b == 1;
    }

    /// <inheritdoc/>
    public string ToSmt2()
    {
        string body = _ctx.Text(Z3Native.Z3_solver_to_string(_ctx.Handle, _solver));
        return "(set-logic ALL)\n" + body + "(check-sat)\n";
    }

    private void DropModel()
    {
        if (_model != IntPtr.Zero)
        {
            Z3Native.Z3_model_dec_ref(_ctx.Handle, _model);
            _model = IntPtr.Zero;
        }
    }

    /// <summary>Releases the solver.</summary>
    public void Dispose()
    {
        if (_solver == IntPtr.Zero)
        {
            return;
        }

        DropModel();
        Z3Native.Z3_solver_dec_ref(_ctx.Handle, _solver);
        _solver = IntPtr.Zero;
    }
}
