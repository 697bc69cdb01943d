using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IommuVerify.Vocabulary;

namespace IommuVerify.Smt.Native;

/// <summary>An error Z3 reported through its error code.</summary>
public sealed class Z3Exception : Exception
{
    /// <summary>Creates the exception.</summary>
    public Z3Exception()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public Z3Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public Z3Exception(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>A Z3 context with reference-counted handles: every AST it makes is kept alive until the context is disposed.</summary>
/// <remarks>One context per thread, as Z3 requires. Errors are read once per call in <see cref="Check"/>
/// and thrown as <see cref="Z3Exception"/>; a missing <c>libz3.so.4</c> becomes an <see cref="InputError"/>
/// naming the Debian package, which the command line maps to exit code 2.</remarks>
public sealed class Z3Context : IDisposable
{
    private readonly List<IntPtr> _owned = [];

    /// <summary>How many AST references the context holds (a size measure for tests and tuning).</summary>
    public int Owned => _owned.Count;
    private IntPtr _ctx;

    /// <summary>Creates a context, or throws <see cref="InputError"/> when libz3 is missing.</summary>
    /// <param name="bitVectors">Encode integers as bit-vectors (the default; env IOMMUVERIFY_SMT_SORT=int picks integers).</param>
    public Z3Context(bool? bitVectors = null)
    {
        BitVectors = bitVectors ?? Environment.GetEnvironmentVariable("IOMMUVERIFY_SMT_SORT") != "int";
        try
        {
            IntPtr cfg = Z3Native.Z3_mk_config();
            Z3Native.Z3_set_param_value(cfg, "model", "true");
            _ctx = Z3Native.Z3_mk_context_rc(cfg);
            Z3Native.Z3_del_config(cfg);
        }
        catch (DllNotFoundException e)
        {
            throw MissingLibrary(e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw MissingLibrary(e);
        }

        unsafe
        {
            Z3Native.Z3_set_error_handler(_ctx, &OnError);
        }

        IntSort = Keep(BitVectors ? Z3Native.Z3_mk_bv_sort(_ctx, IntBits) : Z3Native.Z3_mk_int_sort(_ctx));
        BoolSort = Keep(Z3Native.Z3_mk_bool_sort(_ctx));
    }

    /// <summary>The native context handle.</summary>
    internal IntPtr Handle => _ctx != IntPtr.Zero ? _ctx : throw new ObjectDisposedException(nameof(Z3Context));

    /// <summary>The width of the bit-vectors that stand for the model's small integers (two's complement).</summary>
    /// <remarks>Every value of the encoding fits: tags are below 2^14, owners below 2^7, the sentinel is -999.
    /// Bit-vectors let Z3 bit-blast to SAT, which is much faster than integer arithmetic for these finite domains.</remarks>
    public const uint IntBits = 16;

    /// <summary>True when integer terms are signed bit-vectors of <see cref="IntBits"/> bits, false for mathematical integers.</summary>
    public bool BitVectors { get; }

    /// <summary>The sort of integer terms.</summary>
    internal IntPtr IntSort { get; }

    /// <summary>The Boolean sort.</summary>
    internal IntPtr BoolSort { get; }

    /// <summary>The full version string of the loaded libz3, or throws <see cref="InputError"/> when it is missing.</summary>
    public static string Version()
    {
        try
        {
            return Marshal.PtrToStringUTF8(Z3Native.Z3_get_full_version()) ?? "z3";
        }
        catch (DllNotFoundException e)
        {
            throw MissingLibrary(e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw MissingLibrary(e);
        }
    }

    /// <summary>True when libz3.so.4 can be loaded.</summary>
    public static bool Available()
    {
        try
        {
            _ = Version();
            return true;
        }
        catch (InputError)
        {
            return false;
        }
    }

    private static InputError MissingLibrary(Exception e) =>
        new(Z3Native.Library, $"the Z3 library could not be loaded ({e.GetType().Name}); install the Debian package libz3-4 (apt-get install libz3-4)");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(IntPtr ctx, int code)
    {
        // Errors are read back through Z3_get_error_code in Check; the default handler would abort the process.
    }

    /// <summary>Reads Z3's error code after a call and throws when it is set: the one error check every wrapper uses.</summary>
    internal void Check()
    {
        int code = Z3Native.Z3_get_error_code(Handle);
        if (code != 0)
        {
            string msg = Marshal.PtrToStringUTF8(Z3Native.Z3_get_error_msg(Handle, code)) ?? "unknown";
            throw new Z3Exception($"Z3 error {code}: {msg}");
        }
    }

    /// <summary>Checks the error code, takes a reference on an AST, and keeps it until disposal.</summary>
    internal IntPtr Keep(IntPtr ast)
    {
        Check();
        if (ast == IntPtr.Zero)
        {
            throw new Z3Exception("Z3 returned a null AST");
        }

        Z3Native.Z3_inc_ref(Handle, ast);
        _owned.Add(ast);
        return ast;
    }

    /// <summary>Reads a string Z3 owns, after checking the error code.</summary>
    internal string Text(IntPtr s)
    {
        Check();
        return Marshal.PtrToStringUTF8(s) ?? "";
    }

    /// <summary>Makes a symbol.</summary>
    internal IntPtr Symbol(string name)
    {
        IntPtr s = Z3Native.Z3_mk_string_symbol(Handle, name);
        Check();
        return s;
    }

    /// <summary>Releases every AST reference and the context.</summary>
    public void Dispose()
    {
        if (_ctx == IntPtr.Zero)
        {
            return;
        }

        foreach (IntPtr a in _owned)
        {
            Z3Native.Z3_dec_ref(_ctx, a);
        }

        _owned.Clear();
        Z3Native.Z3_del_context(_ctx);
        _ctx = IntPtr.Zero;
    }
}
