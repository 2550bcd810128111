using System;

namespace AutoGrad;

/// <summary>
/// Marks a parameter of a <see cref="LossAttribute">[Loss]</see> method as a constant: it is not
/// differentiated and takes one value for the whole batch (a hyperparameter such as a Huber delta or a
/// focal gamma, or an input held fixed).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ConstantAttribute : Attribute
{
}
