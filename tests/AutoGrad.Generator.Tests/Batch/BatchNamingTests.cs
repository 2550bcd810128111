using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.Batch;

/// <summary>The names the batch methods and kernels introduce never clash with the user's and never cause a warning.</summary>
public sealed class BatchNamingTests
{
    [Fact]
    public void Kernels_in_a_generic_type_whose_names_the_kernels_would_use_compile_without_warnings()
    {
        var run = GeneratorHarness.Run("""
            using AutoGrad;
            using static AutoGrad.Fn;

            namespace Names;

            public static partial class Outer<T, TMode>
            {
                [Loss]
                public static double Scaled(Vec z, double TValue, [Target(SumsToOne = true)] Vec y, [Constant] double classes)
                    => -Sum(y * LogSoftmax(z * TValue)) * classes;

                [Loss]
                public static double Plain(double losses, [Target] double reduction, [Constant] double dlosses)
                    => Square(losses - reduction) * dlosses;
            }
            """);
        run.AssertNoErrors();
        var warnings = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));

        var text = run.GeneratedText("Scaled.g.cs");
        Assert.Contains("<TNumber, TBatchMode>", text);               // T, TMode: the enclosing type's; TValue: a parameter
        Assert.Contains("int classes_,", text);                        // "classes" is a [Constant] parameter
        Assert.Contains("global::System.Span<float> dz, global::System.Span<float> dTValue", text);
        var plain = run.GeneratedText("Plain.g.cs");
        Assert.Contains("global::System.Span<float> losses_)", plain); // per-example losses: "losses" is a parameter
        Assert.Contains("global::System.Span<float> dlosses_, global::AutoGrad.Reduction reduction_ = ", plain);
    }
}
