using System;
using System.Collections.Generic;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Deterministic random test points: the same seed gives the same points on every machine and every run
/// (a seeded <see cref="System.Random"/> keeps its legacy, stable algorithm). Not thread-safe: one instance per test.
/// </summary>
/// <example>
/// <code>
/// var points = new SeededPoints();
/// foreach (var (z, y) in points.LogitsWithBinaryLabels(200))
///     FiniteDifference.AssertClose(gradient(z, y), FiniteDifference.Central(t => loss(t, y), z), 1e-7, 1e-9, $"z={z}, y={y}");
/// </code>
/// </example>
public sealed class SeededPoints
{
    /// <summary>The seed used when none is given.</summary>
    public const int DefaultSeed = 20_240_917;

    private readonly Random _random;

    /// <summary>A generator with a fixed seed (<see cref="DefaultSeed"/> unless given).</summary>
    public SeededPoints(int seed = DefaultSeed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed; put it in failure messages so a case can be replayed.</summary>
    public int Seed { get; }

    /// <summary>Logits at which a naive loss overflows or cancels; the generated code must stay finite at all of them.</summary>
    public static IReadOnlyList<double> ExtremeLogits { get; } =
        new[] { -1000.0, -745.0, -710.0, -100.0, -40.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 40.0, 100.0, 710.0, 745.0, 1000.0 };

    // ---- scalars ---------------------------------------------------------------------------------

    /// <summary>Uniform in [min, max).</summary>
    public double Double(double min, double max)
    {
        if (!(max > min)) throw new ArgumentOutOfRangeException(nameof(max), max, "max must exceed min.");
        return min + (max - min) * _random.NextDouble();
    }

    /// <summary>A logit, uniform in [-scale, scale).</summary>
    public double Logit(double scale = 8) => Double(-scale, scale);

    /// <summary>A probability, uniform in the open interval (eps, 1 − eps).</summary>
    public double Probability(double eps = 1e-6)
    {
        if (!(eps > 0 && eps < 0.5)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be in (0, 0.5).");
        double p;
        do p = eps + (1 - 2 * eps) * _random.NextDouble();
        while (p <= eps || p >= 1 - eps);
        return p;
    }

    /// <summary>A hard label: 0.0 or 1.0 with equal chance.</summary>
    public double BinaryLabel() => _random.Next(2);

    /// <summary>A soft label in [0, 1]: exactly 0 or exactly 1 one time in 64 each, otherwise uniform.</summary>
    public double SoftLabel() => _random.Next(64) switch
    {
        0 => 0.0,
        1 => 1.0,
        _ => _random.NextDouble(),
    };

    /// <summary>A class count, uniform in [min, max] (2..50 by default).</summary>
    public int Classes(int min = 2, int max = 50)
    {
        if (min < 1 || max < min) throw new ArgumentOutOfRangeException(nameof(max), max, "Need 1 ≤ min ≤ max.");
        return _random.Next(min, max + 1);
    }

    /// <summary>An integer, uniform in [min, max).</summary>
    public int Int(int min, int max) => _random.Next(min, max);

    // ---- batches of scalars ---------------------------------------------------------------------

    /// <summary><paramref name="count"/> values uniform in [min, max).</summary>
    public double[] Doubles(int count, double min, double max) => Fill(count, () => Double(min, max));

    /// <summary><paramref name="count"/> logits uniform in [-scale, scale).</summary>
    public double[] Logits(int count, double scale = 8) => Fill(count, () => Logit(scale));

    /// <summary><paramref name="count"/> probabilities in (eps, 1 − eps).</summary>
    public double[] Probabilities(int count, double eps = 1e-6) => Fill(count, () => Probability(eps));

    /// <summary><paramref name="count"/> hard labels (0.0 or 1.0).</summary>
    public double[] BinaryLabels(int count) => Fill(count, BinaryLabel);

    /// <summary><paramref name="count"/> soft labels in [0, 1].</summary>
    public double[] SoftLabels(int count) => Fill(count, SoftLabel);

    /// <summary><paramref name="count"/> (logit, hard label) pairs.</summary>
    public IEnumerable<(double Z, double Y)> LogitsWithBinaryLabels(int count, double scale = 8)
    {
        for (int i = 0; i < count; i++) yield return (Logit(scale), BinaryLabel());
    }

    /// <summary><paramref name="count"/> (logit, soft label) pairs.</summary>
    public IEnumerable<(double Z, double Y)> LogitsWithSoftLabels(int count, double scale = 8)
    {
        for (int i = 0; i < count; i++) yield return (Logit(scale), SoftLabel());
    }

    // ---- vectors --------------------------------------------------------------------------------

    /// <summary>A vector of <paramref name="length"/> entries uniform in [min, max).</summary>
    public double[] Vector(int length, double min = -5, double max = 5) => Doubles(length, min, max);

    /// <summary>A vector of a random length in [2, 50] (see <see cref="Classes"/>) with entries uniform in [min, max).</summary>
    public double[] RandomVector(double min = -5, double max = 5) => Vector(Classes(), min, max);

    /// <summary>A one-hot target of <paramref name="length"/> classes, the hot class uniform.</summary>
    public double[] OneHot(int length) => OneHot(length, out _);

    /// <summary>A one-hot target of <paramref name="length"/> classes; <paramref name="hot"/> is the index of the 1.</summary>
    public double[] OneHot(int length, out int hot)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "Need at least one class.");
        var target = new double[length];
        hot = _random.Next(length);
        target[hot] = 1.0;
        return target;
    }

    /// <summary>
    /// A soft target of <paramref name="length"/> classes: non-negative entries summing to one (uniform on the simplex,
    /// i.e. Dirichlet(1)); the last entry is 1 minus the others, so the sum is 1 to within one rounding.
    /// </summary>
    public double[] SoftTarget(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "Need at least one class.");
        var target = new double[length];
        double total = 0;
        for (int i = 0; i < length; i++)
        {
            target[i] = -Math.Log(1.0 - _random.NextDouble()); // Exp(1), strictly positive argument to Log
            total += target[i];
        }
        double rest = 0;
        for (int i = 0; i < length - 1; i++)
        {
            target[i] /= total;
            rest += target[i];
        }
        target[length - 1] = Math.Max(0.0, 1.0 - rest);
        return target;
    }

    /// <summary>Logits for a random number of classes (or the given one) with a one-hot target of the same length.</summary>
    public (double[] Logits, double[] Target) LogitsWithOneHot(int? classes = null, double scale = 8)
    {
        int n = classes ?? Classes();
        return (Vector(n, -scale, scale), OneHot(n));
    }

    /// <summary>Logits for a random number of classes (or the given one) with a soft target of the same length.</summary>
    public (double[] Logits, double[] Target) LogitsWithSoftTarget(int? classes = null, double scale = 8)
    {
        int n = classes ?? Classes();
        return (Vector(n, -scale, scale), SoftTarget(n));
    }

    /// <summary>A row-major batch × classes matrix of one-hot rows, for batch kernels.</summary>
    public double[] OneHotRows(int batch, int classes)
    {
        var rows = new double[batch * classes];
        for (int b = 0; b < batch; b++) OneHot(classes).CopyTo(rows, b * classes);
        return rows;
    }

    /// <summary>A row-major batch × classes matrix of soft-target rows (each row sums to one), for batch kernels.</summary>
    public double[] SoftTargetRows(int batch, int classes)
    {
        var rows = new double[batch * classes];
        for (int b = 0; b < batch; b++) SoftTarget(classes).CopyTo(rows, b * classes);
        return rows;
    }

    private static double[] Fill(int count, Func<double> next)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The count cannot be negative.");
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = next();
        return values;
    }
}
