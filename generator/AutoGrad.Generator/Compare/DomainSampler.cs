using System;
using System.Collections.Generic;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Compare;

/// <summary>
/// Seeded points of a loss's domain, for comparing two gradients by value. Each parameter is drawn
/// by its role: a differentiated value is a logit in [-6, 6], a probability in (0, 1) or a positive
/// value in (0, 6) (so that losses on logits, on probabilities and on rates all get points where they
/// are finite); a target is in [0, 1] (exactly 0 or 1 one time in eight each), a vector target with
/// <c>SumsToOne</c> a one-hot or a normalized distribution; a constant is in [0.1, 3]. Vectors take
/// 2, 3, 5 and 10 classes in turn. Values are rounded to three decimals (probabilities to four, and
/// away from 0 and 1), so a point in a message is exact and short.
/// The generator is SplitMix64, so points are the same on every runtime.
/// </summary>
internal sealed class DomainSampler
{
    private static readonly int[] ClassCounts = { 2, 3, 5, 10 };

    private ulong _state;
    private int _drawn;

    public DomainSampler(ulong seed = 0x5EED_A07C_0DE5_0005UL)
    {
        _state = seed;
    }

    /// <summary>The next point: one array per parameter (length 1 for a scalar), and the class count.</summary>
    public (double[][] Values, int Classes) Next(IReadOnlyList<ParameterSpec> parameters)
    {
        int classes = ClassCounts[_drawn++ % ClassCounts.Length];
        var values = new double[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            values[i] = p.IsVector ? Vector(p, classes) : new[] { Scalar(p.Role) };
        }
        return (values, classes);
    }

    private double Scalar(ParameterRole role) => role switch
    {
        ParameterRole.Differentiated => Int(4) switch
        {
            0 or 1 => Round(Uniform(-6, 6), 3),
            2 => Probability(),
            _ => Math.Max(0.001, Round(Uniform(0, 6), 3)),
        },
        ParameterRole.Target => Int(8) switch
        {
            0 => 0.0,
            1 => 1.0,
            _ => Round(Uniform(0, 1), 3),
        },
        _ => Round(Uniform(0.1, 3), 3),
    };

    private double[] Vector(ParameterSpec p, int classes)
    {
        var v = new double[classes];
        switch (p.Role)
        {
            case ParameterRole.Differentiated:
                switch (Int(4))
                {
                    case 0 or 1:
                        for (int i = 0; i < classes; i++) v[i] = Round(Uniform(-6, 6), 3);
                        return v;
                    case 2:
                        for (int i = 0; i < classes; i++) v[i] = Probability();
                        return v;
                    default:
                        return Distribution(classes);
                }
            case ParameterRole.Target when p.SumsToOne:
                return Int(2) == 0 ? OneHot(classes) : Distribution(classes);
            case ParameterRole.Target:
                if (Int(4) == 0) return OneHot(classes);
                for (int i = 0; i < classes; i++) v[i] = Round(Uniform(0, 1), 3);
                return v;
            default:
                for (int i = 0; i < classes; i++) v[i] = Round(Uniform(0.1, 3), 3);
                return v;
        }
    }

    private double[] OneHot(int classes)
    {
        var v = new double[classes];
        v[Int(classes)] = 1;
        return v;
    }

    /// <summary>Positive entries that sum to one: whole thousandths, at least one each.</summary>
    private double[] Distribution(int classes)
    {
        var weights = new double[classes];
        double total = 0;
        for (int i = 0; i < classes; i++) total += weights[i] = Uniform(0.05, 1);
        var v = new double[classes];
        int left = 1000;
        for (int i = 0; i < classes - 1; i++)
        {
            int share = Math.Max(1, Math.Min(left - (classes - 1 - i), (int)Math.Round(1000 * weights[i] / total)));
            v[i] = share / 1000.0;
            left -= share;
        }
        v[classes - 1] = left / 1000.0;
        return v;
    }

    private double Probability() => Math.Min(0.9999, Math.Max(0.0001, Round(Uniform(0, 1), 4)));

    private static double Round(double x, int decimals) => Math.Round(x, decimals, MidpointRounding.AwayFromZero) + 0.0;

    private double Uniform(double min, double max) => min + (max - min) * NextDouble();

    private int Int(int n) => (int)(NextDouble() * n);

    private double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
