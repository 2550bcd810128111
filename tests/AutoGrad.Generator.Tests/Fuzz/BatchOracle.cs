using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using AutoGrad.Generator.Tests.Batch;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// The batch half of the fuzz oracle: for a loss whose gradient passed, the generated batch kernels
/// (<c>MForward</c> reduced under Mean and Sum and per example, <c>MBackward</c>, <c>MForwardBackward</c>, float and
/// double) must agree row by row with the user's method and the generated scalar <c>MGradient</c>
/// (<see cref="BatchCheck"/>), on rows drawn as <see cref="GradientOracle"/> draws its points and kept only inside the
/// loss's domain (<see cref="FEvaluator"/>). The kernels are called through <see cref="BatchDriver"/>'s adapters,
/// compiled in the same compilation as the fuzzed losses.
/// </summary>
internal static class BatchOracle
{
    /// <summary>Batch lengths of a scalar loss: one example (only the partial last vector), 7 and 9 (full vectors and a tail).</summary>
    public static readonly int[] Lengths = { 1, 7, 9 };

    /// <summary>Rows of a vector loss, for every class count.</summary>
    public const int VecRows = 3;

    /// <summary>Class counts every vector loss runs with (below a vector, and a Vector256 of floats and a partial one); a third is drawn from 2..20.</summary>
    public static readonly int[] ClassCounts = { 3, 11 };

    /// <summary>
    /// Rows are kept this far (relative) from every kink (<see cref="FEvaluator"/>): a float kernel decides a branch from
    /// float intermediates, each off by several float roundings.
    /// </summary>
    public const double KinkMargin = 1e-4;

    /// <summary>Draws per row wanted before the oracle settles for fewer (repeating the ones it found).</summary>
    private const int DrawsPerRow = 3;

    /// <summary>The loss as <see cref="BatchDriver"/> reads a [Loss] method.</summary>
    public static LossSignature Signature(FLoss loss, string className) =>
        new("Fuzz." + className, loss.Name,
            loss.Parameters.Select(p => new LossParameter(p.Name, p.IsVec, p.Role == FRole.Target, p.Role == FRole.Constant)).ToList());

    /// <summary>The adapter class through which the kernels of <paramref name="losses"/> are called.</summary>
    public static string AdapterSource(IEnumerable<FLoss> losses, string className)
    {
        var list = losses.ToList();
        string source = BatchDriver.AdapterSource(list.Select(l => Signature(l, className)).ToList());
        if (Sabotage.Value is { } sabotaged)
        {
            foreach (var loss in list.Where(sabotaged))
            {
                // public static double <adapter>(object[] a, int classes, int reduction) => <call>;
                string adapter = Signature(loss, className).Adapter("Forward", isFloat: false);
                source = Regex.Replace(source, "(" + adapter + @"\(.*\) => )(.*);", "$1($2) * (1 + 1e-9);");
            }
        }
        return source;
    }

    /// <summary>
    /// For the oracle's own tests (<see cref="BatchOracleTests"/>): the losses whose double <c>MForward</c> (reduced) the
    /// adapter makes wrong by one part in 10^9, as a kernel bug would.
    /// </summary>
    internal static readonly AsyncLocal<Func<FLoss, bool>?> Sabotage = new();

    /// <summary>The loss an adapter method (<see cref="LossSignature.Adapter"/>) calls, from its name.</summary>
    public static string? LossOfAdapter(string adapterMethod, string className)
    {
        string prefix = "Fuzz_" + className + "_";
        if (!adapterMethod.StartsWith(prefix, StringComparison.Ordinal)) return null;
        string rest = adapterMethod.Substring(prefix.Length);
        int end = rest.IndexOf('_', StringComparison.Ordinal);
        return end < 0 ? null : rest.Substring(0, end);
    }

    /// <summary>
    /// What checking one loss's kernels found: batches and values compared, the first mismatch (or null), and the largest
    /// error of a comparison relative to its bound, per type (how close the tolerances are to what the kernels need).
    /// </summary>
    public readonly record struct Result(int Batches, int Comparisons, string? Failure, double WorstDouble, double WorstFloat);

    /// <summary>Checks the kernels of <paramref name="loss"/> on seeded batches of its domain; the first mismatch is the failure.</summary>
    public static Result Check(BatchDriver driver, string className, FLoss loss, int seed)
    {
        var signature = Signature(loss, className);
        var check = new BatchCheck(driver, signature);
        var points = new SeededPoints(unchecked(seed * 31 + 0x0BA7C4));
        var parameters = loss.Parameters;
        bool isVec = parameters.Any(p => p.IsVec);

        var shapes = new List<(int Rows, int Classes)>();
        if (isVec)
        {
            foreach (int c in ClassCounts.Append(points.Int(2, 21))) shapes.Add((VecRows, c));
        }
        else
        {
            shapes.Add((Lengths.Max(), 1));
        }

        int batches = 0, comparisons = 0;
        double worstDouble = 0, worstFloat = 0;
        Result Outcome(string? failure) => new(batches, comparisons, failure, worstDouble, worstFloat);
        double[]?[] constants = new double[]?[parameters.Count];
        foreach (var (rowsWanted, classes) in shapes)
        {
            var rows = DrawRows(loss, points, classes, rowsWanted, constants);
            if (rows.Count == 0) continue;
            foreach (int n in isVec ? new[] { rowsWanted } : Lengths)
            {
                var values = Layout(parameters, rows.Select(r => r.Values).ToList(), n, constants);
                var batchRows = Enumerable.Range(0, n).Select(r => rows[r % rows.Count]).ToList();
                foreach (bool isFloat in new[] { false, true })
                {
                    string type = isFloat ? "float" : "double";
                    string label = isVec ? $"{n} × {classes}" : $"n = {n}";
                    string? nonFinite = null;
                    double worst = 0;
                    BatchComparison? Compare(bool allowRounding)
                    {
                        worst = 0;
                        return check.Compare(isFloat, values, n, classes, label, Tolerance(isFloat, batchRows, allowRounding), c =>
                        {
                            comparisons++;
                            if (nonFinite is null && !double.IsFinite(c.Expected))
                            {
                                nonFinite = $"the scalar reference is not finite inside the domain: {c.What.Replace(" " + type + " ", " ")} = {c.Expected.ToString("R", CultureInfo.InvariantCulture)}";
                            }
                            worst = Math.Max(worst, c.Error / c.Bound);
                        });
                    }
                    BatchComparison? mismatch;
                    try
                    {
                        // The rounding analysis of the rows is needed only where the relative bound is exceeded, or
                        // nearly: then the worst error is reported against the bound the oracle actually holds it to.
                        mismatch = Compare(allowRounding: false);
                        if ((mismatch is not null || worst > NearBound) && nonFinite is null) mismatch = Compare(allowRounding: true);
                    }
                    catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                    {
                        return Outcome(
                            $"batch {type}: a batch method threw on {n} rows{(isVec ? " × " + classes + " classes" : "")}: {ex.GetType().Name}: {ex.Message}\n{Rows(parameters, values, n, classes, -1)}");
                    }
                    if (isFloat) worstFloat = Math.Max(worstFloat, worst);
                    else worstDouble = Math.Max(worstDouble, worst);
                    batches++;
                    if (nonFinite is not null)
                    {
                        return Outcome("batch reference: " + nonFinite + "\n" + Rows(parameters, values, n, classes, -1));
                    }
                    if (mismatch is { } m)
                    {
                        return Outcome($"batch {type}: {m}\n{Rows(parameters, values, n, classes, m.Row)}");
                    }
                }
            }
        }
        return Outcome(null);
    }

    /// <summary>
    /// The tolerance. An output may be off by tol · size, tol = <see cref="DoubleTolerance"/> or
    /// <see cref="FloatTolerance"/>: the size of an example's loss is the largest of |ℓᵢ|, M and (in float) 1, where M is
    /// the largest |v| of the values v the user's loss computes on the way to ℓᵢ (<see cref="FEvaluator"/>); the size of
    /// a gradient entry is the largest of the example's |∂| over every differentiated parameter, M and (in float) 1; the
    /// reduced loss is judged against the sum of the examples' sizes (/N under Mean, as the gradients). Or, where that is
    /// larger, by <see cref="RoundingFactor"/> times the first-order bound of the rounding error of the loss as written
    /// (and of its forward-mode derivatives) in the kernel's precision (<see cref="FRounding"/>).
    /// </summary>
    /// <remarks>
    /// Why: the kernels compute the loss the generator rewrote (simplified, stabilized, with fused multiply-adds and
    /// VectorMath's exponentials and logarithms) and the reference is another computation of the same function, so a
    /// correct kernel differs from it by rounding. Each operation commits an error of up to u·|v| (u = 2^-53 ≈ 1.1e-16 in
    /// double; 2^-24 ≈ 6e-8 in float, in which a float kernel computes throughout), carried to the result with a gain
    /// that is of order one for most of what the fuzzer draws: through an exponential an absolute error δ of the argument
    /// becomes a relative error δ, up to 14u since values inside the domain stay within 10^6. So tol · size, with M
    /// keeping cancelling terms fair (0.25·Square(Math.Log(Exp(y)) − y) is 4.7e-34 in the user's method and 0 in the
    /// kernel, which simplifies Log(Exp(y)) to y): 1e-12 is 9000u in double, 1e-5 is 170u in float. Where a loss is
    /// ill-conditioned the gain is not of order one, and the first-order bound says by how much: Log1P(-Sigmoid(w)) near
    /// the domain's edge (1 − σ(w) ≈ 1e-3 from a σ(w) rounded near 1: 10^3), or ∂/∂n of Softmax(h − b / n), which is 0
    /// but summed from terms of size |b / n²| (a 20,000-loss run found both exceeding 1e-5 in float). The bound holds for
    /// a float evaluation of the loss as written (BatchOracleTests, up to 0.9 of it); the factor 8 covers the kernels'
    /// different formulas and VectorMath's few-ulp functions. A kernel one part in 10^9 off is still caught
    /// (<see cref="BatchOracleTests"/>).
    /// </remarks>
    private static BatchTolerance Tolerance(bool isFloat, List<Row> rows, bool allowRounding) =>
        new(isFloat ? FloatTolerance : DoubleTolerance, isFloat ? 1 : 0, ShareGradientScale: true, RowFloors: rows.Select(r => r.Magnitude).ToList())
        {
            LossErrors = allowRounding ? rows.Select(r => r.Rounding.Value.Loss).ToList() : null,
            GradientErrors = allowRounding ? rows.Select(r => r.Rounding.Value.Gradient).ToList() : null,
            ErrorUnit = RoundingFactor * (isFloat ? FloatRoundoff : DoubleRoundoff),
        };

    /// <summary>Unit roundoff of double, 2^-53.</summary>
    public const double DoubleRoundoff = 1.0 / (1L << 53);

    /// <summary>Unit roundoff of float, 2^-24.</summary>
    public const double FloatRoundoff = 1.0 / (1 << 24);

    /// <summary>
    /// How many times <see cref="FRounding"/>'s first-order bound of the user's loss as written an output may be off
    /// (see <see cref="Tolerance"/>).
    /// </summary>
    public const double RoundingFactor = 8;

    /// <summary>
    /// Past this fraction of the relative bound, a batch is compared again with the rounding bound allowed, so that the
    /// worst error reported is against the tolerance the oracle applies, not the relative one alone.
    /// </summary>
    public const double NearBound = 0.5;

    /// <summary>Relative tolerance of the double kernels (see <see cref="Tolerance"/>).</summary>
    public const double DoubleTolerance = 1e-12;

    /// <summary>Relative tolerance of the float kernels (see <see cref="Tolerance"/>).</summary>
    public const double FloatTolerance = 1e-5;

    /// <summary>
    /// Up to <paramref name="wanted"/> rows inside the loss's domain, each one value per parameter (a Vec's row: classes
    /// values), every value a float so that the float and the double kernels see the same inputs. The [Constant] values
    /// are drawn with the first row found and then shared by every row (they are one value per batch).
    /// </summary>
    private static List<Row> DrawRows(FLoss loss, SeededPoints points, int classes, int wanted, double[]?[] constants)
    {
        var parameters = loss.Parameters;
        var rows = new List<Row>();
        for (int attempt = 0; attempt < DrawsPerRow * wanted && rows.Count < wanted; attempt++)
        {
            var x = parameters.Select((p, i) => p.Role == FRole.Constant && constants[i] is { } fixedValue
                ? fixedValue
                : p.SumsToOne ? SumsToOne(GradientOracle.Sample(points, p, classes))
                : GradientOracle.Sample(points, p, classes).Select(v => (double)(float)v).ToArray()).ToArray();
            var named = new Dictionary<string, double[]>();
            for (int i = 0; i < parameters.Count; i++) named[parameters[i].Name] = x[i];
            var (_, valid, _) = FEvaluator.Evaluate(loss, named, classes, KinkMargin, out double m);
            if (!valid) continue;
            rows.Add(new Row(x, m, new Lazy<(double, double[][])>(() => Rounding(loss, named, classes))));
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Role == FRole.Constant) constants[i] = x[i];
            }
        }
        return rows;
    }

    /// <summary>
    /// One example: a value per parameter, the largest value its loss computes (<see cref="FEvaluator"/>), and the
    /// rounding-error bounds of its loss and of each gradient entry per differentiated parameter, in units of u (<see cref="FRounding"/>).
    /// </summary>
    private sealed record Row(double[][] Values, double Magnitude, Lazy<(double Loss, double[][] Gradient)> Rounding);

    /// <summary><see cref="FRounding"/>'s bounds of an example: its loss's, and its gradient's per differentiated parameter.</summary>
    private static (double Loss, double[][] Gradient) Rounding(FLoss loss, Dictionary<string, double[]> point, int classes)
    {
        var (lossError, gradientError) = FRounding.Analyze(loss, point, classes);
        // FRounding's directions are the differentiated parameters' entries, in order.
        var byParameter = new List<double[]>();
        int next = 0;
        foreach (var p in loss.Parameters.Where(p => p.Role == FRole.Differentiated))
        {
            int width = p.IsVec ? classes : 1;
            byParameter.Add(gradientError.AsSpan(next, width).ToArray());
            next += width;
        }
        return (lossError, byParameter.ToArray());
    }

    /// <summary>
    /// A target that sums to one exactly, in floats: every entry a multiple of 2^-24 (so a float, and every partial sum
    /// exact in double), the largest being 1 minus the others. Rounding a drawn target to float would leave Σ t off 1 by
    /// about 1e-8, which a kernel relying on [Target(SumsToOne = true)] may, and does, turn into an error of that size.
    /// </summary>
    internal static double[] SumsToOne(double[] t)
    {
        const double q = 1 << 24;
        var r = t.Select(v => Math.Round(v * q) / q).ToArray();
        int largest = Array.IndexOf(r, r.Max());
        r[largest] = 0;
        r[largest] = 1 - r.Sum();
        return r;
    }

    /// <summary>The batch of <paramref name="n"/> examples (the rows found, repeated as needed) as <see cref="BatchCheck"/> takes it.</summary>
    private static double[][] Layout(IReadOnlyList<FParam> parameters, List<double[][]> rows, int n, double[]?[] constants) =>
        parameters.Select((p, i) => p.Role == FRole.Constant
            ? constants[i]!
            : Enumerable.Range(0, n).SelectMany(r => rows[r % rows.Count][i]).ToArray()).ToArray();

    /// <summary>The examples of a batch, one per line (only <paramref name="row"/> when it is not -1).</summary>
    private static string Rows(IReadOnlyList<FParam> parameters, double[][] values, int n, int classes, int row)
    {
        var sb = new StringBuilder();
        for (int r = 0; r < n; r++)
        {
            if (row >= 0 && r != row) continue;
            var x = parameters.Select((p, i) => p.Role == FRole.Constant ? values[i]
                : p.IsVec ? values[i].AsSpan(r * classes, classes).ToArray()
                : new[] { values[i][r] }).ToArray();
            sb.Append("  row ").Append(r.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(GradientOracle.Describe(parameters, x)).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }
}
