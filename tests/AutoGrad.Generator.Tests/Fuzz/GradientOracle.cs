using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using AutoGrad.Generator.Tests.Batch;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>What checking one fuzzed loss found.</summary>
/// <param name="Loss">The loss.</param>
/// <param name="CheckedPoints">Points where every partial derivative was compared with finite differences.</param>
/// <param name="Failure">Null when the generator, the generated code and every comparison were right; otherwise what went wrong.</param>
/// <param name="Batches">Batches on which the batch kernels were compared with the scalar loss and gradient (<see cref="BatchOracle"/>).</param>
/// <param name="BatchComparisons">Values (losses and gradient entries) those batches compared.</param>
/// <param name="WorstDouble">The largest error of a double batch output relative to its bound (1 is the bound).</param>
/// <param name="WorstFloat">The same for float.</param>
internal sealed record LossOutcome(FLoss Loss, int CheckedPoints, string? Failure, int Batches = 0, int BatchComparisons = 0, double WorstDouble = 0, double WorstFloat = 0)
{
    public bool Failed => Failure is not null;
}

/// <summary>Totals of a fuzz run.</summary>
internal sealed record FuzzTotals(int Losses, int Compilations, int CheckedLosses, int CheckedPoints, int CheckedPartials, IReadOnlyList<LossOutcome> Failures,
    int BatchLosses, int Batches, int BatchComparisons, double WorstDouble, double WorstFloat, FLoss? WorstFloatLoss = null);

/// <summary>
/// The fuzz oracle: compiles many fuzzed losses through the generator in one compilation, loads the
/// result, and compares every generated gradient with central finite differences (Richardson
/// extrapolated) of the user's own compiled method at seeded points inside the loss's smooth domain;
/// then, for every loss whose gradient passed, its batch kernels with the loss and that gradient
/// (<see cref="BatchOracle"/>).
/// </summary>
internal static class GradientOracle
{
    /// <summary>Points per loss that must pass (fewer when the domain is small).</summary>
    public const int PointsPerLoss = 3;

    /// <summary>Sample attempts per loss before giving up on finding more points in its domain.</summary>
    public const int Attempts = 12;

    private const double RelTol = 1e-5;

    /// <summary><c>AUTOGRAD_FUZZ_NO_BATCH</c> set: check gradients only, not the batch kernels (a quicker run, and the time the kernels take).</summary>
    public static readonly bool NoBatch = Environment.GetEnvironmentVariable("AUTOGRAD_FUZZ_NO_BATCH") is not null;

    /// <summary>Runs every loss, <paramref name="batchSize"/> to a compilation; failures are kept, not thrown.</summary>
    public static FuzzTotals Run(IReadOnlyList<FLoss> losses, int batchSize, int seed)
    {
        var failures = new List<LossOutcome>();
        int compilations = 0, checkedLosses = 0, points = 0, partials = 0, batchLosses = 0, batches = 0, batchComparisons = 0;
        double worstDouble = 0, worstFloat = 0;
        FLoss? worstFloatLoss = null;
        for (int start = 0; start < losses.Count; start += batchSize)
        {
            var batch = losses.Skip(start).Take(batchSize).ToList();
            var outcomes = CheckBatch(batch, "Batch" + (start / batchSize).ToString(CultureInfo.InvariantCulture), seed, ref compilations, ref partials);
            foreach (var o in outcomes)
            {
                if (o.Failed) failures.Add(o);
                else if (o.CheckedPoints > 0) checkedLosses++;
                points += o.CheckedPoints;
                if (o.Batches > 0) batchLosses++;
                batches += o.Batches;
                batchComparisons += o.BatchComparisons;
                if (!o.Failed)
                {
                    worstDouble = Math.Max(worstDouble, o.WorstDouble);
                    if (o.WorstFloat > worstFloat) (worstFloat, worstFloatLoss) = (o.WorstFloat, o.Loss);
                }
            }
        }
        return new FuzzTotals(losses.Count, compilations, checkedLosses, points, partials, failures, batchLosses, batches, batchComparisons, worstDouble, worstFloat, worstFloatLoss);
    }

    /// <summary>
    /// One compilation for the whole batch, with the adapters through which <see cref="BatchOracle"/> calls the batch
    /// kernels. Losses the generator rejects, or whose generated file (or adapter) does not compile, fail and are taken
    /// out; the rest are compiled again and checked numerically: the gradient against finite differences, then the batch
    /// kernels against the loss and the gradient.
    /// </summary>
    public static List<LossOutcome> CheckBatch(IReadOnlyList<FLoss> batch, string className, int seed, ref int compilations, ref int partials, bool sameSeedForAll = false)
    {
        var outcomes = new List<LossOutcome>();
        var remaining = batch.ToList();
        for (int attempt = 0; attempt < 3 && remaining.Count > 0; attempt++)
        {
            var run = NoBatch
                ? GeneratorHarness.Run(FSource.ClassOf(remaining, className))
                : GeneratorHarness.Run(FSource.ClassOf(remaining, className), BatchOracle.AdapterSource(remaining, className));
            compilations++;
            if (run.GeneratorException is { } ex)
            {
                // The driver caught an exception: every loss of the batch is suspect; check them one by one.
                if (remaining.Count == 1)
                {
                    outcomes.Add(new LossOutcome(remaining[0], 0, "the generator threw: " + ex));
                    return outcomes;
                }
                foreach (var loss in remaining)
                {
                    outcomes.AddRange(CheckBatch(new[] { loss }, className, sameSeedForAll ? seed : SeedOf(loss, seed), ref compilations, ref partials, sameSeedForAll: true));
                }
                return outcomes;
            }

            // Emit first: when everything compiles, as it nearly always does, that is the only pass over the generated
            // code (asking the compilation for its diagnostics binds every method body once more).
            var assembly = Clean(run, remaining) ? TryLoad(run) : null;
            var broken = assembly is null ? BrokenLosses(run, remaining, className) : new List<(FLoss Loss, string Why)>();
            if (broken.Count == 0)
            {
                assembly ??= run.Load();
                var type = assembly.FindType("Fuzz." + className);
                var driver = NoBatch ? null : BatchDriver.For(run, remaining.Select(l => BatchOracle.Signature(l, className)).ToList());
                var checkedLosses = new LossOutcome[remaining.Count];
                for (int i = 0; i < remaining.Count; i++)
                {
                    checkedLosses[i] = CheckLoss(type, remaining[i], sameSeedForAll ? seed : SeedOf(remaining[i], seed), PointsPerLoss, ref partials);
                }
                // Most of a batch check is the JIT compiling the loss's kernels (8 instantiations), which runs on the
                // calling thread: use every core. Each loss's check depends only on its seed.
                System.Threading.Tasks.Parallel.For(0, remaining.Count, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    if (checkedLosses[i].Failed || driver is null) return;
                    var kernels = BatchOracle.Check(driver, className, remaining[i], sameSeedForAll ? seed : SeedOf(remaining[i], seed));
                    checkedLosses[i] = checkedLosses[i] with
                    {
                        Failure = kernels.Failure, Batches = kernels.Batches, BatchComparisons = kernels.Comparisons,
                        WorstDouble = kernels.WorstDouble, WorstFloat = kernels.WorstFloat,
                    };
                });
                outcomes.AddRange(checkedLosses);
                return outcomes;
            }
            foreach (var (loss, why) in broken)
            {
                outcomes.Add(new LossOutcome(loss, 0, why));
                remaining.Remove(loss);
            }
        }
        return outcomes;
    }

    /// <summary>No generator diagnostic but AG0006, and a file generated for every loss.</summary>
    private static bool Clean(GeneratorRun run, List<FLoss> losses) =>
        run.GeneratorDiagnostics.All(d => d.Id == "AG0006")
        && losses.All(l => run.GeneratedSources.Keys.Any(k => k.EndsWith("." + l.Name + ".g.cs", StringComparison.Ordinal)));

    /// <summary>The compiled and loaded output, or null when it does not compile (<see cref="GeneratorRun.Load"/> fails the test then).</summary>
    private static Assembly? TryLoad(GeneratorRun run)
    {
        try
        {
            return run.Load();
        }
        catch (Xunit.Sdk.XunitException)
        {
            return null;
        }
    }

    /// <summary>The seed of a loss's sample points: its name and the run's seed (stable across processes).</summary>
    public static int SeedOf(FLoss loss, int seed)
    {
        int h = seed;
        foreach (char c in loss.Name) h = unchecked(h * 31 + c);
        return h & 0x7fffffff;
    }

    /// <summary>Losses with a generator diagnostic other than AG0006, or a compile error in their generated file or their own body.</summary>
    private static List<(FLoss Loss, string Why)> BrokenLosses(GeneratorRun run, List<FLoss> losses, string className)
    {
        var byName = losses.ToDictionary(l => l.Name);
        var broken = new Dictionary<FLoss, List<string>>();
        void Add(FLoss loss, string why)
        {
            if (!broken.TryGetValue(loss, out var list)) broken[loss] = list = new List<string>();
            list.Add(why);
        }

        foreach (var d in run.GeneratorDiagnostics.Where(d => d.Id != "AG0006"))
        {
            var loss = LossAt(d, losses, run) ?? losses[0];
            Add(loss, "generator: " + GeneratorRun.Describe(d));
        }
        foreach (var d in run.CompilationErrors)
        {
            var path = d.Location.SourceTree?.FilePath ?? "";
            if (path == GeneratorHarness.SourcePath(1))
            {
                // The batch adapter: its call of the loss's kernels does not compile, so they are not what API.md §3.2 says.
                var adapter = AdapterMethodAt(d);
                var called = adapter is null ? null : BatchOracle.LossOfAdapter(adapter, className);
                if (called is null || !byName.TryGetValue(called, out var calledLoss)) throw new InvalidOperationException("A compile error in the batch adapter outside every fuzzed loss's methods: " + GeneratorRun.Describe(d));
                Add(calledLoss, "generated code does not compile: the batch adapter's call of the kernels: " + GeneratorRun.Describe(d) + "\n" + d.Location.SourceTree!.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start).ToString().Trim());
                continue;
            }
            // Generated files are named Fuzz.<Class>.<Loss>.g.cs.
            var name = System.IO.Path.GetFileName(path).Replace("Fuzz." + className + ".", "").Replace(".g.cs", "");
            var loss = byName.TryGetValue(name, out var l) ? l : LossAt(d, losses, run);
            if (loss is null) throw new InvalidOperationException("A compile error outside every fuzzed loss (the fuzzer printed invalid C#?): " + GeneratorRun.Describe(d));
            bool generated = byName.ContainsKey(name);
            if (!generated) throw new InvalidOperationException("The fuzzer printed invalid C#: " + GeneratorRun.Describe(d) + "\n" + loss);
            Add(loss, "generated code does not compile: " + GeneratorRun.Describe(d) + "\n" + run.GeneratedText(System.IO.Path.GetFileName(path)));
        }
        foreach (var loss in losses)
        {
            if (!broken.ContainsKey(loss) && !run.GeneratedSources.Keys.Any(k => k.EndsWith("." + loss.Name + ".g.cs", StringComparison.Ordinal)))
            {
                Add(loss, "nothing was generated");
            }
        }
        return broken.Select(kv => (kv.Key, string.Join("\n", kv.Value))).ToList();
    }

    /// <summary>The name of the method that contains the diagnostic's location.</summary>
    private static string? AdapterMethodAt(Diagnostic d)
    {
        var node = d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan);
        return node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText;
    }

    /// <summary>The loss whose method contains the diagnostic's location.</summary>
    private static FLoss? LossAt(Diagnostic d, List<FLoss> losses, GeneratorRun run)
    {
        if (!d.Location.IsInSource) return null;
        var root = d.Location.SourceTree!.GetRoot();
        var node = root.FindNode(d.Location.SourceSpan);
        var method = node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().FirstOrDefault();
        return method is null ? null : losses.FirstOrDefault(l => l.Name == method.Identifier.ValueText);
    }

    /// <summary>Compares the generated gradient with finite differences at up to <paramref name="wanted"/> points of the loss's domain.</summary>
    public static LossOutcome CheckLoss(Type type, FLoss loss, int seed, int wanted, ref int partials)
    {
        var lossMethod = type.GetMethod(loss.Name, BindingFlags.Public | BindingFlags.Static)!;
        var gradientMethod = type.GetMethod(loss.Name + "Gradient", BindingFlags.Public | BindingFlags.Static);
        if (gradientMethod is null) return new LossOutcome(loss, 0, "no " + loss.Name + "Gradient was generated");

        var points = new SeededPoints(seed);
        var parameters = loss.Parameters;
        var differentiated = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].Role == FRole.Differentiated).ToList();
        int good = 0;
        for (int attempt = 0; attempt < Attempts && good < wanted; attempt++)
        {
            int classes = points.Int(2, 6);
            var x = parameters.Select(p => Sample(points, p, classes)).ToArray();
            var (expected, valid, signature) = FEvaluator.Evaluate(loss, Named(parameters, x), classes);
            if (!valid) continue;

            double value;
            object? gradient;
            try
            {
                value = Call(lossMethod, parameters, x);
                gradient = gradientMethod.Invoke(null, BindingFlags.DoNotWrapExceptions, null, Boxed(parameters, x), CultureInfo.InvariantCulture);
            }
            catch (Exception ex)
            {
                return new LossOutcome(loss, good, $"calling the loss or its gradient threw at {Describe(parameters, x)}: {ex.GetType().Name}: {ex.Message}");
            }
            if (!FiniteDifference.IsClose(value, expected, 1e-9, 1e-12))
            {
                throw new InvalidOperationException($"The fuzz evaluator disagrees with the compiled loss ({expected} against {value}) at {Describe(parameters, x)}: fix the fuzzer.\n{loss}");
            }

            var analytic = Components(gradient, differentiated.Count);
            bool pointOk = true;
            var comparisons = new List<(string What, double Analytic, double Numeric, double AbsTol)>();
            for (int k = 0; k < differentiated.Count && pointOk; k++)
            {
                int i = differentiated[k];
                var p = parameters[i];
                int length = p.IsVec ? classes : 1;
                if (analytic[k].Length != length)
                {
                    return new LossOutcome(loss, good, $"∂L/∂{p.Name} has {analytic[k].Length} entries, not {length}, at {Describe(parameters, x)}");
                }
                for (int j = 0; j < length && pointOk; j++)
                {
                    double center = x[i][j];
                    var stencil = new List<double>();
                    double F(double xi)
                    {
                        stencil.Add(xi);
                        var moved = (double[][])x.Clone();
                        moved[i] = (double[])x[i].Clone();
                        moved[i][j] = xi;
                        return Call(lossMethod, parameters, moved);
                    }
                    bool SameBranch(double xi)
                    {
                        var moved = (double[][])x.Clone();
                        moved[i] = (double[])x[i].Clone();
                        moved[i][j] = xi;
                        var (_, ok, sig) = FEvaluator.Evaluate(loss, Named(parameters, moved), classes);
                        return ok && sig.AsSpan().SequenceEqual(signature);
                    }

                    double richardson = FiniteDifference.Richardson(F, center);
                    double central = FiniteDifference.Central(F, center);
                    // Every point the differences evaluated must lie on the center's side of every kink, inside the domain.
                    if (!stencil.All(SameBranch))
                    {
                        pointOk = false;
                        break;
                    }
                    double scale = 1 + Math.Abs(value);
                    if (!FiniteDifference.IsClose(richardson, central, 1e-4, 1e-6 * scale))
                    {
                        pointOk = false; // too curved here for finite differences to be an oracle
                        break;
                    }
                    // The two estimates' spread measures the differences' own error; the tolerance grants it.
                    comparisons.Add(($"∂L/∂{p.Name}{(p.IsVec ? "[" + j + "]" : "")}", analytic[k][j], richardson, 1e-8 * scale + 1e-7 + 4 * Math.Abs(richardson - central)));
                }
            }
            if (!pointOk) continue;
            foreach (var (what, a, n, absTol) in comparisons)
            {
                partials++;
                if (!FiniteDifference.IsClose(a, n, RelTol, absTol))
                {
                    return new LossOutcome(loss, good,
                        $"{what} = {a.ToString("R", CultureInfo.InvariantCulture)} generated, {n.ToString("R", CultureInfo.InvariantCulture)} by finite differences, at {Describe(parameters, x)} (L = {value.ToString("R", CultureInfo.InvariantCulture)})");
                }
            }
            good++;
        }
        return new LossOutcome(loss, good, null);
    }

    /// <summary>A value of parameter <paramref name="p"/> (a Vec: <paramref name="classes"/> values) from its domain.</summary>
    internal static double[] Sample(SeededPoints points, FParam p, int classes) => (p.Role, p.IsVec) switch
    {
        (FRole.Differentiated, false) => new[] { points.Double(-2, 2) },
        (FRole.Differentiated, true) => points.Vector(classes, -2, 2),
        (FRole.Target, false) => new[] { points.Double(0, 1) },
        (FRole.Target, true) => p.SumsToOne ? points.SoftTarget(classes) : points.Vector(classes, 0, 1),
        (FRole.Constant, false) => new[] { p.Name == "c" ? points.Double(0.5, 2) : points.Double(-2, 2) },
        _ => points.Vector(classes, -2, 2),
    };

    private static Dictionary<string, double[]> Named(IReadOnlyList<FParam> parameters, double[][] x)
    {
        var map = new Dictionary<string, double[]>();
        for (int i = 0; i < parameters.Count; i++) map[parameters[i].Name] = x[i];
        return map;
    }

    private static object?[] Boxed(IReadOnlyList<FParam> parameters, double[][] x) =>
        parameters.Select((p, i) => p.IsVec ? (object)(Vec)x[i] : x[i][0]).ToArray();

    private static double Call(MethodInfo method, IReadOnlyList<FParam> parameters, double[][] x) =>
        (double)method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, Boxed(parameters, x), CultureInfo.InvariantCulture)!;

    private static double[][] Components(object? gradient, int count)
    {
        static double[] One(object? o) => o switch
        {
            double d => new[] { d },
            Vec v => v.ToArray(),
            _ => throw new InvalidOperationException("unexpected gradient component " + o?.GetType()),
        };
        if (count == 1) return new[] { One(gradient) };
        var tuple = (ITuple)gradient!;
        return Enumerable.Range(0, tuple.Length).Select(i => One(tuple[i])).ToArray();
    }

    public static string Describe(IReadOnlyList<FParam> parameters, double[][] x) =>
        "(" + string.Join(", ", parameters.Select((p, i) => p.Name + " = " + (p.IsVec
            ? "[" + string.Join(", ", x[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]"
            : x[i][0].ToString("R", CultureInfo.InvariantCulture)))) + ")";
}
