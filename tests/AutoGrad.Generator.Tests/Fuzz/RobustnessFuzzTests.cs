using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoGrad.Generator.Tests.EndToEnd;
using AutoGrad.Generator.Tests.GradientOf;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// Robustness fuzzing: valid loss files, broken the way an editor breaks them while someone types
/// (<see cref="SourceMangler"/>), go through the generator as the IDE runs it, one driver kept
/// across edits. Whatever the input, the generator must not throw, must not report AG9999 (an
/// internal failure is a bug, never the user's fault), must report only AG diagnostics, and when the
/// mangled input still compiles, what it generates must compile too.
/// </summary>
public sealed class RobustnessFuzzTests
{
    /// <summary>Mangled sources per CI run; <c>AUTOGRAD_FUZZ_COUNT</c> scales it (one mangled source per two fuzzed losses).</summary>
    public static int Count => Math.Max(1600, GradientFuzzTests.Count * 4 / 5);

    private const int EditsPerChain = 40;

    private readonly ITestOutputHelper _output;

    public RobustnessFuzzTests(ITestOutputHelper output) => _output = output;

    private static IReadOnlyList<string> Seeds()
    {
        var fuzzer = new LossFuzzer(GradientFuzzTests.Seed + 1) { MaxNodes = 14 };
        var fuzzed = Enumerable.Range(0, 4).Select(k =>
            FSource.ClassOf(Enumerable.Range(0, 5).Select(i => fuzzer.Next("F" + i.ToString(CultureInfo.InvariantCulture))), "Mangled" + k.ToString(CultureInfo.InvariantCulture)));
        return new[]
        {
            ScalarLosses.Source,
            VectorLosses.Source,
            GradientOfSources.With("""
                [GradientOf(nameof(BinaryCrossEntropy))]
                public static double BinaryCrossEntropyByHand(double z, double y) => Sigmoid(z) - y;

                [GradientOf(nameof(Neuron), "w")]
                public static double NeuronByHand(double w, double b, double x, double y) => x * (Sigmoid(w * x + b) - y);
                """),
        }.Concat(fuzzed).ToList();
    }

    [Fact]
    public void Mangled_sources_never_crash_the_generator()
    {
        var clock = Stopwatch.StartNew();
        var seeds = Seeds();
        var mangler = new SourceMangler(GradientFuzzTests.Seed);
        var problems = new List<string>();
        int runs = 0, compilingInputs = 0, withErrors = 0;
        var diagnosticIds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var slowest = TimeSpan.Zero;

        for (int chain = 0; runs < Count; chain++)
        {
            string original = seeds[chain % seeds.Count];
            var run = GeneratorHarness.Run(original);
            string current = original;
            for (int edit = 0; edit < EditsPerChain && runs < Count; edit++)
            {
                // Half the time keep typing into the broken file, half the time break the valid one afresh.
                current = mangler.Mangle(edit % 2 == 1 ? original : current);
                var timer = Stopwatch.StartNew();
                run = run.RunAgain(GeneratorHarness.ReplaceSource(GeneratorHarness.SourcePath(0), current));
                if (timer.Elapsed > slowest) slowest = timer.Elapsed;
                runs++;

                var trouble = Check(run, out bool inputCompiles);
                // Every eighth edit, the driver carried along must give what a run from scratch gives.
                if (trouble is null && edit % 8 == 7 && run.OutputDifference(GeneratorHarness.RunFromScratch(run.InputCompilation)) is { } difference)
                {
                    trouble = "the incremental output differs from a run from scratch: " + difference;
                }
                if (inputCompiles) compilingInputs++;
                if (run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) withErrors++;
                foreach (var d in run.GeneratorDiagnostics) diagnosticIds[d.Id] = diagnosticIds.GetValueOrDefault(d.Id) + 1;
                if (trouble is not null && problems.Count < 10)
                {
                    problems.Add(trouble + "\n---- source:\n" + current + "\n---- generated:\n" + run.DumpGenerated());
                }
                if (trouble is not null) run = GeneratorHarness.Run(original); // do not carry a broken driver along
            }
        }

        string summary = $"{runs} mangled sources ({compilingInputs} still compiled, {withErrors} with AG errors), " +
                         $"diagnostics [{string.Join(", ", diagnosticIds.Select(kv => kv.Key + " x" + kv.Value))}], " +
                         $"slowest generator run {slowest.TotalMilliseconds:F0} ms, {problems.Count} problems, {clock.Elapsed.TotalSeconds:F1} s";
        _output.WriteLine(summary);
        Assert.True(problems.Count == 0, summary + "\n\n" + string.Join("\n\n========\n\n", problems));
        Assert.True(slowest < TimeSpan.FromSeconds(5), summary);
    }

    /// <summary>Inputs that once crashed generators of this kind, or look as if they could.</summary>
    [Theory]
    [InlineData("[Loss] public static double M(double z) => z * z; [Loss] public static double M(double z, double w) => z * w;")]
    [InlineData("[Loss] public static double M(double z) => z * z; [Loss] public static double M(double z) => z;")]
    [InlineData("[Loss] public static partial double M(double z);")]
    [InlineData("[Loss] public static extern double M(double z);")]
    [InlineData("[Loss] public static double M(double z = 1) => z * z;")]
    [InlineData("[Loss] public static double M(double z, double z) => z * z;")]
    [InlineData("[Loss] public static double M(double z) => M(z);")]
    [InlineData("[Loss] public static double M(double z) => z * 1e400 + 1 / 0.0 * z + Log(0) * z;")]
    [InlineData("[Loss] public static double M(double z) { var a = z; var a = 2 * z; return a; }")]
    [InlineData("[Loss] public static double M(double z) { var a = a; return a; }")]
    [InlineData("[Loss] public static double M(double z) => Pow(z, 0) + Pow(0, z) + Pow(z, z);")]
    [InlineData("[Loss] [Loss] public static double M(double z) => z;")]
    [InlineData("[Loss] public static double M(Vec z) => z.Length * Sum(z);")]
    [InlineData("[Loss] public static double M(double @double, double @in) => @double * @in;")]
    [InlineData("[Loss] public static double M(double z) => (double)(float)z + (int)z;")]
    [InlineData("[Loss] public static double M(double z) => ('c') * z + (char)65 * z;")]
    [InlineData("[Loss] public static double M() => 1;")]
    [InlineData("[Loss] public static double M(Vec z, double n) => Sum(z) * n;")]
    [InlineData("[Loss] public static double M(double z) => z - z;")]
    [InlineData("[Loss] public static double M(double z) => Sum(z);")]
    [InlineData("[Loss] public static double M(Vec z) => Softmax(z);")]
    [InlineData("[Loss] public static double M(double z) => (z > 0 ? z : -z) + (z > 0 && z < 1 || !(z == 2) ? z : 0);")]
    [InlineData("[Loss] public static double M(double z) => ((((((((((((((((((((((((((((((z))))))))))))))))))))))))))))));")]
    [InlineData("[Loss] public static double M(double z) => Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(Exp(z))))))))))))))));")]
    [InlineData("[Loss] public static double M(double a, double b, double c, double d) => (a + b + c + d) * (a - b + c - d) * (a + b - c - d) * (a - b - c + d) * (a + 2 * b) * (c + 3 * d);")]
    [InlineData("[Loss(] public static double M(double z) => z;")]
    [InlineData("[Loss] public static double M(double z) =>")]
    [InlineData("[Loss] public static double")]
    [InlineData("[Loss]")]
    // Half-typed generic name, read as an explicit implementation of CrossEntropyOnProba<>.bility: the method's name held
    // '<', which Roslyn refuses in a hint name (a 10,000-loss robustness run, seed 9).
    [InlineData("[Loss] public static double CrossEntropyOnProba<.bility(double a, [Target] double y) => -(y * Log(a) + (1 - y) * Log(1 - a));")]
    [InlineData("[Loss] static double I<int>.M(double z) => z * z;")]
    // A [GradientOf] for a loss with nothing to differentiate (every parameter a target) threw in the comparer: AG9999
    // (a 10,000-loss robustness run, seed 13).
    [InlineData("[Loss] public static double M([Target(SumsToOne = true)] double z, [Target] double y) => z * y; [GradientOf(nameof(M))] public static double H(double z, double y) => y;")]
    [InlineData("[Loss] public static double M([Target] double y) => y * y; [GradientOf(nameof(M))] public static double H(double y) => 2 * y;")]
    public void Odd_inputs_never_crash_the_generator(string members)
    {
        var run = GeneratorHarness.Run("using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n\npublic static partial class L\n{\n    " + members + "\n}\n");
        Assert.Null(Check(run, out _));
    }

    /// <summary>
    /// A namespace and a type of the same name (CS0101) give two losses the same file name; Roslyn refuses a hint name
    /// used twice, so one file is left out, and the generator does not throw.
    /// </summary>
    [Fact]
    public void Losses_whose_file_names_collide_do_not_crash_the_generator()
    {
        var run = GeneratorHarness.Run("""
            using AutoGrad;
            using static AutoGrad.Fn;
            namespace A { public static partial class B { [Loss] public static double M(double z) => z * z; } }
            public static partial class A { public static partial class B { [Loss] public static double M(double z) => z * z * z; } }
            """);
        var problem = Check(run, out _);
        Assert.True(problem is null, problem);
        Assert.Contains(run.InputCompilation.GetDiagnostics(), d => d.Id == "CS0101");
        Assert.Equal(new[] { "A+B.M.g.cs", "A.B.M.g.cs" }, run.GeneratedSources.Keys.Select(System.IO.Path.GetFileName).OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void Deeply_nested_expressions_are_reported_not_overflowed()
    {
        string deep = string.Concat(Enumerable.Repeat("Exp(", 3000)) + "z" + new string(')', 3000);
        var run = GeneratorHarness.Run("using AutoGrad;\nusing static AutoGrad.Fn;\npublic static partial class L { [Loss] public static double M(double z) => " + deep + "; }");
        Assert.Null(Check(run, out _));
    }

    /// <summary>What is wrong with one run, or null; <paramref name="inputCompiles"/> when the mangled input had no errors.</summary>
    private static string? Check(GeneratorRun run, out bool inputCompiles)
    {
        inputCompiles = false;
        if (run.GeneratorException is { } ex) return "the generator threw: " + ex;
        var bad = run.GeneratorDiagnostics.Where(d => d.Id is "AG9999" or "CS8784" or "CS8785" || !d.Id.StartsWith("AG", StringComparison.Ordinal)).ToList();
        if (bad.Count > 0) return "generator reported: " + string.Join("\n", bad.Select(GeneratorRun.Describe));

        // Only a syntactically valid input can compile; binding is paid for those alone.
        var tree = run.InputCompilation.SyntaxTrees.Single();
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) return null;
        inputCompiles = !run.InputCompilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        if (!inputCompiles || run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) return null;
        var errors = run.CompilationErrors;
        return errors.Length == 0 ? null : "the input compiles but the generated code does not:\n" + string.Join("\n", errors.Select(GeneratorRun.Describe));
    }
}
