using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// Reads a fuzzed loss back from C# text (the form the shrinker prints), so that a regression is one
/// line: <c>("Vec v, [Constant] double u", "Math.Min(Mean(Exp(v)), u)")</c>. Only the fuzzer's grammar is understood.
/// </summary>
internal static class FParse
{
    /// <summary>A loss from its parameter list and its body: an expression, or <c>var t0 = ...; return ...;</c>.</summary>
    public static FLoss Loss(string name, string parameters, string body)
    {
        var list = SyntaxFactory.ParseParameterList("(" + parameters + ")");
        var specs = list.Parameters.Select(p =>
        {
            var attributes = p.AttributeLists.SelectMany(a => a.Attributes).Select(a => a.ToString()).ToList();
            var role = attributes.Any(a => a.StartsWith("Target", StringComparison.Ordinal)) ? FRole.Target
                : attributes.Any(a => a.StartsWith("Constant", StringComparison.Ordinal)) ? FRole.Constant
                : FRole.Differentiated;
            return new FParam(p.Identifier.ValueText, p.Type!.ToString() == "Vec", role, attributes.Any(a => a.Contains("SumsToOne = true")));
        }).ToList();
        var shapes = specs.ToDictionary(p => p.Name, p => p.IsVec);
        foreach (var c in FSource.Constants.Keys) shapes[c] = false;

        var locals = new List<(string, FExpr)>();
        FExpr result;
        if (body.Contains("return", StringComparison.Ordinal))
        {
            var block = (BlockSyntax)SyntaxFactory.ParseStatement("{" + body + "}");
            foreach (var local in block.Statements.OfType<LocalDeclarationStatementSyntax>())
            {
                var v = local.Declaration.Variables.Single();
                var value = Expr(v.Initializer!.Value, shapes);
                shapes[v.Identifier.ValueText] = value.IsVec;
                locals.Add((v.Identifier.ValueText, value));
            }
            result = Expr(block.Statements.OfType<ReturnStatementSyntax>().Single().Expression!, shapes);
        }
        else
        {
            result = Expr(SyntaxFactory.ParseExpression(body), shapes);
        }
        return new FLoss(name, specs, locals, result);
    }

    private static FExpr Expr(ExpressionSyntax e, Dictionary<string, bool> shapes)
    {
        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return Expr(p.Expression, shapes);
            case LiteralExpressionSyntax l:
                return new FNum(Convert.ToDouble(l.Token.Value, CultureInfo.InvariantCulture), l.Token.Text);
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
                return u.Operand is LiteralExpressionSyntax lit
                    ? new FNum(-Convert.ToDouble(lit.Token.Value, CultureInfo.InvariantCulture), "-" + lit.Token.Text)
                    : new FNeg(Expr(u.Operand, shapes));
            case IdentifierNameSyntax id:
                return new FVar(id.Identifier.ValueText, shapes[id.Identifier.ValueText]);
            case BinaryExpressionSyntax b:
                return new FBin(b.OperatorToken.Text[0], Expr(b.Left, shapes), Expr(b.Right, shapes));
            case ConditionalExpressionSyntax c:
            {
                var cmp = (BinaryExpressionSyntax)Unwrap(c.Condition);
                return new FCond(cmp.OperatorToken.Text, Expr(cmp.Left, shapes), Expr(cmp.Right, shapes), Expr(c.WhenTrue, shapes), Expr(c.WhenFalse, shapes));
            }
            case InvocationExpressionSyntax call:
            {
                var args = call.ArgumentList.Arguments.Select(a => Expr(a.Expression, shapes)).ToArray();
                if (call.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Math" } } m)
                {
                    return new FCall("Math", m.Name.Identifier.ValueText, args, false);
                }
                string name = call.Expression.ToString();
                return new FCall("Fn", name, args, LossFuzzer.IsVecResult(name, args));
            }
            default:
                throw new ArgumentException("not in the fuzz grammar: " + e);
        }
    }

    private static ExpressionSyntax Unwrap(ExpressionSyntax e) => e is ParenthesizedExpressionSyntax p ? Unwrap(p.Expression) : e;
}
