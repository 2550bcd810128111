using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using AutoGrad.Samples.FashionMnist;
using AutoGrad.Samples.Sections;

namespace AutoGrad.Samples;

/// <summary>
/// The sample's command line.
/// <code>
/// dotnet run --project samples/AutoGrad.Samples                          # sections 1-4, no download
/// dotnet run --project samples/AutoGrad.Samples -- --out DIR             # the same, the plot written to DIR
/// dotnet run --project samples/AutoGrad.Samples -- fashion-mnist [DIR]   # train on Fashion-MNIST
/// </code>
/// </summary>
public static class SampleProgram
{
    public const string Usage = """
        Usage:
          AutoGrad.Samples [--out DIR]
              The derivations, the worked example, the learning-slowdown experiment (the plot is
              written to DIR/learning-slowdown.svg) and derived against hand-written gradients.
          AutoGrad.Samples fashion-mnist [DIR] [--model logistic|mlp|both] [--epochs N]
                                               [--batch N] [--learning-rate X] [--seed N]
                                               [--per-example]
              Softmax regression and a one-hidden-layer network on Fashion-MNIST, read from DIR
              (default /usr/share/datasets/fashion-mnist, from the Debian package dataset-fashion-mnist).
              The loss's gradient comes from the generated batch kernel, or with --per-example from the
              generated one-example gradient.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
            {
                output.WriteLine(Usage);
                return 0;
            }
            if (args.Length > 0 && args[0] == "fashion-mnist")
            {
                return FashionMnistCommand.Run(args.Skip(1).ToArray(), output, error);
            }

            string outDir = DefaultOutputDirectory();
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--out" && i + 1 < args.Length) outDir = args[++i];
                else
                {
                    error.WriteLine($"Unknown argument '{args[i]}'.");
                    error.WriteLine(Usage);
                    return 2;
                }
            }
            RunDefault(output, outDir);
            return 0;
        }
        catch (SampleException ex)
        {
            error.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>Sections 1 to 4; the plot goes to <paramref name="outputDirectory"/>/learning-slowdown.svg.</summary>
    public static void RunDefault(TextWriter output, string outputDirectory)
    {
        var clock = Stopwatch.StartNew();
        output.WriteLine("AutoGrad samples: gradients derived at compile time from the losses in SeedLosses.cs");
        output.WriteLine("=====================================================================================");
        Derivations.Run(output);
        WorkedExample.Run(output);
        LearningSlowdown.Run(output, Path.Combine(outputDirectory, "learning-slowdown.svg"));
        HandWritten.Run(output);
        output.WriteLine();
        output.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s. Next: dotnet run --project samples/AutoGrad.Samples -- fashion-mnist");
    }

    /// <summary>This project's out/ directory when it was built from source here, else ./out.</summary>
    public static string DefaultOutputDirectory() =>
        ProjectDirectory is { } project ? Path.Combine(project, "out") : Path.Combine(Environment.CurrentDirectory, "out");

    /// <summary>The directory of AutoGrad.Samples.csproj this assembly was built from, if it still exists.</summary>
    public static string? ProjectDirectory
    {
        get
        {
            var project = typeof(SampleProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "AutoGrad.Samples.ProjectDirectory")?.Value;
            return project is not null && Directory.Exists(project) ? project : null;
        }
    }
}

/// <summary>A failure to report in one line, without a stack trace (missing data, bad arguments).</summary>
public sealed class SampleException(string message) : Exception(message);
