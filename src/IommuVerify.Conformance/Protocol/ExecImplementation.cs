using System.Collections.Immutable;
using System.Diagnostics;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Conformance.Protocol;

/// <summary>An external implementation run as a process that speaks the line protocol on stdin and stdout.</summary>
/// <remarks>Every answer must arrive within the step timeout; a crash, a hang or a line that is not a result
/// ends the run for that process with an <see cref="ImplementationFailure"/> naming what happened.</remarks>
public sealed class ExecImplementation(string command, TimeSpan stepTimeout) : IIommuImplementation
{
    private Process? _proc;
    private Scope? _scope;
    private readonly List<string> _stderr = [];

    /// <inheritdoc/>
    public string Name => "exec:" + command;

    /// <inheritdoc/>
    public void Start(Policy policy, Scope scope)
    {
        _scope = scope;
        if (_proc is null || _proc.HasExited)
        {
            Launch();
        }

        foreach (string line in ProtocolCodec.Preamble(policy, scope))
        {
            Send(line);
        }

        string reply = Receive("start");
        if (reply != "ready")
        {
            throw new ImplementationFailure($"answered \"{Clip(reply)}\" to start, expected \"ready\"");
        }
    }

    /// <inheritdoc/>
    public ImmutableArray<Result> Apply(Op op)
    {
        string text = OpText.Render(op, _scope);
        Send(text);
        string reply = Receive(text);
        try
        {
            return OpText.ParseResults(reply, "protocol", 1, 1);
        }
        catch (Vocabulary.InputError)
        {
            throw new ImplementationFailure($"printed \"{Clip(reply)}\", which is not a result");
        }
    }

    private void Launch()
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _proc = Process.Start(psi) ?? throw new ImplementationFailure($"could not start \"{command}\"");
        _proc.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _proc.BeginErrorReadLine();
    }

    private void Send(string line)
    {
        try
        {
            _proc!.StandardInput.WriteLine(line);
            _proc.StandardInput.Flush();
        }
        catch (IOException)
        {
            throw new ImplementationFailure(Exited());
        }
    }

    private string Receive(string after)
    {
        var task = _proc!.StandardOutput.ReadLineAsync();
        if (!task.Wait(stepTimeout))
        {
            Kill();
            throw new ImplementationFailure($"no answer to \"{after}\" within {stepTimeout.TotalSeconds:0.#} s; the process was killed");
        }

        return task.Result ?? throw new ImplementationFailure(Exited());
    }

    private string Exited()
    {
        _proc!.WaitForExit(2000);
        string err;
        lock (_stderr)
        {
            err = _stderr.Count == 0 ? "" : "; its last error output: " + Clip(string.Join(" | ", _stderr.TakeLast(3)));
        }

        return _proc.HasExited ? $"the process exited with code {_proc.ExitCode}{err}" : $"the process closed its output{err}";
    }

    private static string Clip(string s) => s.Length > 120 ? s[..120] + "..." : s;

    private void Kill()
    {
        try
        {
            _proc?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_proc is null)
        {
            return;
        }

        try
        {
            if (!_proc.HasExited)
            {
                _proc.StandardInput.WriteLine("quit");
                _proc.StandardInput.Flush();
                if (!_proc.WaitForExit(2000))
                {
                    Kill();
                }
            }
        }
        catch (IOException)
        {
        }

        _proc.Dispose();
        _proc = null;
    }
}
