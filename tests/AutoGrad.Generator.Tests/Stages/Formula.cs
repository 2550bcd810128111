using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Differentiate;
using AutoGrad.Generator.Emit;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Parse;
using AutoGrad.Generator.Simplify;
using AutoGrad.Generator.Stabilize;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Tests.Stages;

/// <summary>
/// Drives the generator's stages on formulas written as text, without a compilation:
/// "z, y:target" declares the parameters (":vec" for vectors, ":target", ":const", ":sums1").
/// </summary>
internal sealed class Formula
{
    public ExprBuilder B { get; } = new();
    public List<string> Names { get; } = new();
    public List<int> Params { get; } = new();
    public List<bool> Differentiated { get; } = new();
    public List<int> SumsToOne { get; } = new();
    public int Root { get; }

    public Formula(string parameters, string expression)
    {
        var names = new Dictionary<string, int>();
        int i = 0;
        foreach (var raw in parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split(':');
            bool vec = parts.Contains("vec");
            int p = B.Param(i, vec ? Shape.Vector : Shape.Scalar);
            names[parts[0]] = p;
            Names.Add(parts[0]);
            Params.Add(p);
            Differentiated.Add(!parts.Contains("target") && !parts.Contains("const"));
            if (parts.Contains("sums1")) SumsToOne.Add(i);
            i++;
        }
        var translator = new ExpressionTranslator(B, new TextOracle(), names, ulong.MaxValue);
        var root = translator.Translate(SyntaxFactory.ParseExpression(expression));
        if (root is null) throw new InvalidOperationException(string.Join("; ", translator.Diagnostics.Select(d => string.Join(",", d.Arguments))));
        Root = root.Value;
    }

    public string Print(int id) => new ExpressionPrinter(B.Extract(new[] { id }), Names, PrintMode.Display).Print(0 + B.Extract(new[] { id }).Root);

    /// <summary>The raw reverse-mode gradient with respect to parameter <paramref name="name"/>.</summary>
    public int RawGradient(string name) => ReverseMode.Gradients(B, Root, new[] { Params[Names.IndexOf(name)] })[0];

    public int Simplify(int id) => new Simplifier(B, new Facts(SumsToOne)).Simplify(id);

    public int Stabilize(int id) => StabilityRules.Apply(B, new[] { id })[0];

    /// <summary>The printed simplified, stabilized gradient, as the generator would show it.</summary>
    public string Gradient(string name) => Print(Stabilize(Simplify(RawGradient(name))));

    public double Cost(int id) => CostModel.Cost(B, id);

    public double[] Evaluate(int id, IReadOnlyList<double[]> values, int n = 1) =>
        Evaluator.Evaluate(B.Extract(new[] { id }), values, n)[0];

    private sealed class TextOracle : ISemanticOracle
    {
        public CallTarget? ResolveCall(InvocationExpressionSyntax call) => call.Expression switch
        {
            IdentifierNameSyntax id => new CallTarget("AutoGrad.Fn", id.Identifier.ValueText),
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Math" } } m => new CallTarget("System.Math", m.Name.Identifier.ValueText),
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Fn" } } m => new CallTarget("AutoGrad.Fn", m.Name.Identifier.ValueText),
            _ => null,
        };

        public double? ConstantValue(ExpressionSyntax expression) => null;
    }
}
