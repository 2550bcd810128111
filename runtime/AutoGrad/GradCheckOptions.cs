using System;

namespace AutoGrad;

/// <summary>
/// Settings of a <see cref="GradCheck"/> run. The defaults are those of <c>torch.autograd.gradcheck</c>:
/// <see cref="Epsilon"/> = 1e-6, <see cref="AbsoluteTolerance"/> = 1e-5, <see cref="RelativeTolerance"/> = 1e-3.
/// </summary>
/// <remarks>
/// A component of the gradient fails when
/// <c>|analytic − numeric| &gt; AbsoluteTolerance + RelativeTolerance · |numeric|</c>, where <c>numeric</c>
/// is the central difference <c>(L(x + ε·eᵢ) − L(x − ε·eᵢ)) / 2ε</c>.
/// </remarks>
public sealed record GradCheckOptions
{
    /// <summary>Gets the options with every default: ε = 1e-6, atol = 1e-5, rtol = 1e-3.</summary>
    public static GradCheckOptions Default { get; } = new();

    /// <summary>
    /// Gets the finite-difference step ε: each component is perturbed by ±ε. Default 1e-6. Must be positive and finite.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double Epsilon
    {
        get;
        init
        {
            if (!(value > 0.0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Epsilon), value, "The finite-difference step must be positive and finite.");
            }

            field = value;
        }
    } = 1e-6;

    /// <summary>Gets the absolute tolerance (atol). Default 1e-5. Must be non-negative and not NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or NaN.</exception>
    public double AbsoluteTolerance
    {
        get;
        init
        {
            if (!(value >= 0.0))
            {
                throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), value, "The absolute tolerance must be non-negative.");
            }

            field = value;
        }
    } = 1e-5;

    /// <summary>Gets the relative tolerance (rtol), applied to <c>|numeric|</c>. Default 1e-3. Must be non-negative and not NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or NaN.</exception>
    public double RelativeTolerance
    {
        get;
        init
        {
            if (!(value >= 0.0))
            {
                throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), value, "The relative tolerance must be non-negative.");
            }

            field = value;
        }
    } = 1e-3;
}
