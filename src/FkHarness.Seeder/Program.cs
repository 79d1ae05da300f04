Console.Error.WriteLine("The seeder is not built yet (issue: Seeder).");
return 2;
