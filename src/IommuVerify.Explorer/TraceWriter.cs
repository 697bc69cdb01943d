using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer;

/// <summary>Writes counterexamples as trace files in the text format, with the model path relative to the file.</summary>
public static class TraceWriter
{
    /// <summary>The trace of <paramref name="cex"/> as it will be written to <paramref name="file"/>.</summary>
    public static Trace ForFile(Counterexample cex, string file, string modelPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        string rel = Path.GetRelativePath(dir, Path.GetFullPath(modelPath)).Replace('\\', '/');
        return cex.Trace with { File = file, Model = rel, ModelPath = Path.GetFullPath(modelPath) };
    }

    /// <summary>Writes the trace into <paramref name="dir"/> as NAME.trace and returns the file path.</summary>
    public static string Write(Counterexample cex, ModelFile model, string scope, string dir)
    {
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, cex.Trace.Name + ".trace");
        var t = ForFile(cex, file, model.Path);
        File.WriteAllText(file, TraceText.Render(t, model.GetScope(scope)));
        return file;
    }
}
