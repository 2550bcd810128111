using System;
using System.Globalization;
using System.Text;

namespace AutoGrad;

/// <summary>
/// The outcome of a <see cref="GradCheck"/> run: whether every checked gradient component matched its central
/// finite difference, the largest errors, and the worst component.
/// </summary>
/// <remarks>
/// The worst component is the one that violates its tolerance <c>atol + rtol · |numeric|</c> by the largest
/// factor (or, when all pass, comes closest to violating it). A check in which no point could be checked
/// (every point skipped, or no points) does not pass.
/// </remarks>
public sealed class GradCheckResult
{
    private readonly double[] _worstPoint;

    internal GradCheckResult(
        GradCheckOptions options,
        int pointsChecked,
        int pointsSkipped,
        int pointsFailed,
        double maxAbsoluteError,
        double maxRelativeError,
        double[] worstPoint,
        int worstIndex,
        double analytic,
        double numeric)
    {
        Options = options;
        PointsChecked = pointsChecked;
        PointsSkipped = pointsSkipped;
        PointsFailed = pointsFailed;
        MaxAbsoluteError = maxAbsoluteError;
        MaxRelativeError = maxRelativeError;
        _worstPoint = worstPoint;
        WorstIndex = worstIndex;
        Analytic = analytic;
        Numeric = numeric;
    }

    /// <summary>Gets whether at least one point was checked and every component of every checked point was within tolerance.</summary>
    public bool Passed => PointsChecked > 0 && PointsFailed == 0;

    /// <summary>Gets the options the check ran with.</summary>
    public GradCheckOptions Options { get; }

    /// <summary>Gets the number of points whose every component was compared.</summary>
    public int PointsChecked { get; }

    /// <summary>
    /// Gets the number of points skipped because the loss there, or a central difference of it, was not finite
    /// (for example a point outside the loss's domain).
    /// </summary>
    public int PointsSkipped { get; }

    /// <summary>Gets the number of checked points with at least one component out of tolerance.</summary>
    public int PointsFailed { get; }

    /// <summary>Gets the largest <c>|analytic − numeric|</c> over all checked components (NaN if an analytic component was NaN; 0 if nothing was checked).</summary>
    public double MaxAbsoluteError { get; }

    /// <summary>
    /// Gets the largest <c>|analytic − numeric| / |numeric|</c> over all checked components; a component with
    /// numeric 0 contributes 0 if its analytic value is 0 as well and +∞ otherwise.
    /// </summary>
    public double MaxRelativeError { get; }

    /// <summary>Gets a copy of the point (the flattened parameters) at which the worst component occurred; empty if nothing was checked.</summary>
    public double[] WorstPoint => (double[])_worstPoint.Clone();

    /// <summary>Gets the index of the worst component within <see cref="WorstPoint"/>; −1 if nothing was checked.</summary>
    public int WorstIndex { get; }

    /// <summary>Gets the analytic (supplied) derivative of the worst component; NaN if nothing was checked.</summary>
    public double Analytic { get; }

    /// <summary>Gets the central finite-difference derivative of the worst component; NaN if nothing was checked.</summary>
    public double Numeric { get; }

    /// <summary>Throws a <see cref="GradCheckException"/> carrying <see cref="ToString"/> as its message unless the check <see cref="Passed"/>.</summary>
    /// <exception cref="GradCheckException">The check did not pass.</exception>
    public void EnsurePassed()
    {
        if (!Passed)
        {
            throw new GradCheckException(this);
        }
    }

    /// <summary>
    /// Describes the result in readable English: pass or fail, counts, largest errors, the options, and the worst
    /// component with its point, analytic and numeric values. Numbers use the invariant culture.
    /// </summary>
    /// <returns>The description (two lines when a point was checked).</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"eps = {Options.Epsilon:G6}, atol = {Options.AbsoluteTolerance:G6}, rtol = {Options.RelativeTolerance:G6}");

        if (PointsChecked == 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"GradCheck failed: no point could be checked ({PointsSkipped} skipped because the loss or a central difference was not finite; {options}).");
            return builder.ToString();
        }

        builder.Append(Passed ? "GradCheck passed: " : "GradCheck failed: ");
        if (Passed)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{PointsChecked} point{Plural(PointsChecked)} checked");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $"{PointsFailed} of {PointsChecked} checked point{Plural(PointsChecked)} out of tolerance");
        }

        builder.Append(CultureInfo.InvariantCulture, $", {PointsSkipped} skipped; max absolute error {MaxAbsoluteError:G6}, max relative error {MaxRelativeError:G6} ({options}).");

        var error = Math.Abs(Analytic - Numeric);
        var tolerance = Options.AbsoluteTolerance + (Options.RelativeTolerance * Math.Abs(Numeric));
        var comparison = error <= tolerance ? "<=" : ">";
        builder.Append('\n');
        builder.Append(
            CultureInfo.InvariantCulture,
            $"Worst: component {WorstIndex} at point {Vec.FromArrayUnsafe(_worstPoint)}: analytic {Analytic}, numeric {Numeric} (|analytic - numeric| = {error:G6} {comparison} atol + rtol * |numeric| = {tolerance:G6}).");
        return builder.ToString();
    }

    private static string Plural(int count) => count == 1 ? string.Empty : "s";
}
