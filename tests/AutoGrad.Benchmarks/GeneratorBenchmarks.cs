extern alias generator;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using LossGenerator = generator::AutoGrad.Generator.Pipeline.LossGenerator;

namespace AutoGrad.Benchmarks;

/// <summary>
/// What AutoGrad costs the compiler and the editor, per build and per keystroke:
/// <list type="bullet">
/// <item><c>Cold_50_losses</c>: a fresh driver over a fresh compilation holding one file of 50 mixed
/// losses (scalar and vector, locals, ?:, non-smooth functions): the generator's whole work for a clean
/// build. <c>Cold_no_losses</c> is the same with the 50 methods not marked [Loss].</item>
/// <item><c>Incremental_*</c>: the driver of the previous run and a new compilation in which another file
/// was edited, as the IDE makes one per keystroke (<c>ReplaceSyntaxTree</c>: the loss file is the same tree,
/// nothing bound yet). Against the same project without any [Loss] method, and against two reference
/// generators built the usual way, on <c>ForAttributeWithMetadataName</c>: one that only asks it for the
/// [Loss] methods, and one that also binds the calls in their bodies (Roslyn re-runs that transform, with
/// a new semantic model, on every compilation change; AutoGrad read its losses that way until its read
/// step learned to skip files whose reading cannot have changed, <c>Pipeline/SourceReader</c>).</item>
/// </list>
/// <c>dotnet run -c Release --project tests/AutoGrad.Benchmarks -- --filter '*GeneratorBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private ImmutableArray<MetadataReference> _references;
    private SyntaxTree _losses = null!, _plain = null!, _other = null!, _otherEdited = null!;
    private readonly Dictionary<string, (GeneratorDriver Driver, CSharpCompilation Compilation)> _editors = new();
    private CSharpCompilation? _readLosses, _readPlain;

    [GlobalSetup]
    public void Setup()
    {
        _references = References();
        _losses = CSharpSyntaxTree.ParseText(MixedLosses(50, marked: true), Parse, "/src/Losses.cs");
        _plain = CSharpSyntaxTree.ParseText(MixedLosses(50, marked: false), Parse, "/src/Losses.cs");
        _other = CSharpSyntaxTree.ParseText(Other("1.0"), Parse, "/src/Other.cs");
        _otherEdited = CSharpSyntaxTree.ParseText(Other("2.0"), Parse, "/src/Other.cs");

        // Sanity: 50 files generated, no diagnostics but the AG0006 notes.
        var run = NewDriver().RunGeneratorsAndUpdateCompilation(Compile(_losses, _other), out var output, out var diagnostics);
        int generated = run.GetRunResult().GeneratedTrees.Length;
        if (generated != 50 || diagnostics.Any(d => d.Id != "AG0006") || output.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException($"the benchmark's losses do not generate cleanly: {generated} files, " +
                string.Join("; ", diagnostics.Concat(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)).Take(5)));
        }

        Editor("losses", NewDriver(), _losses);
        Editor("none", NewDriver(), _plain);
        Editor("lookup", NewDriver(new AttributeLookupOnly()), _losses);
        Editor("bind", NewDriver(new AttributeLookupAndBinding()), _losses);
        Editor("lossEdited", NewDriver(), _losses);
        Editor("lossCommented", NewDriver(), _losses);
        Editor("cached", NewDriver(new CachedValues(steps: 11, oneFile: false)), _losses);
        Editor("cachedNoSteps", NewDriver(new CachedValues(steps: 0, oneFile: false)), _losses);
        Editor("cachedOneFile", NewDriver(new CachedValues(steps: 11, oneFile: true)), _losses);
    }

    private void Editor(string name, GeneratorDriver driver, SyntaxTree losses)
    {
        var compilation = Compile(losses, _other);
        _editors[name] = (driver.RunGenerators(compilation), compilation);
    }

    /// <summary>A clean build's generator work for 50 losses (fresh compilation: nothing bound yet, as in a build).</summary>
    [Benchmark]
    public GeneratorDriver Cold_50_losses() => NewDriver().RunGenerators(Compile(_losses, _other));

    /// <summary>The same project with the 50 methods not marked [Loss]: compilation and driver overhead alone.</summary>
    [Benchmark]
    public GeneratorDriver Cold_no_losses() => NewDriver().RunGenerators(Compile(_plain, _other));

    /// <summary>A keystroke in another file: the previous run's driver, the losses untouched.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver Incremental_after_unrelated_edit() => Keystroke("losses");

    /// <summary>The same keystroke in a project without any [Loss] method.</summary>
    [Benchmark]
    public GeneratorDriver Incremental_no_losses() => Keystroke("none");

    /// <summary>
    /// A keystroke inside a loss: loss 25 of the 50 in the file has its constant 1.25 typed as 1.5 and back, each time
    /// a new tree (incrementally reparsed, as the editor does), so the file is read again, and that loss derived and
    /// emitted again.
    /// </summary>
    [Benchmark]
    public GeneratorDriver Incremental_edit_inside_a_loss() => TypeInLossFile("lossEdited", "1.25", "1.5");

    /// <summary>The same with a comment typed inside loss 25's body: the file is read again, nothing derived again.</summary>
    [Benchmark]
    public GeneratorDriver Incremental_comment_inside_a_loss() => TypeInLossFile("lossCommented", "1.25", "1.25 /* x */");

    /// <summary>Reference: a generator that only looks the [Loss] methods up (ForAttributeWithMetadataName, name out).</summary>
    [Benchmark]
    public GeneratorDriver Incremental_floor_attribute_lookup() => Keystroke("lookup");

    /// <summary>Reference: the lookup, plus binding every call in the loss bodies (what reading a body semantically costs).</summary>
    [Benchmark]
    public GeneratorDriver Incremental_floor_lookup_and_binding() => Keystroke("bind");

    /// <summary>
    /// Reference: a generator that binds nothing and carries 50 unchanging values through as many steps as
    /// AutoGrad's pipeline has per loss (12) into a generated file each: Roslyn's own bookkeeping of cached
    /// values and files on a keystroke.
    /// </summary>
    [Benchmark]
    public GeneratorDriver Incremental_floor_50_cached_values() => Keystroke("cached");

    /// <summary>Reference: the same 50 values straight into 50 files, no steps between: what the steps cost.</summary>
    [Benchmark]
    public GeneratorDriver Incremental_floor_50_cached_values_no_steps() => Keystroke("cachedNoSteps");

    /// <summary>Reference: the same 50 values through the same steps, collected into one file: what the 50 files cost.</summary>
    [Benchmark]
    public GeneratorDriver Incremental_floor_50_cached_values_one_file() => Keystroke("cachedOneFile");

    /// <summary>AutoGrad's read step alone (<c>SourceReader.Read</c>) on the same keystroke, 50 losses in the project.</summary>
    [Benchmark]
    public object Read_step_after_unrelated_edit()
    {
        _readLosses = Edited(_readLosses ?? Compile(_losses, _other));
        return generator::AutoGrad.Generator.Pipeline.SourceReader.Read(_readLosses, default);
    }

    /// <summary>The read step alone on the same keystroke, no [Loss] in the project.</summary>
    [Benchmark]
    public object Read_step_after_unrelated_edit_no_losses()
    {
        _readPlain = Edited(_readPlain ?? Compile(_plain, _other));
        return generator::AutoGrad.Generator.Pipeline.SourceReader.Read(_readPlain, default);
    }

    /// <summary>A new compilation with the other file edited (back and forth), run through the editor's driver.</summary>
    private GeneratorDriver Keystroke(string name) => Run(name, Edited);

    private GeneratorDriver Run(string name, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var (driver, compilation) = _editors[name];
        compilation = edit(compilation);
        driver = driver.RunGenerators(compilation);
        _editors[name] = (driver, compilation);
        return driver;
    }

    /// <summary>The compilation with the other file edited: its text toggles between two versions, the loss file stays the same tree.</summary>
    private CSharpCompilation Edited(CSharpCompilation compilation)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == "/src/Other.cs");
        return compilation.ReplaceSyntaxTree(old, ReferenceEquals(old, _other) ? _otherEdited : _other);
    }

    /// <summary>Replaces <paramref name="from"/> by <paramref name="to"/> in the loss file, or back: a new tree every time.</summary>
    private GeneratorDriver TypeInLossFile(string name, string from, string to) => Run(name, compilation =>
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == "/src/Losses.cs");
        var text = old.GetText();
        string content = text.ToString();
        int at = content.IndexOf(to, StringComparison.Ordinal);
        var change = at >= 0
            ? new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(at, to.Length), from)
            : new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(content.IndexOf(from, StringComparison.Ordinal), from.Length), to);
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(text.WithChanges(change)));
    });

    /// <summary>The least an attribute-driven generator does on each compilation change.</summary>
    private sealed class AttributeLookupOnly : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName("AutoGrad.LossAttribute",
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                static (ctx, _) => ctx.TargetSymbol.Name);
            context.RegisterSourceOutput(names, static (spc, name) => spc.AddSource(name + ".g.cs", "// " + name));
        }
    }

    /// <summary>The lookup plus the semantic model's answer for every call in each body, as reading a loss needs.</summary>
    private sealed class AttributeLookupAndBinding : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName("AutoGrad.LossAttribute",
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol.Name + ctx.TargetNode.DescendantNodes()
                    .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
                    .Count(call => ctx.SemanticModel.GetSymbolInfo(call, ct).Symbol is not null));
            context.RegisterSourceOutput(names, static (spc, name) => spc.AddSource(name + ".g.cs", "// " + name));
        }
    }

    /// <summary>
    /// 50 values from the compilation (equal on every run), then <paramref name="steps"/> steps, as a per-loss
    /// pipeline, into a generated file per value or one file for all.
    /// </summary>
    private sealed class CachedValues(int steps, bool oneFile) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var values = context.CompilationProvider
                .Select(static (c, _) => c.SyntaxTrees.Any() ? Enumerable.Range(0, 50).ToImmutableArray() : ImmutableArray<int>.Empty)
                .WithComparer(new ArrayComparer())
                .SelectMany(static (a, _) => a);
            for (int step = 0; step < steps; step++) values = values.Select(static (v, _) => v + 1);
            if (oneFile)
            {
                context.RegisterSourceOutput(values.Collect(), static (spc, all) => spc.AddSource("V.g.cs", "// " + string.Join(", ", all)));
            }
            else
            {
                context.RegisterSourceOutput(values, static (spc, v) => spc.AddSource("V" + v + ".g.cs", "// " + v));
            }
        }

        private sealed class ArrayComparer : IEqualityComparer<ImmutableArray<int>>
        {
            public bool Equals(ImmutableArray<int> x, ImmutableArray<int> y) => x.SequenceEqual(y);

            public int GetHashCode(ImmutableArray<int> obj) => obj.Length;
        }
    }

    private static GeneratorDriver NewDriver(IIncrementalGenerator? generator = null) =>
        CSharpGeneratorDriver.Create(new[] { (generator ?? new LossGenerator()).AsSourceGenerator() }, parseOptions: Parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private CSharpCompilation Compile(params SyntaxTree[] trees) =>
        CSharpCompilation.Create("Bench", trees, _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static ImmutableArray<MetadataReference> References()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return tpa.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetFileName(p).StartsWith("AutoGrad.Generator", StringComparison.Ordinal))
            .Append(typeof(Vec).Assembly.Location)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private static string Other(string constant) => $$"""
        namespace App;

        public static class Other
        {
            public static double Scale(double x) => x * {{constant}};
        }
        """;

    /// <summary>The common losses, each in several variants (its own constant), with or without [Loss].</summary>
    public static string MixedLosses(int count, bool marked)
    {
        string[] templates =
        {
            "public static double Bce{0}(double z, [Target] double y) => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z))) * {1};",
            "public static double SoftmaxCe{0}(Vec z, [Target(SumsToOne = true)] Vec y) => -Sum(y * Log(Softmax(z))) * {1};",
            "public static double Huber{0}(double x, [Target] double y, [Constant] double delta) { var r = Abs(x - y); return r <= delta ? 0.5 * Square(x - y) * {1} : delta * (r - 0.5 * delta); }",
            "public static double Neuron{0}(double w, double b, [Constant] double x, [Target] double y) { var a = Sigmoid(w * x + b); return (a - y) * (a - y) / {1}; }",
            "public static double Focal{0}(double z, [Target] double y, [Constant] double gamma) => -(y * Pow(1 - Sigmoid(z), gamma) * Log(Sigmoid(z)) + (1 - y) * Pow(Sigmoid(z), gamma) * Log(1 - Sigmoid(z))) * {1};",
            "public static double LogCosh{0}(double x, [Target] double y) => Log(Math.Cosh(x - y)) * {1};",
            "public static double Poisson{0}(double z, [Target] double y) => (Exp(z) - y * z) * {1};",
            "public static double GaussianNll{0}(double mu, double logVar, [Target] double x) => 0.5 * (logVar + Square(x - mu) / Exp(logVar)) * {1};",
            "public static double Kl{0}(Vec z, [Target(SumsToOne = true)] Vec p) => Sum(p * (Log(p) - LogSoftmax(z))) * {1};",
            "public static double Smoothing{0}(Vec z, [Target(SumsToOne = true)] Vec y, [Constant] double eps) => -Sum(((1 - eps) * y + eps / z.Length) * LogSoftmax(z)) * {1};",
        };
        var sb = new StringBuilder("using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n\nnamespace App;\n\npublic static partial class Losses\n{\n");
        for (int i = 0; i < count; i++)
        {
            string constant = (1 + i / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
            sb.Append("    ").Append(marked ? "[Loss] " : "").Append(templates[i % templates.Length].Replace("{0}", i.ToString(CultureInfo.InvariantCulture)).Replace("{1}", constant)).Append('\n');
        }
        return sb.Append("}\n").ToString();
    }
}
