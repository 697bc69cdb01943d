using System.CommandLine;
using IommuVerify.Conformance.Protocol;

namespace IommuVerify.Cli.Commands;

/// <summary><c>iommuverify serve [--impl reference|engine]</c>: speak the line protocol on stdin/stdout.</summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var impl = new Option<string>("--impl") { Description = "reference or engine", DefaultValueFactory = _ => "reference" };
        var cmd = new Command("serve", "Serve an implementation over the line protocol of spec/protocol.md on standard input and output") { impl };
        cmd.SetAction(pr =>
        {
            using var i = Inputs.Implementation(pr.GetValue(impl)!, 5);
            return ProtocolServer.Serve(i, Console.In, Console.Out);
        });
        return cmd;
    }
}
