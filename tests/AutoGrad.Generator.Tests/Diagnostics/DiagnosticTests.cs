using System;
using System.Linq;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.Diagnostics;

/// <summary>One test per diagnostic id: exactly that id, at the offending syntax, with a message that says what to do.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n";

    private static Diagnostic Single(string source, string id, string markedText)
    {
        var run = GeneratorHarness.Run(Usings + source);
        var diagnostic = run.AssertSingleDiagnostic(id);
        Assert.Equal(markedText, Marked(run, diagnostic));
        return diagnostic;
    }

    /// <summary>The source text a diagnostic points at (generator locations carry a path, not a tree).</summary>
    private static string Marked(GeneratorRun run, Diagnostic d)
    {
        var tree = run.InputCompilation.SyntaxTrees.Single(t => t.FilePath == d.Location.GetLineSpan().Path);
        return tree.GetText().ToString(d.Location.SourceSpan);
    }

    [Fact]
    public void AG0001_instance_method()
    {
        var d = Single("public partial class L { [Loss] public double M(double z) => z * z; }", "AG0001", "M");
        Assert.Contains("static", d.GetMessage());
    }

    [Fact]
    public void AG0001_type_not_partial()
    {
        var d = Single("public static class Outer { public static partial class L { [Loss] public static double M(double z) => z * z; } }", "AG0001", "Outer");
        Assert.Contains("partial", d.GetMessage());
    }

    [Fact]
    public void AG0002_unsupported_parameter_type()
    {
        var d = Single("public static partial class L { [Loss] public static double M(float z) => z * z; }", "AG0002", "float z");
        Assert.Contains("double or AutoGrad.Vec", d.GetMessage());
    }

    /// <summary>Valid C# 11 (a static abstract member implemented explicitly), but MGradient and the rest are named after the loss.</summary>
    [Fact]
    public void AG0002_explicit_interface_implementation()
    {
        var d = Single("""
            public interface IHasLoss { static abstract double M(double z); }
            public partial class L : IHasLoss { [Loss] static double IHasLoss.M(double z) => z * z; }
            """, "AG0002", "IHasLoss.");
        Assert.Contains("explicit interface implementation", d.GetMessage());
    }

    [Fact]
    public void AG0002_unsupported_return_type()
    {
        Single("public static partial class L { [Loss] public static float M(double z) => (float)(z * z); }", "AG0002", "float");
    }

    [Fact]
    public void AG0003_loop()
    {
        var d = Single("""
            public static partial class L
            {
                [Loss] public static double M(double z)
                {
                    var s = 0.0;
                    for (int i = 0; i < 3; i++) s += z;
                    return s;
                }
            }
            """, "AG0003", "for (int i = 0; i < 3; i++) s += z;");
        Assert.Contains("loop", d.GetMessage());
    }

    [Fact]
    public void AG0003_indexing()
    {
        var d = Single("public static partial class L { [Loss] public static double M(Vec z) => z[0] * 2; }", "AG0003", "z[0]");
        Assert.Contains("Sum", d.GetMessage());
    }

    [Fact]
    public void AG0004_call_to_an_unknown_method()
    {
        var d = Single("public static partial class L { static double Helper(double x) => x; [Loss] public static double M(double z) => Helper(z) * z; }", "AG0004", "Helper(z)");
        Assert.Contains("inline", d.GetMessage());
    }

    [Fact]
    public void AG0006_non_smooth_function_on_a_differentiated_value()
    {
        var run = GeneratorHarness.Run(Usings + "public static partial class L { [Loss] public static double M(double z, [Target] double y) => Abs(z - y); }");
        run.AssertNoErrors();
        var d = run.AssertSingleDiagnostic("AG0006");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal("Abs(z - y)", Marked(run, d));
    }

    [Fact]
    public void AG0006_not_reported_when_only_constants_are_involved()
    {
        var run = GeneratorHarness.Run(Usings + "public static partial class L { [Loss] public static double M(double z, [Constant] double d) => z * Abs(d); }");
        run.AssertNoErrors();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "AG0006");
    }

    [Fact]
    public void AG9999_internal_failure_is_a_diagnostic_and_the_other_losses_are_still_generated()
    {
        try
        {
            Deriver.FailureInjection = m => { if (m.MethodName == "Broken") throw new InvalidOperationException("injected"); };
            var run = GeneratorHarness.Run(Usings + """
                public static partial class L
                {
                    [Loss] public static double Broken(double z) => z * z;
                    [Loss] public static double Fine(double z) => z * z * z;
                }
                """);
            var d = run.GeneratorDiagnostics.Single(x => x.Id == "AG9999");
            Assert.Contains("injected", d.GetMessage());
            Assert.Equal("Broken", Marked(run, d));
            Assert.Contains(run.GeneratedSources.Keys, k => k.Contains("Fine"));
            Assert.DoesNotContain(run.GeneratedSources.Keys, k => k.Contains("Broken"));
        }
        finally
        {
            Deriver.FailureInjection = null;
        }
    }

    [Fact]
    public void One_bad_loss_does_not_stop_the_others()
    {
        var run = GeneratorHarness.Run(Usings + """
            public static partial class L
            {
                [Loss] public static double Bad(double z) => Math.Sin(z);
                [Loss] public static double Good(double z, [Target] double y) => Square(z - y);
            }
            """);
        Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AG0004");
        Assert.Contains(run.GeneratedSources.Keys, k => k.Contains("Good"));
    }
}

/// <summary>Inputs that must not take the compiler down: deep nesting, wide expansions.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public void Deeply_nested_expression_is_reported_not_crashed()
    {
        string body = "z";
        for (int i = 0; i < 2000; i++) body = "(" + body + " * 1.001 + 0.5)";
        var run = GeneratorHarness.Run("using AutoGrad;\npublic static partial class L { [Loss] public static double M(double z) => " + body + "; }");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "AG0003" && d.GetMessage().Contains("nested"));
        Assert.Null(run.GeneratorException);
    }

    [Fact]
    public void Long_flat_sum_is_generated()
    {
        string body = string.Join(" + ", System.Linq.Enumerable.Range(1, 300).Select(i => $"{i} * z * z"));
        var run = GeneratorHarness.Run("using AutoGrad;\npublic static partial class L { [Loss] public static double M(double z) => " + body + "; }");
        run.AssertNoErrors();
        var gradient = run.Load().CreateDelegate<Func<double, double>>("L", "MGradient");
        Assert.Equal(2 * 45150 * 0.5, gradient(0.5), 8);
    }

    [Fact]
    public void Product_of_many_sums_does_not_expand_exponentially()
    {
        string body = string.Join(" * ", System.Linq.Enumerable.Range(1, 24).Select(i => $"(z + {i})"));
        var run = GeneratorHarness.Run("using AutoGrad;\npublic static partial class L { [Loss] public static double M(double z) => " + body + "; }");
        run.AssertNoErrors();
    }
}

/// <summary>Overloaded losses would collide in generated names: reported, and the rest still generated.</summary>
public sealed class OverloadTests
{
    [Fact]
    public void AG0002_overloaded_losses()
    {
        var run = GeneratorHarness.Run("""
            using AutoGrad;
            using static AutoGrad.Fn;
            public static partial class L
            {
                [Loss] public static double M(double z) => z * z;
                [Loss] public static double M(Vec z) => Sum(z * z);
                [Loss] public static double Other(double z) => Exp(z);
            }
            """);
        Assert.Equal(2, run.GeneratorDiagnostics.Count(d => d.Id == "AG0002" && d.GetMessage().Contains("overloaded")));
        Assert.Null(run.GeneratorException);
        Assert.Contains(run.GeneratedSources.Keys, k => k.Contains("Other"));
        Assert.Empty(run.CompilationErrors);
    }

    /// <summary>A member the user declared under a generated name: AG0002 at the loss, instead of a compile error in the generated file.</summary>
    [Theory]
    [InlineData("public static double MGradient(double z) => 2 * z;", "MGradient")]
    [InlineData("public static string MDerivation => \"by hand\";", "MDerivation")]
    [InlineData("[Loss] public static double MForward(double z) => z;", "MForward")]
    [InlineData("public static void MBackward() { }", "MBackward")]
    [InlineData("private static int __M_Batch;", "__M_Batch")]
    [InlineData("public sealed class MForwardBackward { }", "MForwardBackward")]
    public void AG0002_a_generated_name_is_taken(string member, string name)
    {
        var run = GeneratorHarness.Run($$"""
            using AutoGrad;
            using static AutoGrad.Fn;
            public static partial class L
            {
                [Loss] public static double M(double z) => z * z;
                [Loss] public static double Other(double z) => Exp(z);
                {{member}}
            }
            """);
        var d = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AG0002");
        Assert.Contains($"already declares '{name}'", d.GetMessage(), StringComparison.Ordinal);
        var tree = run.InputCompilation.SyntaxTrees.Single(t => t.FilePath == d.Location.GetLineSpan().Path);
        Assert.Equal("M", tree.GetText().ToString(d.Location.SourceSpan));
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.GeneratedSources.Keys, k => k.EndsWith(".M.g.cs", StringComparison.Ordinal));
        Assert.Contains(run.GeneratedSources.Keys, k => k.Contains("Other", StringComparison.Ordinal));
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void A_member_that_only_starts_like_a_generated_name_is_no_clash()
    {
        var run = GeneratorHarness.Run("""
            using AutoGrad;
            using static AutoGrad.Fn;
            public static partial class L
            {
                [Loss] public static double M(double z) => z * z;
                public static double MGradientByHand(double z) => 2 * z;
                public static double MForwards => 1;
            }
            """);
        run.AssertNoErrors();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "AG0002");
    }
}
