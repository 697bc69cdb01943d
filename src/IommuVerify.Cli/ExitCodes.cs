namespace IommuVerify.Cli;

/// <summary>The exit codes every command shares (README "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Everything conformant, every expectation met, or the property holds within what was covered.</summary>
    public const int Ok = 0;

    /// <summary>A violation or a non-conformance was found.</summary>
    public const int Violation = 1;

    /// <summary>Usage or input error: bad arguments, a malformed model or trace, a missing solver.</summary>
    public const int InputError = 2;

    /// <summary>Inconclusive: a limit stopped the search before it covered what was asked.</summary>
    public const int Inconclusive = 3;

    /// <summary>An internal error: a bug in IommuVerify, reported without a stack trace.</summary>
    public const int Internal = 4;
}
