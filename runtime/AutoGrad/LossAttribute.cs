using System;

namespace AutoGrad;

/// <summary>
/// Marks a method as a loss function whose gradients the AutoGrad source generator derives at compile time.
/// </summary>
/// <remarks>
/// <para>
/// The method must be <see langword="static"/>, return <see cref="double"/>, and be declared in a
/// <see langword="partial"/> type (every enclosing type must be partial as well). Its parameters are
/// <see cref="double"/> or <see cref="Vec"/>. Parameters without an attribute are differentiated;
/// mark labels with <see cref="TargetAttribute"/> and batch-wide values with <see cref="ConstantAttribute"/>.
/// </para>
/// <para>
/// The method itself stays ordinary C#: calling it computes the loss of one example, and it is the
/// reference implementation that every generated gradient and kernel is tested against.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LossAttribute : Attribute
{
}
