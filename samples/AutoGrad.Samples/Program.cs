using System;
using AutoGrad.Samples;

return SampleProgram.Run(args, Console.Out, Console.Error);
