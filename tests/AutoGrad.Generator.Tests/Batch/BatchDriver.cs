using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Tests.Batch;

/// <summary>What a parameter of a [Loss] method is, read from its syntax.</summary>
public sealed record LossParameter(string Name, bool IsVector, bool IsTarget, bool IsConstant)
{
    public bool IsDifferentiated => !IsTarget && !IsConstant;
}

/// <summary>A [Loss] method of a test source.</summary>
public sealed record LossSignature(string TypeName, string Method, IReadOnlyList<LossParameter> Parameters)
{
    public bool IsVectorLoss => Parameters.Any(p => p.IsVector);

    public IReadOnlyList<int> Differentiated => Parameters.Select((p, i) => (p, i)).Where(t => t.p.IsDifferentiated).Select(t => t.i).ToList();

    /// <summary>The adapter method's name for one batch method and element type.</summary>
    public string Adapter(string batchMethod, bool isFloat) =>
        TypeName.Replace('.', '_') + "_" + Method + "_" + batchMethod + "_" + (isFloat ? "Single" : "Double");
}

/// <summary>
/// Calls the generated batch kernels (which take spans, so reflection cannot call them) through an adapter compiled
/// with the test source: for every [Loss] method and element type T, static methods that take the inputs as an
/// <c>object[]</c> (a <c>T[]</c> per span parameter, a boxed T per [Constant] number), the class count, the outputs as
/// arrays and the reduction as an int, and call <c>MForward</c>, <c>MBackward</c>, <c>MForwardBackward</c>.
/// </summary>
public sealed class BatchDriver
{
    public const string AdapterType = "AutoGradBatchTestAdapter";

    private readonly Dictionary<string, MethodInfo> _methods;

    private BatchDriver(GeneratorRun run, IReadOnlyList<LossSignature> losses)
    {
        Run = run;
        Losses = losses;
        var type = run.Load().GetType(AdapterType, throwOnError: true)!;
        _methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static).ToDictionary(m => m.Name);
    }

    public GeneratorRun Run { get; }

    public IReadOnlyList<LossSignature> Losses { get; }

    public Assembly Assembly => Run.Load();

    public LossSignature this[string method] => Losses.Single(l => l.Method == method);

    /// <summary>Generates the losses of <paramref name="source"/> together with their adapter, and loads the result.</summary>
    public static BatchDriver Create(string source)
    {
        var losses = ReadLosses(source);
        var run = GeneratorHarness.Run(source, AdapterSource(losses));
        run.AssertNoErrors();
        return new BatchDriver(run, losses);
    }

    /// <summary>
    /// A driver over a run that already compiled <see cref="AdapterSource"/> of <paramref name="losses"/> with their source
    /// (as the gradient fuzzer does, to get the kernels from the same generator run); the caller checks the run for errors.
    /// </summary>
    public static BatchDriver For(GeneratorRun run, IReadOnlyList<LossSignature> losses) => new(run, losses);

    // ---- calls ---------------------------------------------------------------------------------

    public object Forward(LossSignature loss, bool isFloat, object[] inputs, int classes, int reduction) =>
        Call(loss.Adapter("Forward", isFloat), inputs, classes, reduction)!;

    public void ForwardPerExample(LossSignature loss, bool isFloat, object[] inputs, int classes, Array losses) =>
        Call(loss.Adapter("ForwardPerExample", isFloat), inputs, classes, losses);

    public void Backward(LossSignature loss, bool isFloat, object[] inputs, int classes, Array[] gradients, int reduction) =>
        Call(loss.Adapter("Backward", isFloat), inputs, classes, ToTyped(gradients, isFloat), reduction);

    public object ForwardBackward(LossSignature loss, bool isFloat, object[] inputs, int classes, Array[] gradients, int reduction) =>
        Call(loss.Adapter("ForwardBackward", isFloat), inputs, classes, ToTyped(gradients, isFloat), reduction)!;

    private static object ToTyped(Array[] arrays, bool isFloat) =>
        isFloat ? arrays.Cast<float[]>().ToArray() : arrays.Cast<double[]>().ToArray();

    private object? Call(string adapter, params object[] args) =>
        _methods[adapter].Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, args, CultureInfo.InvariantCulture);

    // ---- reading the source --------------------------------------------------------------------

    /// <summary>The [Loss] methods of a source, read from syntax (attribute names as written: Loss, Target, Constant).</summary>
    public static IReadOnlyList<LossSignature> ReadLosses(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var result = new List<LossSignature>();
        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (!HasAttribute(method.AttributeLists, "Loss")) continue;
            var names = method.Ancestors().OfType<TypeDeclarationSyntax>().Select(t => t.Identifier.ValueText).Reverse();
            var ns = method.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse();
            string typeName = string.Join(".", ns.Concat(names));
            var parameters = method.ParameterList.Parameters.Select(p => new LossParameter(
                p.Identifier.ValueText,
                p.Type!.ToString().EndsWith("Vec", StringComparison.Ordinal),
                HasAttribute(p.AttributeLists, "Target"),
                HasAttribute(p.AttributeLists, "Constant"))).ToList();
            result.Add(new LossSignature(typeName, method.Identifier.ValueText, parameters));
        }
        return result;
    }

    private static bool HasAttribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(l => l.Attributes).Any(a =>
        {
            string n = a.Name.ToString();
            return n == name || n == name + "Attribute" || n.EndsWith("." + name, StringComparison.Ordinal) || n.EndsWith("." + name + "Attribute", StringComparison.Ordinal);
        });

    /// <summary>The adapter class (<see cref="AdapterType"/>) for <paramref name="losses"/>, to compile with their source.</summary>
    public static string AdapterSource(IReadOnlyList<LossSignature> losses)
    {
        var sb = new StringBuilder();
        sb.AppendLine("public static class " + AdapterType);
        sb.AppendLine("{");
        foreach (var loss in losses)
        {
            foreach (bool isFloat in new[] { true, false })
            {
                string t = isFloat ? "float" : "double";
                string target = "global::" + loss.TypeName + "." + loss.Method;
                var inputs = loss.Parameters.Select((p, i) => p.IsConstant && !p.IsVector ? "(" + t + ")a[" + i + "]" : "(" + t + "[])a[" + i + "]").ToList();
                if (loss.IsVectorLoss) inputs.Add("classes");
                string ins = string.Join(", ", inputs);
                string red = "(global::AutoGrad.Reduction)reduction";
                var grads = string.Join(", ", Enumerable.Range(0, loss.Differentiated.Count).Select(k => "d[" + k + "]"));
                sb.AppendLine($"    public static {t} {loss.Adapter("Forward", isFloat)}(object[] a, int classes, int reduction) => {target}Forward({ins}, {red});");
                sb.AppendLine($"    public static void {loss.Adapter("ForwardPerExample", isFloat)}(object[] a, int classes, {t}[] losses) => {target}Forward({ins}, losses);");
                sb.AppendLine($"    public static void {loss.Adapter("Backward", isFloat)}(object[] a, int classes, {t}[][] d, int reduction) => {target}Backward({ins}, {grads}, {red});");
                sb.AppendLine($"    public static {t} {loss.Adapter("ForwardBackward", isFloat)}(object[] a, int classes, {t}[][] d, int reduction) => {target}ForwardBackward({ins}, {grads}, {red});");
            }
        }
        sb.AppendLine("}");
        return sb.ToString();
    }
}
