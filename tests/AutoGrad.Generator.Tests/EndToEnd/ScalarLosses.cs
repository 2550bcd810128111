namespace AutoGrad.Generator.Tests.EndToEnd;

/// <summary>The scalar losses every end-to-end test compiles through the generator.</summary>
internal static class ScalarLosses
{
    public const string Source = """
        using System;
        using AutoGrad;
        using static AutoGrad.Fn;

        namespace Suite;

        public static partial class Losses
        {
            // Binary cross-entropy on a logit, written the textbook way.
            [Loss]
            public static double BinaryCrossEntropy(double z, [Target] double y)
                => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            // The quadratic cost on a sigmoid output.
            [Loss]
            public static double QuadraticOnSigmoid(double z, [Target] double y)
                => Square(Sigmoid(z) - y) / 2;

            // Cross-entropy on a probability.
            [Loss]
            public static double CrossEntropyOnProbability(double a, [Target] double y)
                => -(y * Log(a) + (1 - y) * Log(1 - a));

            // One sigmoid neuron with the quadratic cost.
            [Loss]
            public static double Neuron(double w, double b, [Constant] double x, [Target] double y)
            {
                var a = Sigmoid(w * x + b);
                return (a - y) * (a - y) / 2;
            }

            // One sigmoid neuron with the cross-entropy cost.
            [Loss]
            public static double NeuronCrossEntropy(double w, double b, [Constant] double x, [Target] double y)
            {
                var a = Sigmoid(w * x + b);
                return -(y * Log(a) + (1 - y) * Log(1 - a));
            }

            // Huber, with a ?: on a comparison and System.Math.
            [Loss]
            public static double Huber(double x, [Target] double y, [Constant] double delta)
            {
                var r = x - y;
                return Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);
            }

            // Focal loss on a logit with a [Constant] exponent.
            [Loss]
            public static double Focal(double z, [Target] double y, [Constant] double gamma)
            {
                var p = Sigmoid(z);
                return -(y * Pow(1 - p, gamma) * Log(p) + (1 - y) * Pow(p, gamma) * Log(1 - p));
            }

            // Smooth L1 (Huber with delta 1, as torch writes it).
            [Loss]
            public static double SmoothL1(double x, [Target] double y)
                => Abs(x - y) < 1 ? 0.5 * (x - y) * (x - y) : Abs(x - y) - 0.5;

            // Log-cosh regression loss.
            [Loss]
            public static double LogCosh(double x, [Target] double y) => Math.Log(Math.Cosh(x - y));

            // Squared hinge on a ±1 label.
            [Loss]
            public static double HingeSquared(double z, [Target] double y) => Square(Max(0, 1 - y * z));

            // Poisson negative log-likelihood on a log-rate.
            [Loss]
            public static double PoissonNll(double z, [Target] double y) => Exp(z) - y * z;

            // Logistic loss written with the softplus by hand.
            [Loss]
            public static double LogisticBySoftplusHand(double z, [Target] double y) => Log(1 + Exp(z)) - y * z;

            // Gaussian negative log-likelihood with a learned log-variance.
            [Loss]
            public static double GaussianNll(double mu, double logVar, [Target] double y)
                => 0.5 * (logVar + (y - mu) * (y - mu) / Exp(logVar));
        }
        """;
}
