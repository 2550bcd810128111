using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parse;

/// <summary>Where a call goes: the class that declares the method, and its name.</summary>
internal readonly record struct CallTarget(string ContainingType, string Name);

/// <summary>
/// What the translator needs to know beyond syntax. The generator answers from the semantic model;
/// stage tests answer from the text alone, so they can parse formulas without a compilation.
/// </summary>
internal interface ISemanticOracle
{
    /// <summary>The method a call binds to, or null when it binds to nothing.</summary>
    CallTarget? ResolveCall(InvocationExpressionSyntax call);

    /// <summary>The compile-time constant value of an expression, if it has one.</summary>
    double? ConstantValue(ExpressionSyntax expression);
}

/// <summary>
/// Turns a C# expression into IR nodes: operators, literals, parameters and locals, <c>?:</c> with
/// comparisons, and calls into <c>AutoGrad.Fn</c> and <c>System.Math</c>. Everything else is
/// reported (AG0003, AG0004) at the construct, with what to write instead.
/// </summary>
internal sealed class ExpressionTranslator
{
    private const string FnType = "AutoGrad.Fn";
    private const string MathType = "System.Math";

    private readonly ExprBuilder _b;
    private readonly ISemanticOracle _oracle;
    private readonly Dictionary<string, int> _names;
    private readonly ulong _differentiated;

    public ExpressionTranslator(ExprBuilder builder, ISemanticOracle oracle, Dictionary<string, int> names, ulong differentiatedMask)
    {
        _b = builder;
        _oracle = oracle;
        _names = names;
        _differentiated = differentiatedMask;
    }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public List<NonSmoothSite> NonSmooth { get; } = new();

    /// <summary>Deeper expressions are reported rather than translated, so translation never exhausts the stack.</summary>
    public const int MaxDepth = 400;

    private int _depth;

    /// <summary>The IR of <paramref name="e"/>, or null after reporting why it cannot be translated.</summary>
    public int? Translate(ExpressionSyntax e)
    {
        if (_depth >= MaxDepth)
        {
            return Unsupported(e, $"the expression is nested more than {MaxDepth} levels deep; split it into locals");
        }
        _depth++;
        try
        {
            return TranslateCore(e);
        }
        finally
        {
            _depth--;
        }
    }

    private int? TranslateCore(ExpressionSyntax e)
    {
        if (e is not LiteralExpressionSyntax && _oracle.ConstantValue(e) is double constant) return _b.Const(constant);

        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return Translate(p.Expression);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                return _b.Const(Convert.ToDouble(literal.Token.Value, System.Globalization.CultureInfo.InvariantCulture));
            case IdentifierNameSyntax id:
                if (_names.TryGetValue(id.Identifier.ValueText, out int node)) return node;
                return Unsupported(e, $"'{id.Identifier.ValueText}' is not a parameter, a local or a constant; a [Loss] body can only use its parameters, its locals and constants");
            case CastExpressionSyntax cast when cast.Type is PredefinedTypeSyntax { Keyword.ValueText: "double" }:
                return Translate(cast.Expression);
            case CheckedExpressionSyntax checkedExpression:
                return Translate(checkedExpression.Expression);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return Map(Translate(unary.Operand), _b.Neg);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return Translate(unary.Operand);
            case BinaryExpressionSyntax binary:
                return TranslateBinary(binary);
            case ConditionalExpressionSyntax conditional:
                return TranslateConditional(conditional);
            case InvocationExpressionSyntax call:
                return TranslateCall(call);
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } member
                when member.Expression is IdentifierNameSyntax target && _names.TryGetValue(target.Identifier.ValueText, out int v) && _b.ShapeOf(v) == Shape.Vector:
                return _b.ClassCount();
            case ElementAccessExpressionSyntax:
                return Unsupported(e, "indexing is not supported in a [Loss] body; write the loss over whole vectors with elementwise operators and reductions (Sum, Dot, Max, LogSumExp, Softmax)");
            case AssignmentExpressionSyntax:
                return Unsupported(e, "assignment is not supported in a [Loss] body; declare a new local instead (var a = ...;)");
            case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax:
                return Unsupported(e, $"the operator '{OperatorText(e)}' is not supported in a [Loss] body; use + - * / and unary minus");
            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax:
                return Unsupported(e, "creating objects or arrays is not supported in a [Loss] body; take vectors as Vec parameters");
            case LambdaExpressionSyntax or AnonymousMethodExpressionSyntax:
                return Unsupported(e, "lambdas are not supported in a [Loss] body; write the expression inline or as a local");
            case SwitchExpressionSyntax:
                return Unsupported(e, "switch expressions are not supported in a [Loss] body; use cond ? a : b with comparisons");
            default:
                return Unsupported(e, $"'{Shorten(e.ToString())}' ({e.Kind()}) is not supported in a [Loss] body; use + - * /, numeric literals, parameters, locals, cond ? a : b and calls into AutoGrad.Fn or System.Math");
        }
    }

    private int? Unsupported(SyntaxNode at, string message)
    {
        Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(at), message));
        return null;
    }

    private static string OperatorText(ExpressionSyntax e) => e switch
    {
        PostfixUnaryExpressionSyntax p => p.OperatorToken.Text,
        PrefixUnaryExpressionSyntax p => p.OperatorToken.Text,
        _ => e.Kind().ToString(),
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s.Substring(0, 37) + "...";

    private static int? Map(int? a, Func<int, int> f) => a is int x ? f(x) : null;

    private int? TranslateBinary(BinaryExpressionSyntax binary)
    {
        var kind = binary.Kind();
        if (kind is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression
            or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
            or SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression)
        {
            return Unsupported(binary, "a comparison can only be the condition of cond ? a : b in a [Loss] body");
        }
        // Translate both sides so that every error in the expression is reported at once.
        int? left = Translate(binary.Left);
        int? right = Translate(binary.Right);
        if (kind is not (SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression))
        {
            return Unsupported(binary, $"the operator '{binary.OperatorToken.Text}' is not supported in a [Loss] body; use + - * / (and Fn.Pow for powers)");
        }
        if (left is not int a || right is not int b) return null;
        return kind switch
        {
            SyntaxKind.AddExpression => _b.Add(a, b),
            SyntaxKind.SubtractExpression => _b.Sub(a, b),
            SyntaxKind.MultiplyExpression => _b.Mul(a, b),
            _ => _b.Div(a, b),
        };
    }

    private int? TranslateConditional(ConditionalExpressionSyntax conditional)
    {
        int? whenTrue = Translate(conditional.WhenTrue);
        int? whenFalse = Translate(conditional.WhenFalse);
        if (whenTrue is not int t || whenFalse is not int f) return null;
        int? result = TranslateCondition(conditional.Condition, t, f);
        if (result is int r) NoteNonSmooth("?:", conditional, _b.ParamMask(r));
        return result;
    }

    /// <summary>cond ? t : f, with &amp;&amp;, || and ! unfolded into nested selections.</summary>
    private int? TranslateCondition(ExpressionSyntax condition, int t, int f)
    {
        switch (condition)
        {
            case ParenthesizedExpressionSyntax p:
                return TranslateCondition(p.Expression, t, f);
            case PrefixUnaryExpressionSyntax not when not.IsKind(SyntaxKind.LogicalNotExpression):
                return TranslateCondition(not.Operand, f, t);
            case BinaryExpressionSyntax conjunction when conjunction.IsKind(SyntaxKind.LogicalAndExpression):
            {
                int? inner = TranslateCondition(conjunction.Right, t, f);
                return inner is int i ? TranslateCondition(conjunction.Left, i, f) : null;
            }
            case BinaryExpressionSyntax disjunction when disjunction.IsKind(SyntaxKind.LogicalOrExpression):
            {
                int? inner = TranslateCondition(disjunction.Right, t, f);
                return inner is int i ? TranslateCondition(disjunction.Left, t, i) : null;
            }
            case BinaryExpressionSyntax comparison:
            {
                var kind = comparison.Kind();
                if (kind is not (SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression
                    or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression))
                {
                    break;
                }
                int? left = Translate(comparison.Left);
                int? right = Translate(comparison.Right);
                if (left is not int a || right is not int b) return null;
                int c = kind switch
                {
                    SyntaxKind.LessThanExpression => _b.Compare(Op.Less, a, b),
                    SyntaxKind.LessThanOrEqualExpression => _b.Compare(Op.LessEqual, a, b),
                    SyntaxKind.GreaterThanExpression => _b.Greater(a, b),
                    SyntaxKind.GreaterThanOrEqualExpression => _b.GreaterEqual(a, b),
                    SyntaxKind.EqualsExpression => _b.Compare(Op.Equal, a, b),
                    _ => _b.Compare(Op.NotEqual, a, b),
                };
                return _b.Select(c, t, f);
            }
        }
        return Unsupported(condition, "the condition of ?: must be a comparison (< <= > >= == !=), optionally combined with && || !");
    }

    private void NoteNonSmooth(string construct, SyntaxNode at, ulong dependsOn)
    {
        if ((dependsOn & _differentiated) != 0) NonSmooth.Add(new NonSmoothSite(construct, LocationInfo.From(at)));
    }

    private int? TranslateCall(InvocationExpressionSyntax call)
    {
        var target = _oracle.ResolveCall(call);
        var args = new List<int>();
        bool failed = false;
        foreach (var argument in call.ArgumentList.Arguments)
        {
            if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                Unsupported(argument, "named, ref, out and in arguments are not supported in a [Loss] body; pass arguments by position");
                failed = true;
                continue;
            }
            if (Translate(argument.Expression) is int a) args.Add(a);
            else failed = true;
        }

        string shown = call.Expression.ToString();
        if (target is not CallTarget t || (t.ContainingType != FnType && t.ContainingType != MathType))
        {
            Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedCall, LocationInfo.From(call), shown,
                "only the functions of AutoGrad.Fn and System.Math can be differentiated; write the helper's body inline, or as a local, in the [Loss] method"));
            return null;
        }
        if (failed) return null;

        int? result = t.ContainingType == FnType ? Fn(t.Name, args) : MathCall(t.Name, args);
        if (result is null)
        {
            Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedCall, LocationInfo.From(call), shown,
                $"{t.ContainingType}.{t.Name} with {args.Count} argument(s) has no derivative in AutoGrad; the supported functions are listed in the README"));
            return null;
        }
        if (t.Name is "Abs" or "Max" or "Min" or "Clamp" or "Sign")
        {
            ulong mask = 0;
            foreach (int a in args) mask |= _b.ParamMask(a);
            NoteNonSmooth(t.Name, call, mask);
        }
        return result;
    }

    private int? Fn(string name, List<int> a) => (name, a.Count) switch
    {
        ("Log", 1) => _b.Log(a[0]),
        ("Exp", 1) => _b.Exp(a[0]),
        ("Sqrt", 1) => _b.Sqrt(a[0]),
        ("Abs", 1) => _b.Abs(a[0]),
        ("Square", 1) => _b.Power(a[0], 2),
        ("Pow", 2) => _b.Pow(a[0], a[1]),
        ("Log1P", 1) => _b.Log1P(a[0]),
        ("ExpM1", 1) => _b.ExpM1(a[0]),
        ("Sigmoid", 1) => _b.Sigmoid(a[0]),
        ("LogSigmoid", 1) => _b.Neg(_b.Softplus(_b.Neg(a[0]))),
        ("Softplus", 1) => _b.Softplus(a[0]),
        ("Tanh", 1) => _b.Tanh(a[0]),
        ("Max", 1) => _b.ReduceMax(a[0]),
        ("Max", 2) => _b.MaxMin(Op.Max, a[0], a[1]),
        ("Min", 2) => _b.MaxMin(Op.Min, a[0], a[1]),
        ("Clamp", 3) => _b.MaxMin(Op.Min, _b.MaxMin(Op.Max, a[0], a[1]), a[2]),
        ("Sum", 1) => _b.Sum(a[0]),
        ("Mean", 1) => _b.Mean(a[0]),
        ("Dot", 2) => _b.Dot(a[0], a[1]),
        ("LogSumExp", 1) => _b.LogSumExp(a[0]),
        ("Softmax", 1) => _b.Softmax(a[0]),
        ("LogSoftmax", 1) => _b.LogSoftmax(a[0]),
        _ => null,
    };

    /// <summary>
    /// What System.Math adds to AutoGrad.Fn; the functions both have (Log, Exp, Sqrt, Abs, Pow,
    /// Tanh, Max, Min, Clamp) are Fn's. The call already bound, so only real Math methods get here.
    /// </summary>
    private int? MathCall(string name, List<int> a) => (name, a.Count) switch
    {
        ("Log", 2) => _b.Div(_b.Log(a[0]), _b.Log(a[1])),
        ("Log10", 1) => _b.Div(_b.Log(a[0]), _b.Const(Math.Log(10))),
        ("Log2", 1) => _b.Div(_b.Log(a[0]), _b.Const(Math.Log(2))),
        ("Cosh", 1) => _b.Mul(_b.Const(0.5), _b.Add(_b.Exp(a[0]), _b.Exp(_b.Neg(a[0])))),
        ("Sinh", 1) => _b.Mul(_b.Const(0.5), _b.Sub(_b.Exp(a[0]), _b.Exp(_b.Neg(a[0])))),
        ("Sign", 1) => _b.Sign(a[0]),
        ("FusedMultiplyAdd", 3) => _b.Add(_b.Mul(a[0], a[1]), a[2]),
        _ => Fn(name, a),
    };
}
