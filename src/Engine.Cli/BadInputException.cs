namespace Engine.Cli;

/// <summary>
/// The user's input is wrong: an option, an argument or a file. The message names the option as typed (<c>--lr</c>) or the
/// file and the position, says what was expected and what was found; <c>nn</c> prints it as one <c>error:</c> line and exits 2.
/// </summary>
/// <param name="message">The complete message.</param>
/// <param name="inner">The engine's exception it translates, if any.</param>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner);
