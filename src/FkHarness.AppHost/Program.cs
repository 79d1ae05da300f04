Console.Error.WriteLine("The AppHost is not built yet.");
return 2;
