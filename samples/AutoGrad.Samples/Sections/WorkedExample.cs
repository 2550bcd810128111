using System;
using System.IO;
using static AutoGrad.Fn;

namespace AutoGrad.Samples.Sections;

/// <summary>
/// Section 2: two predictions with the same cross-entropy and different gradients. The loss sees
/// only the probability of the true class; the gradient with respect to the logits,
/// <c>Softmax(z) - y</c>, is the prediction minus the target and sees every class.
/// </summary>
internal static class WorkedExample
{
    public static readonly Vec Target = new double[] { 1, 0, 0, 0, 0 };
    public static readonly Vec First = new double[] { 0.1, 0.5, 0.1, 0.1, 0.2 };
    public static readonly Vec Second = new double[] { 0.1, 0.6, 0.1, 0.1, 0.1 };

    /// <summary>The loss and the generated gradient at the logits whose softmax is <paramref name="prediction"/>.</summary>
    public static (double Loss, Vec Gradient) At(Vec prediction)
    {
        var z = Log(prediction); // Softmax(Log(p)) = p when p sums to one
        return (SeedLosses.SoftmaxCrossEntropy(z, Target), SeedLosses.SoftmaxCrossEntropyGradient(z, Target));
    }

    public static void Run(TextWriter output)
    {
        Report.Heading(output, "2. The worked example: equal loss, different gradients");
        output.WriteLine($"target y = {Report.V(Target.AsSpan(), 0)}; logits z = Log(prediction), so Softmax(z) is the prediction.");
        output.WriteLine("The gradient is the generated SoftmaxCrossEntropyGradient(z, y) = " + SeedLosses.SoftmaxCrossEntropyDerivation.Gradients["z"] + ".");
        output.WriteLine();
        output.WriteLine("  prediction                 loss    ∂L/∂z");
        foreach (var prediction in new[] { First, Second })
        {
            var (loss, gradient) = At(prediction);
            output.WriteLine($"  {Report.V(prediction.AsSpan()),-25}  {Report.F(loss)}   {Report.V(gradient.AsSpan())}");
        }
        output.WriteLine();
        output.WriteLine($"Both losses are -ln 0.1 = {Report.F(-Math.Log(0.1))}: the loss sees only the true class. The gradients differ:");
        output.WriteLine("each is the prediction minus the target, so the logit of every wrong class is pushed down by");
        output.WriteLine("its own probability.");
    }
}
