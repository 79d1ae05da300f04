Console.Error.WriteLine("The migrator is not built yet (issue: Foundation).");
return 2;
