using System.Runtime.InteropServices;

namespace Engine.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM. While work that must not be lost is running (<see cref="Defer"/>), the first signal only
/// requests a stop: <see cref="Token"/> is cancelled, the work finishes its current step, saves and reports. Otherwise, and
/// for a second signal, the process ends as the signal says, with the terminal's cursor shown again first.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly Terminal terminal;
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;
    private int deferring;

    /// <summary>Listens for SIGINT and SIGTERM.</summary>
    /// <param name="terminal">Whose cursor to restore.</param>
    public Interruption(Terminal terminal)
    {
        this.terminal = terminal;
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Cancelled by the first signal received while deferring.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The signal that requested the stop, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit code after a stop: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : App.Interrupted;

    /// <summary>How the signal is named to the user.</summary>
    public string SignalName => Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl+C (SIGINT)";

    /// <summary>Until the result is disposed, a signal requests a stop instead of ending the process.</summary>
    public IDisposable Defer()
    {
        Interlocked.Increment(ref deferring);
        return new Scope(this);
    }

    private void Handle(PosixSignalContext context)
    {
        if (Volatile.Read(ref deferring) > 0 && Signal is null)
        {
            Signal = context.Signal;
            context.Cancel = true;
            source.Cancel();
            return;
        }
        terminal.Restore();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }

    private sealed class Scope(Interruption owner) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) Interlocked.Decrement(ref owner.deferring);
        }
    }
}
