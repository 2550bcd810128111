using System;

namespace AutoGrad;

/// <summary>
/// Marks a parameter of a <see cref="LossAttribute">[Loss]</see> method as the label of an example:
/// it is not differentiated and takes one value per example in a batch.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class TargetAttribute : Attribute
{
    /// <summary>
    /// Gets or sets a value stating that the entries of this <see cref="Vec"/> target sum to one
    /// (one-hot or soft labels). The simplifier may use this fact, for example to reduce the gradient of
    /// softmax cross-entropy to <c>Softmax(z) - y</c>. The default is <see langword="false"/>.
    /// </summary>
    /// <remarks>The value is a promise made by the caller; it is not checked at run time.</remarks>
    public bool SumsToOne { get; set; }
}
