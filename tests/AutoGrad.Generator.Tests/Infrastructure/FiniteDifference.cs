using System;
using System.Globalization;
using System.Text;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Numerical derivatives to check generated gradients against, and a tolerance assertion with a readable message.
/// </summary>
/// <remarks>
/// <see cref="Central(Func{double, double}, double)"/> uses h = cbrt(eps)·max(1, |x|) (about 6e-6 near 0), which balances
/// the O(h²) truncation error against the O(eps/h) rounding error: expect about 1e-10 relative accuracy for smooth
/// functions of moderate curvature. <see cref="Richardson(Func{double, double}, double)"/> combines two central
/// differences, D(h) and D(h/2), into (4·D(h/2) − D(h))/3, whose truncation error is O(h⁴); with h = eps^(1/5)·max(1, |x|)
/// expect about 1e-12. Near a kink (Abs, Max, a ?: on the differentiated value) neither means anything: stay away from it.
/// </remarks>
public static class FiniteDifference
{
    /// <summary>Machine epsilon of <see cref="double"/> (2^-52).</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>Machine epsilon of <see cref="float"/> (2^-23).</summary>
    public const float EpsilonSingle = 1.1920929e-7f;

    /// <summary>The central-difference step at <paramref name="x"/>: cbrt(eps)·max(1, |x|).</summary>
    public static double Step(double x) => Math.Cbrt(Epsilon) * Math.Max(1.0, Math.Abs(x));

    /// <summary>The Richardson base step at <paramref name="x"/>: eps^(1/5)·max(1, |x|).</summary>
    public static double RichardsonStep(double x) => Math.Pow(Epsilon, 0.2) * Math.Max(1.0, Math.Abs(x));

    /// <summary>f'(x) by a central difference with the step <see cref="Step"/>.</summary>
    public static double Central(Func<double, double> f, double x) => Central(f, x, Step(x));

    /// <summary>f'(x) ≈ (f(x + h) − f(x − h)) / 2h, with h rounded so that x ± h are exactly x ± h.</summary>
    public static double Central(Func<double, double> f, double x, double h)
    {
        if (!(h > 0)) throw new ArgumentOutOfRangeException(nameof(h), h, "The step must be positive.");
        h = Representable(x, h);
        return (f(x + h) - f(x - h)) / (2 * h);
    }

    /// <summary>f'(x) for a function computed in single precision: h = cbrt(eps_float)·max(1, |x|) (about 5e-3), evaluated in double.</summary>
    public static double CentralSingle(Func<float, float> f, float x)
    {
        float h = MathF.Cbrt(EpsilonSingle) * MathF.Max(1f, MathF.Abs(x));
        float up = x + h, down = x - h;
        return ((double)f(up) - f(down)) / ((double)up - down);
    }

    /// <summary>f'(x) by Richardson extrapolation of two central differences, with the step <see cref="RichardsonStep"/>.</summary>
    public static double Richardson(Func<double, double> f, double x) => Richardson(f, x, RichardsonStep(x));

    /// <summary>f'(x) ≈ (4·D(h/2) − D(h)) / 3, where D is the central difference: O(h⁴) truncation error.</summary>
    public static double Richardson(Func<double, double> f, double x, double h)
    {
        if (!(h > 0)) throw new ArgumentOutOfRangeException(nameof(h), h, "The step must be positive.");
        h = Representable(x, h);
        double coarse = Central(f, x, h);
        double fine = Central(f, x, h / 2);
        return (4 * fine - coarse) / 3;
    }

    /// <summary>∂f/∂x_i at <paramref name="x"/> (central, or Richardson when asked); <paramref name="x"/> is left unchanged.</summary>
    public static double Partial(Func<double[], double> f, double[] x, int i, bool richardson = false)
    {
        var point = (double[])x.Clone();
        double at(double xi)
        {
            point[i] = xi;
            return f(point);
        }
        return richardson ? Richardson(at, x[i]) : Central(at, x[i]);
    }

    /// <summary>The gradient of f at <paramref name="x"/>, one partial derivative per entry (2·n or 4·n evaluations of f).</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, bool richardson = false)
    {
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++) gradient[i] = Partial(f, x, i, richardson);
        return gradient;
    }

    /// <summary>
    /// Passes when |analytic − numeric| ≤ absTol + relTol·max(|analytic|, |numeric|), or both are the same non-finite value.
    /// The failure message names the context and shows both values, the absolute and relative errors and the tolerance.
    /// </summary>
    public static void AssertClose(double analytic, double numeric, double relTol, double absTol, string context)
    {
        if (IsClose(analytic, numeric, relTol, absTol)) return;
        Assert.Fail(Describe(analytic, numeric, relTol, absTol, context));
    }

    /// <summary>Elementwise <see cref="AssertClose(double, double, double, double, string)"/>; one message listing every failing index (up to 10).</summary>
    public static void AssertClose(ReadOnlySpan<double> analytic, ReadOnlySpan<double> numeric, double relTol, double absTol, string context)
    {
        if (analytic.Length != numeric.Length)
            Assert.Fail($"{context}: analytic has {analytic.Length} entries, numeric {numeric.Length}.");

        var sb = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            if (IsClose(analytic[i], numeric[i], relTol, absTol)) continue;
            if (++failures <= 10) sb.AppendLine().Append("  ").Append(Describe(analytic[i], numeric[i], relTol, absTol, $"[{i}]"));
        }
        if (failures > 0)
            Assert.Fail($"{context}: {failures} of {analytic.Length} entries differ:{sb}");
    }

    /// <summary>The test behind <see cref="AssertClose(double, double, double, double, string)"/>.</summary>
    public static bool IsClose(double analytic, double numeric, double relTol, double absTol)
    {
        if (double.IsNaN(analytic) || double.IsNaN(numeric)) return double.IsNaN(analytic) && double.IsNaN(numeric);
        if (double.IsInfinity(analytic) || double.IsInfinity(numeric)) return analytic == numeric;
        double diff = Math.Abs(analytic - numeric);
        return diff <= absTol + relTol * Math.Max(Math.Abs(analytic), Math.Abs(numeric));
    }

    private static string Describe(double analytic, double numeric, double relTol, double absTol, string context)
    {
        double diff = Math.Abs(analytic - numeric);
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        double rel = scale == 0 ? 0 : diff / scale;
        double allowed = absTol + relTol * scale;
        return string.Create(CultureInfo.InvariantCulture,
            $"{context}: analytic {analytic:R} vs numeric {numeric:R}: |diff| = {diff:G3}, relative {rel:G3}; " +
            $"allowed {allowed:G3} (abs {absTol:G3} + rel {relTol:G3} × {scale:G3})");
    }

    /// <summary>The step nearest h for which (x + h) − x is exactly h, so the divisor is the true spacing.</summary>
    private static double Representable(double x, double h)
    {
        double up = x + h;
        double exact = up - x;
        return exact > 0 ? exact : h;
    }
}
