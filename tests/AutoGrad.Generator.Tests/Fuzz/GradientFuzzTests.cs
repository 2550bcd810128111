using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Xunit.Abstractions;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of the mathematics: seeded random losses over the whole grammar go through
/// the generator, and every generated gradient must match central finite differences of the user's
/// own method wherever the loss is smooth; then every generated batch kernel (float and double) must
/// match the user's method and the generated gradient row by row (<see cref="BatchOracle"/>). CI runs
/// <see cref="DefaultCount"/> losses; set <c>AUTOGRAD_FUZZ_COUNT</c> (and <c>AUTOGRAD_FUZZ_SEED</c>) for a
/// longer run, <c>AUTOGRAD_FUZZ_NO_BATCH</c> to check gradients only. A failure is reduced to a
/// minimal loss, printed, and belongs in <see cref="FuzzRegressionTests"/>.
/// </summary>
public sealed class GradientFuzzTests
{
    /// <summary>Losses per CI run.</summary>
    public const int DefaultCount = 2000;

    /// <summary>Seed of the CI run (any other seed is another, equally valid, run).</summary>
    public const int DefaultSeed = 20_250_601;

    /// <summary>Losses per compilation.</summary>
    public const int BatchSize = 160;

    private readonly ITestOutputHelper _output;

    public GradientFuzzTests(ITestOutputHelper output) => _output = output;

    public static int Count => int.TryParse(Environment.GetEnvironmentVariable("AUTOGRAD_FUZZ_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : DefaultCount;

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("AUTOGRAD_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : DefaultSeed;

    [Fact]
    public void Generated_gradients_match_finite_differences_on_random_losses()
    {
        var clock = Stopwatch.StartNew();
        var fuzzer = new LossFuzzer(Seed);
        var losses = Enumerable.Range(0, Count).Select(i => fuzzer.Next("L" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        var totals = GradientOracle.Run(losses, BatchSize, Seed);

        string summary = $"seed {Seed}: {totals.Losses} losses in {totals.Compilations} compilations, {totals.CheckedLosses} checked at " +
                         $"{totals.CheckedPoints} points ({totals.CheckedPartials} partial derivatives), batch kernels of {totals.BatchLosses} on " +
                         $"{totals.Batches} batches ({totals.BatchComparisons} values; worst error / bound {totals.WorstDouble:G2} in double, {totals.WorstFloat:G2} in float), " +
                         $"{totals.Failures.Count} failures, {clock.Elapsed.TotalSeconds:F1} s";
        _output.WriteLine(summary);
        // The loss closest to its float bound: where to look first when a sweep comes near it.
        if (totals.WorstFloatLoss is { } closest) _output.WriteLine("closest to its float bound: " + closest.ToString().Replace("\n", " "));
        if (totals.Failures.Count > 0)
        {
            var report = new StringBuilder(summary).AppendLine();
            foreach (var failure in totals.Failures)
            {
                report.AppendLine("* " + failure.Loss.Name + ": " + failure.Failure!.Split('\n')[0])
                      .AppendLine("    " + failure.Loss.ToString().Replace("\n", " "));
            }
            foreach (var failure in totals.Failures.Take(Environment.GetEnvironmentVariable("AUTOGRAD_FUZZ_NO_SHRINK") is null ? 3 : 0))
            {
                var reduced = Shrinker.Reduce(failure.Loss, Seed);
                report.AppendLine().AppendLine("---- failure: " + failure.Failure)
                      .AppendLine(failure.Loss.ToString())
                      .AppendLine("---- reduced to:")
                      .AppendLine(reduced.Loss.ToString())
                      .AppendLine(reduced.Failure);
            }
            Assert.Fail(report.ToString());
        }
        // Most losses must have had points in their domain, or the fuzzer tests nothing.
        Assert.True(totals.CheckedLosses >= totals.Losses * 0.9, summary);
        Assert.True(GradientOracle.NoBatch || totals.BatchLosses >= totals.Losses * 0.9, summary);
    }
}
