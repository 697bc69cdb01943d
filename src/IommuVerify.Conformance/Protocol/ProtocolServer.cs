using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Conformance.Protocol;

/// <summary>The server side of the line protocol: serves any implementation to a client (used by <c>iommuverify serve</c>).</summary>
public static class ProtocolServer
{
    /// <summary>Serves until <c>quit</c> or end of input. Returns the process exit code.</summary>
    public static int Serve(IIommuImplementation impl, TextReader input, TextWriter output)
    {
        var setup = new List<string>();
        Scope? scope = null;
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            string t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (t == "quit")
            {
                return 0;
            }

            string word = t.Split(' ')[0];
            try
            {
                if (word is "policy" or "scope" or "device" or "mm" or "vm")
                {
                    if (word == "policy")
                    {
                        setup.Clear();
                        scope = null;
                    }

                    setup.Add(t);
                    continue;
                }

                if (word == "start")
                {
                    var (policy, s) = ProtocolCodec.ParsePreamble(setup, "protocol");
                    impl.Start(policy, s);
                    scope = s;
                    output.WriteLine("ready");
                }
                else if (scope is null)
                {
                    output.WriteLine("error no start line before operations");
                }
                else
                {
                    var op = OpText.Parse(t, scope, "protocol", 1, 1);
                    var r = impl.Apply(op);
                    output.WriteLine(r.IsEmpty ? "error no result" : r[0].Render(op.ReturnsDomain));
                }
            }
            catch (InputError e)
            {
                output.WriteLine("error " + e.Problem);
            }

            output.Flush();
        }

        return 0;
    }
}
