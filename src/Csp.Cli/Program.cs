using Csp.Cli;

return CspCommand.Run(args, Console.Out, Console.Error);
