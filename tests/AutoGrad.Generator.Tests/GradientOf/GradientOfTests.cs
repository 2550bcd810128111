using System.Linq;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.GradientOf;

/// <summary>
/// [GradientOf]: a hand-written gradient compared at compile time with the derived one. Right
/// gradients pass silently however they are written; wrong ones, and wrong signatures, are AG0005
/// at the hand-written method.
/// </summary>
public sealed class GradientOfTests
{
    private static GeneratorRun Run(string members)
    {
        var run = GeneratorHarness.Run(GradientOfSources.With(members));
        run.AssertNoErrors();
        return run;
    }

    private static void AssertPasses(string members)
    {
        var run = Run(members);
        var reported = run.GeneratorDiagnostics.Where(d => d.Id is "AG0005" or "AG9999").ToList();
        Assert.True(reported.Count == 0, string.Join("\n", reported.Select(GeneratorRun.Describe)));
    }

    private static Diagnostic AssertMismatch(string members, string methodName)
    {
        var run = Run(members);
        var reported = run.GeneratorDiagnostics.Where(d => d.Id is "AG0005" or "AG9999").ToList();
        Assert.True(reported.Count == 1, "expected one AG0005, got:\n" + string.Join("\n", reported.Select(GeneratorRun.Describe)));
        var d = reported[0];
        Assert.Equal("AG0005", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(methodName, TextAt(run, d));
        return d;
    }

    /// <summary>The source text a diagnostic points at (generator locations carry a path and span, not a tree).</summary>
    private static string TextAt(GeneratorRun run, Diagnostic d)
    {
        var path = d.Location.GetLineSpan().Path;
        var tree = run.InputCompilation.SyntaxTrees.Single(t => t.FilePath == path);
        return tree.GetText().ToString(d.Location.SourceSpan);
    }

    // ---- right gradients pass ------------------------------------------------------------------

    [Theory]
    [InlineData("Sigmoid(z) - y")]
    [InlineData("1 / (1 + Exp(-z)) - y")]
    [InlineData("Exp(z) / (1 + Exp(z)) - y")]
    [InlineData("-y * Sigmoid(-z) + (1 - y) * Sigmoid(z)")]
    [InlineData("1 / (1 + Math.Exp(-z)) - y")]
    public void Binary_cross_entropy_written_any_right_way_passes(string body) =>
        AssertPasses($"[GradientOf(nameof(BinaryCrossEntropy))] public static double ByHand(double z, double y) => {body};");

    /// <summary>A loss with nothing to differentiate has no gradient: its own AG0002 says so, and the comparer says nothing (it threw: AG9999).</summary>
    [Fact]
    public void A_loss_without_differentiated_parameters_is_its_own_diagnostic_only()
    {
        var run = GeneratorHarness.Run(GradientOfSources.With(
            "[Loss] public static double AllTargets([Target] double y) => y * y; [GradientOf(nameof(AllTargets))] public static double ByHand(double y) => 2 * y;"));
        Assert.Equal(new[] { "AG0002" }, run.GeneratorDiagnostics.Where(d => d.Id != "AG0006").Select(d => d.Id));
    }

    [Fact]
    public void A_block_body_with_locals_passes() => AssertPasses("""
        [GradientOf(nameof(QuadraticOnSigmoid))]
        public static double ByHand(double z, double y)
        {
            var a = Sigmoid(z);
            var da = a - y;
            return da * a * (1 - a);
        }
        """);

    [Fact]
    public void Cross_entropy_on_a_probability_passes() => AssertPasses(
        "[GradientOf(nameof(CrossEntropyOnProbability))] public static double ByHand(double a, double y) => (a - y) / (a * (1 - a));");

    [Fact]
    public void The_neurons_tuple_passes() => AssertPasses("""
        [GradientOf(nameof(Neuron))]
        public static (double w, double b) NeuronByHand(double w, double b, double x, double y)
        {
            var a = Sigmoid(w * x + b);
            var delta = (a - y) * a * (1 - a);
            return (delta * x, delta);
        }

        [GradientOf(nameof(NeuronCrossEntropy))]
        public static (double w, double b) NeuronCrossEntropyByHand(double w, double b, double x, double y)
            => (x * (Sigmoid(w * x + b) - y), Sigmoid(w * x + b) - y);
        """);

    [Fact]
    public void One_of_several_parameters_passes() => AssertPasses("""
        [GradientOf(nameof(NeuronCrossEntropy), "w")]
        public static double ByHandW(double w, double b, double x, double y) => x * (Sigmoid(w * x + b) - y);

        [GradientOf(nameof(NeuronCrossEntropy), "b")]
        public static double ByHandB(double w, double b, double x, double y) => Sigmoid(w * x + b) - y;
        """);

    [Fact]
    public void Softmax_cross_entropy_passes_as_prediction_minus_target() => AssertPasses("""
        [GradientOf(nameof(SoftmaxCrossEntropy))]
        public static Vec ByHand(Vec z, Vec y) => Softmax(z) - y;

        [GradientOf(nameof(SoftmaxCrossEntropyAnyTarget))]
        public static Vec ByHandAnyTarget(Vec z, Vec y) => Softmax(z) * Sum(y) - y;
        """);

    [Fact]
    public void Huber_by_clamping_passes() => AssertPasses(
        "[GradientOf(nameof(Huber))] public static double ByHand(double x, double y, double delta) => Clamp(x - y, -delta, delta);");

    [Fact]
    public void A_loss_in_another_type_is_found_through_nameof()
    {
        var run = GeneratorHarness.Run(GradientOfSources.With(""), """
            using AutoGrad;
            using static AutoGrad.Fn;
            using Suite;

            namespace Checks;

            public static class ByHand
            {
                [GradientOf(nameof(Losses.BinaryCrossEntropy))]
                public static double Right(double z, double y) => Sigmoid(z) - y;

                [GradientOf(nameof(Losses.BinaryCrossEntropy))]
                public static double Wrong(double z, double y) => Sigmoid(z) * (1 - Sigmoid(z)) * (Sigmoid(z) - y);
            }
            """);
        run.AssertNoErrors();
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "AG0005");
        Assert.Contains("'Wrong' differs from the derived gradient of 'BinaryCrossEntropy'", d.GetMessage());
    }

    // ---- wrong gradients are caught ----------------------------------------------------------------

    [Fact]
    public void The_quadratic_costs_gradient_attached_to_cross_entropy_is_caught()
    {
        var d = AssertMismatch("""
            [GradientOf(nameof(BinaryCrossEntropy))]
            public static double ByHand(double z, double y) => (Sigmoid(z) - y) * Sigmoid(z) * (1 - Sigmoid(z));
            """, "ByHand");
        var message = d.GetMessage();
        Assert.Contains("the hand-written ∂L/∂z is", message);
        Assert.Contains("the derived Sigmoid(z) - y is", message);
    }

    [Theory]
    [InlineData("Sigmoid(z) + y")]                 // a sign
    [InlineData("(Sigmoid(z) - y) / 2")]           // a factor
    [InlineData("Sigmoid(z) - y + 1e-4")]          // close, but not equal
    [InlineData("y - Sigmoid(z)")]                 // the ascent direction
    [InlineData("Sigmoid(-z) - y")]                // the wrong sigmoid
    public void Wrong_binary_cross_entropy_gradients_are_caught(string body) =>
        AssertMismatch($"[GradientOf(nameof(BinaryCrossEntropy))] public static double ByHand(double z, double y) => {body};", "ByHand");

    [Fact]
    public void Prediction_minus_target_without_SumsToOne_is_caught()
    {
        var d = AssertMismatch("""
            [GradientOf(nameof(SoftmaxCrossEntropyAnyTarget))]
            public static Vec ByHand(Vec z, Vec y) => Softmax(z) - y;
            """, "ByHand");
        Assert.Contains("Softmax(z) * Sum(y) - y", d.GetMessage());
    }

    [Fact]
    public void A_wrong_component_of_a_tuple_is_named()
    {
        var d = AssertMismatch("""
            [GradientOf(nameof(NeuronCrossEntropy))]
            public static (double w, double b) ByHand(double w, double b, double x, double y)
                => (Sigmoid(w * x + b) - y, Sigmoid(w * x + b) - y);
            """, "ByHand");
        Assert.Contains("∂L/∂w", d.GetMessage());
        Assert.DoesNotContain("∂L/∂b", d.GetMessage());
    }

    // ---- every problem is AG0005 with a message that says what to do ------------------------------------

    [Theory]
    [InlineData("[GradientOf(\"NoSuchLoss\")] public static double ByHand(double z, double y) => z;", "no [Loss] method named 'NoSuchLoss' in 'Suite.Losses'")]
    [InlineData("[GradientOf(nameof(BinaryCrossEntropy))] public static double ByHand(double z) => z;", "does not take the parameters of 'BinaryCrossEntropy'")]
    [InlineData("[GradientOf(nameof(BinaryCrossEntropy))] public static double ByHand(float z, double y) => z;", "it takes (float z, double y)")]
    [InlineData("[GradientOf(nameof(BinaryCrossEntropy))] public static Vec ByHand(double z, double y) => new double[] { z };", "return double")]
    [InlineData("[GradientOf(nameof(Neuron))] public static double ByHand(double w, double b, double x, double y) => w;", "return the tuple (double w, double b)")]
    [InlineData("[GradientOf(nameof(Neuron))] public static (double b, double w) ByHand(double w, double b, double x, double y) => (w, b);", "is named 'b'")]
    [InlineData("[GradientOf(nameof(Neuron), \"x\")] public static double ByHand(double w, double b, double x, double y) => w;", "'x', but it is a [Constant] parameter")]
    [InlineData("[GradientOf(nameof(Neuron), \"v\")] public static double ByHand(double w, double b, double x, double y) => w;", "has no parameter of that name")]
    [InlineData("[GradientOf(\"\")] public static double ByHand(double z, double y) => z;", "names no loss")]
    public void Signature_problems_are_reported(string members, string expected)
    {
        var d = AssertMismatch(members, "ByHand");
        Assert.Contains(expected, d.GetMessage());
    }

    [Fact]
    public void A_body_it_cannot_read_is_reported_at_the_construct()
    {
        var run = Run("""
            [GradientOf(nameof(BinaryCrossEntropy))]
            public static double ByHand(double z, double y) => Helper(z) - y;

            private static double Helper(double z) => 1 / (1 + Math.Exp(-z));
            """);
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "AG0005");
        Assert.Contains("cannot compare 'ByHand'", d.GetMessage());
        Assert.Contains("AutoGrad.GradCheck", d.GetMessage());
        Assert.Equal("Helper(z)", TextAt(run, d));
    }

    [Fact]
    public void Nothing_is_generated_for_a_hand_written_gradient()
    {
        var without = GeneratorHarness.Run(GradientOfSources.With(""));
        var with = Run("[GradientOf(nameof(BinaryCrossEntropy))] public static double ByHand(double z, double y) => Sigmoid(z) - y;");
        Assert.Equal(without.GeneratedSources.Keys, with.GeneratedSources.Keys);
    }

    // ---- incremental -------------------------------------------------------------------------------

    private const string HandWritten = "[GradientOf(nameof(BinaryCrossEntropy))] public static double ByHand(double z, double y) => Sigmoid(z) - y;";

    [Fact]
    public void An_unrelated_edit_reruns_no_comparison()
    {
        var first = Run(HandWritten);
        var second = first.RunAgain(GeneratorHarness.AddSource("namespace Elsewhere; public static class Unrelated { public static int Answer => 42; }"));
        second.AssertStepReasons(LossGenerator.GradientOfSteps.Match, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        second.AssertStepReasons(LossGenerator.GradientOfSteps.Compare, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Adding_another_loss_reruns_no_comparison()
    {
        var first = Run(HandWritten);
        var second = first.RunAgain(GeneratorHarness.AddSource("""
            using AutoGrad;
            using static AutoGrad.Fn;

            namespace Elsewhere;

            public static partial class More
            {
                [Loss]
                public static double Poisson(double z, [Target] double y) => Exp(z) - y * z;
            }
            """));
        second.AssertStepReasons(LossGenerator.GradientOfSteps.Compare, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Editing_the_hand_written_gradient_reruns_its_comparison()
    {
        var first = Run(HandWritten);
        Assert.DoesNotContain(first.GeneratorDiagnostics, d => d.Id == "AG0005");
        var second = first.RunAgain(GeneratorHarness.EditSource(GeneratorHarness.SourcePath(0), t => t.Replace("=> Sigmoid(z) - y;", "=> Sigmoid(z) + y;")));
        Assert.Contains(second.TrackedStepReasons(), s => s.StepName == LossGenerator.GradientOfSteps.Compare && s.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(second.GeneratorDiagnostics, d => d.Id == "AG0005");
    }

    [Fact]
    public void Editing_the_loss_reruns_the_comparison()
    {
        var first = Run(HandWritten);
        var second = first.RunAgain(GeneratorHarness.EditSource(GeneratorHarness.SourcePath(0),
            t => t.Replace("=> -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));", "=> Square(Sigmoid(z) - y);")));
        Assert.Single(second.GeneratorDiagnostics, d => d.Id == "AG0005");
    }

    // ---- never throws ------------------------------------------------------------------------------

    [Fact]
    public void Odd_methods_get_AG0005_or_nothing_never_an_internal_failure()
    {
        var run = GeneratorHarness.Run(GradientOfSources.With("""
            [GradientOf(nameof(BinaryCrossEntropy))] public static T Generic<T>(T z, T y) => z;
            [GradientOf(nameof(BinaryCrossEntropy))] public static double ByRef(ref double z, double y) => z;
            [GradientOf(nameof(BinaryCrossEntropy))] public double Instance(double z, double y) => Sigmoid(z) - y;
            [GradientOf(nameof(BinaryCrossEntropy))] public static double Throws(double z, double y) => throw new InvalidOperationException();
            [GradientOf(nameof(BinaryCrossEntropy))] public static double Indexes(double z, double y) => new[] { z }[0];
            [GradientOf(nameof(SoftmaxCrossEntropy))] public static Vec VectorLength(Vec z, Vec y) => Softmax(z) - y + 0 * z.Length;
            [GradientOf(nameof(Huber))] public static double DividesByZero(double x, double y, double delta) => 1 / (x - x);
            [GradientOf(nameof(BinaryCrossEntropy))] public static (double z, double y) TupleForOne(double z, double y) => (z, y);
            [GradientOf(nameof(BinaryCrossEntropy))] public static extern double External(double z, double y);
            """));
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "AG9999");
        var flagged = run.GeneratorDiagnostics.Where(d => d.Id == "AG0005").Select(d => TextAt(run, d)).ToList();
        Assert.DoesNotContain("Instance", flagged);
        Assert.DoesNotContain("VectorLength", flagged);
        Assert.Equal(7, flagged.Count);
    }
}
