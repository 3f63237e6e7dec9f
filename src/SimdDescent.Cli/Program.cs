using SimdDescent.Cli;
using SimdDescent.Cli.Output;

var console = TerminalConsole.Create(Console.Out, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("TERM"), Environment.GetEnvironmentVariable("NO_COLOR"));
return CliApp.Run(args, console, Console.Out, Console.Error);
