using System.Runtime.InteropServices;

namespace IommuVerify.Smt.Native;

/// <summary>Raw declarations of the Z3 C API functions we use, against the Debian library <c>libz3.so.4</c>.</summary>
/// <remarks>Every handle is an opaque pointer. Nothing here checks errors: <see cref="Z3Context"/> does, in one place.</remarks>
internal static partial class Z3Native
{
    /// <summary>The shared-library name the loader looks up (Debian package libz3-4).</summary>
    public const string Library = "libz3.so.4";

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_config();

    [LibraryImport(Library)]
    public static partial void Z3_del_config(IntPtr cfg);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Z3_set_param_value(IntPtr cfg, string id, string value);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_context_rc(IntPtr cfg);

    [LibraryImport(Library)]
    public static partial void Z3_del_context(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial void Z3_inc_ref(IntPtr ctx, IntPtr ast);

    [LibraryImport(Library)]
    public static partial void Z3_dec_ref(IntPtr ctx, IntPtr ast);

    [LibraryImport(Library)]
    public static unsafe partial void Z3_set_error_handler(IntPtr ctx, delegate* unmanaged[Cdecl]<IntPtr, int, void> handler);

    [LibraryImport(Library)]
    public static partial int Z3_get_error_code(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_get_error_msg(IntPtr ctx, int code);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_get_full_version();

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_int_sort(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_bool_sort(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_bv_sort(IntPtr ctx, uint size);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr Z3_mk_string_symbol(IntPtr ctx, string name);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_const(IntPtr ctx, IntPtr symbol, IntPtr sort);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_int(IntPtr ctx, int value, IntPtr sort);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_true(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_false(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_eq(IntPtr ctx, IntPtr a, IntPtr b);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_and(IntPtr ctx, uint n, IntPtr[] args);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_or(IntPtr ctx, uint n, IntPtr[] args);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_not(IntPtr ctx, IntPtr a);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_ite(IntPtr ctx, IntPtr c, IntPtr t, IntPtr e);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_implies(IntPtr ctx, IntPtr a, IntPtr b);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_add(IntPtr ctx, uint n, IntPtr[] args);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_sub(IntPtr ctx, uint n, IntPtr[] args);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_lt(IntPtr ctx, IntPtr a, IntPtr b);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_le(IntPtr ctx, IntPtr a, IntPtr b);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_solver(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial void Z3_solver_inc_ref(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial void Z3_solver_dec_ref(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial void Z3_solver_assert(IntPtr ctx, IntPtr solver, IntPtr a);

    [LibraryImport(Library)]
    public static partial void Z3_solver_push(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial void Z3_solver_pop(IntPtr ctx, IntPtr solver, uint n);

    [LibraryImport(Library)]
    public static partial int Z3_solver_check(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_solver_get_model(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_solver_get_reason_unknown(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_solver_to_string(IntPtr ctx, IntPtr solver);

    [LibraryImport(Library)]
    public static partial void Z3_solver_set_params(IntPtr ctx, IntPtr solver, IntPtr p);

    [LibraryImport(Library)]
    public static partial void Z3_model_inc_ref(IntPtr ctx, IntPtr model);

    [LibraryImport(Library)]
    public static partial void Z3_model_dec_ref(IntPtr ctx, IntPtr model);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool Z3_model_eval(IntPtr ctx, IntPtr model, IntPtr t, [MarshalAs(UnmanagedType.U1)] bool completion, out IntPtr result);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool Z3_get_numeral_int(IntPtr ctx, IntPtr v, out int i);

    [LibraryImport(Library)]
    public static partial int Z3_get_bool_value(IntPtr ctx, IntPtr a);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_params(IntPtr ctx);

    [LibraryImport(Library)]
    public static partial void Z3_params_inc_ref(IntPtr ctx, IntPtr p);

    [LibraryImport(Library)]
    public static partial void Z3_params_dec_ref(IntPtr ctx, IntPtr p);

    [LibraryImport(Library)]
    public static partial void Z3_params_set_uint(IntPtr ctx, IntPtr p, IntPtr k, uint v);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr Z3_mk_tactic(IntPtr ctx, string name);

    [LibraryImport(Library)]
    public static partial void Z3_tactic_inc_ref(IntPtr ctx, IntPtr t);

    [LibraryImport(Library)]
    public static partial void Z3_tactic_dec_ref(IntPtr ctx, IntPtr t);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_solver_from_tactic(IntPtr ctx, IntPtr t);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_solver_for_logic(IntPtr ctx, IntPtr logic);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_bvslt(IntPtr ctx, IntPtr a, IntPtr b);

    [LibraryImport(Library)]
    public static partial IntPtr Z3_mk_bvadd(IntPtr ctx, IntPtr a, IntPtr b);
}
