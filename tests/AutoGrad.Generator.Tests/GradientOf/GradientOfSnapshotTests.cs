using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.GradientOf;

/// <summary>The AG0005 messages as a user reads them, against a committed snapshot.</summary>
public sealed class GradientOfSnapshotTests
{
    private const string Members = """
        // The quadratic cost's gradient attached to cross-entropy: close in spirit, wrong in value.
        [GradientOf(nameof(BinaryCrossEntropy))]
        public static double QuadraticGradientForCrossEntropy(double z, double y)
            => (Sigmoid(z) - y) * Sigmoid(z) * (1 - Sigmoid(z));

        // Off by a constant that is small against the gradient.
        [GradientOf(nameof(BinaryCrossEntropy))]
        public static double AlmostRight(double z, double y) => Sigmoid(z) - y + 1e-4;

        // Right only when the target sums to one, and the loss does not promise that.
        [GradientOf(nameof(SoftmaxCrossEntropyAnyTarget))]
        public static Vec PredictionMinusTarget(Vec z, Vec y) => Softmax(z) - y;

        // The neuron with the quadratic cost, missing the sigmoid's derivative in both components.
        [GradientOf(nameof(Neuron))]
        public static (double w, double b) NeuronWithoutSigmoidPrime(double w, double b, double x, double y)
            => (x * (Sigmoid(w * x + b) - y), Sigmoid(w * x + b) - y);

        // Only ∂L/∂b asked for, and got wrong.
        [GradientOf(nameof(NeuronCrossEntropy), "b")]
        public static double NeuronBiasTimesInput(double w, double b, double x, double y) => x * (Sigmoid(w * x + b) - y);

        // Signatures.
        [GradientOf("Missing")]
        public static double NamesNoLoss(double z, double y) => z;

        [GradientOf(nameof(BinaryCrossEntropy))]
        public static double DropsTheTarget(double z) => z;

        [GradientOf(nameof(Neuron))]
        public static double OneValueForTwoParameters(double w, double b, double x, double y) => w;

        [GradientOf(nameof(Neuron))]
        public static (double b, double w) SwappedTuple(double w, double b, double x, double y) => (b, w);

        [GradientOf(nameof(Neuron), "y")]
        public static double NamesTheTarget(double w, double b, double x, double y) => y;

        // A body the comparison cannot read.
        [GradientOf(nameof(BinaryCrossEntropy))]
        public static double Looping(double z, double y)
        {
            double s = 0;
            for (int i = 0; i < 3; i++) s += z;
            return s - y;
        }
        """;

    [Fact]
    public void Messages()
    {
        var run = GeneratorHarness.Run(GradientOfSources.With(Members));
        run.AssertNoErrors();
        var text = new StringBuilder();
        foreach (var d in run.GeneratorDiagnostics.Where(d => d.Id != "AG0006").OrderBy(d => d.Location.SourceSpan.Start))
        {
            var line = d.Location.GetLineSpan().StartLinePosition;
            text.Append("// ").Append(d.Id).Append(' ').Append(d.Severity).Append(" (").Append(line.Line + 1).Append(',').Append(line.Character + 1).Append(")\n");
            text.Append("// ").Append(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Append("\n\n");
        }
        Snapshot.Verify(text.ToString());
    }
}
