using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parse;

/// <summary>Answers the translator's questions from the semantic model (losses and hand-written gradients alike).</summary>
internal sealed class SemanticOracle : ISemanticOracle
{
    private readonly SemanticModel _model;
    private readonly CancellationToken _token;

    public SemanticOracle(SemanticModel model, CancellationToken token)
    {
        _model = model;
        _token = token;
    }

    public CallTarget? ResolveCall(InvocationExpressionSyntax call)
    {
        var info = _model.GetSymbolInfo(call, _token);
        var symbol = info.Symbol as IMethodSymbol ?? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
        return symbol is null ? null : new CallTarget(symbol.ContainingType.ToDisplayString(), symbol.Name);
    }

    public double? ConstantValue(ExpressionSyntax expression)
    {
        var value = _model.GetConstantValue(expression, _token);
        // char converts to double in C# ('a' * z is 97 * z), but IConvertible.ToDouble throws for it.
        if (value.HasValue && value.Value is char ch) return ch;
        return value.HasValue && value.Value is IConvertible c and not string and not bool
            ? c.ToDouble(System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
