namespace IommuVerify.Vocabulary;

/// <summary>A problem with a file the user gave, located by file, line and column.</summary>
/// <remarks>The command line turns this into one message and exit code 2, never a stack trace.</remarks>
public sealed class InputError : Exception
{
    /// <summary>Creates an input error at a location.</summary>
    public InputError(string file, int line, int column, string problem)
        : base($"{file}:{line}:{column}: {problem}")
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates an input error without a location inside the file.</summary>
    public InputError(string file, string problem)
        : this(file, 0, 0, problem)
    {
    }

    /// <summary>Creates an empty error (for serializers).</summary>
    public InputError()
        : this("<input>", "invalid input")
    {
    }

    /// <summary>Creates an error from a message.</summary>
    public InputError(string message)
        : this("<input>", message)
    {
    }

    /// <summary>Creates an error from a message and cause.</summary>
    public InputError(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "<input>";
        Problem = message;
    }

    /// <summary>The file the problem is in.</summary>
    public string File { get; }

    /// <summary>The 1-based line, or 0 when the whole file is meant.</summary>
    public int Line { get; }

    /// <summary>The 1-based column, or 0 when the whole line is meant.</summary>
    public int Column { get; }

    /// <summary>What was wrong, and what was expected.</summary>
    public string Problem { get; }

    /// <summary>The message as printed: <c>file:line:column: problem</c>.</summary>
    public string Render() => Line > 0 ? $"{File}:{Line}:{Column}: {Problem}" : $"{File}: {Problem}";
}
