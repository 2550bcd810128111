System.Console.WriteLine("AutoGrad samples");
