using System;

namespace AutoGrad;

/// <summary>
/// Marks a hand-written gradient method so that the AutoGrad source generator compares it, at compile
/// time, with the gradient it derives for a <see cref="LossAttribute">[Loss]</see> method.
/// </summary>
/// <remarks>
/// The method takes the same parameters as the loss and returns the gradient with respect to its
/// differentiated parameter (a tuple for several, or the gradient for one of several when
/// <see cref="Parameter"/> is given). A mismatch is reported as warning AG0005.
/// </remarks>
/// <example>
/// <code>
/// [GradientOf(nameof(BinaryCrossEntropy))]
/// public static double BinaryCrossEntropyGradientByHand(double z, double y) => Sigmoid(z) - y;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GradientOfAttribute : Attribute
{
    /// <summary>Initializes a new instance for the gradient of <paramref name="loss"/> with respect to all of its differentiated parameters.</summary>
    /// <param name="loss">The name of the <see cref="LossAttribute">[Loss]</see> method, usually written <c>nameof(Loss)</c>.</param>
    public GradientOfAttribute(string loss)
    {
        Loss = loss;
    }

    /// <summary>Initializes a new instance for the gradient of <paramref name="loss"/> with respect to one parameter.</summary>
    /// <param name="loss">The name of the <see cref="LossAttribute">[Loss]</see> method, usually written <c>nameof(Loss)</c>.</param>
    /// <param name="parameter">The name of the differentiated parameter whose partial derivative the method computes.</param>
    public GradientOfAttribute(string loss, string parameter)
    {
        Loss = loss;
        Parameter = parameter;
    }

    /// <summary>Gets the name of the loss method whose gradient the marked method computes.</summary>
    public string Loss { get; }

    /// <summary>
    /// Gets the name of the differentiated parameter the marked method is the partial derivative for, or
    /// <see langword="null"/> when it computes the gradient with respect to every differentiated parameter.
    /// </summary>
    public string? Parameter { get; }
}
