using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Emit;

/// <summary>How a formula is printed.</summary>
internal enum PrintMode
{
    /// <summary>For people: <c>Sigmoid(z) - y</c>, the <c>AutoGrad.Fn</c> names, minimal parentheses.</summary>
    Display,

    /// <summary>For the compiler: fully qualified names, double literals, generated helpers for vector conditions.</summary>
    Code,
}

/// <summary>
/// Prints a DAG node as a C# expression: sums with their negative terms as subtractions, in the order the
/// generated code adds them (<see cref="SumOrder"/>), products with their negative powers as a division, single
/// spaces around binary operators, parentheses only where precedence needs them.
/// </summary>
internal sealed class ExpressionPrinter
{
    private const string Fn = "global::AutoGrad.Fn.";
    private const string Helpers = "global::AutoGrad.Internal.GeneratedHelpers.";

    // C# precedence levels, lowest first.
    private const int Conditional = 0, Equality = 1, Relational = 2, Additive = 3, Multiplicative = 4, Unary = 5, Primary = 6;

    private readonly ExprDag _dag;
    private readonly IReadOnlyList<string> _names;
    private readonly PrintMode _mode;
    private readonly IReadOnlyDictionary<int, string> _locals;
    private readonly string _classCount;

    /// <param name="dag">The expressions.</param>
    /// <param name="parameterNames">Names of the parameters, by index.</param>
    /// <param name="mode">Display or code.</param>
    /// <param name="locals">In code mode: nodes already held in a local, by name.</param>
    public ExpressionPrinter(ExprDag dag, IReadOnlyList<string> parameterNames, PrintMode mode, IReadOnlyDictionary<int, string>? locals = null)
    {
        _dag = dag;
        _names = parameterNames;
        _mode = mode;
        _locals = locals ?? new Dictionary<int, string>();
        _classCount = ClassCountNameFor(parameterNames);
    }

    /// <summary>The name the class count prints as, unless a parameter has it (see <see cref="ClassCountNameFor"/>).</summary>
    public const string ClassCountName = "n";

    /// <summary>
    /// The name the class count prints as for a loss with these parameter names: <c>n</c>, or <c>n_</c>, <c>n__</c>, ...
    /// when a parameter is already called that. Generated code declares a local of that name.
    /// </summary>
    public static string ClassCountNameFor(IEnumerable<string> parameterNames)
    {
        var taken = new HashSet<string>(parameterNames.Select(p => p.TrimStart('@')));
        string name = ClassCountName;
        while (taken.Contains(name)) name += "_";
        return name;
    }

    public string Print(int id) => Print(id, Conditional, allowLocal: true);

    /// <summary>Prints the definition of a node even when it is itself held in a local.</summary>
    public string PrintDefinition(int id) => Print(id, Conditional, allowLocal: false);

    private string Print(int id, int context, bool allowLocal = true)
    {
        if (allowLocal && _locals.TryGetValue(id, out var local)) return local;
        var (text, level) = Render(id);
        return level < context ? "(" + text + ")" : text;
    }

    private (string Text, int Level) Render(int id)
    {
        var n = _dag[id];
        switch (n.Op)
        {
            case Op.Const:
                return (Literal(n.Value), n.Value < 0 ? Unary : Primary);
            case Op.Param:
                return (_names[n.Index], Primary);
            case Op.ClassCount:
                return (_classCount, Primary);
            case Op.Add:
                return (RenderSum(n), Additive);
            case Op.Mul:
            {
                var (c, factors) = SplitCoefficient(id);
                return RenderProduct(c, factors);
            }
            case Op.Pow:
                return RenderProduct(1, new List<int> { id });
            case Op.Less:
                return (Comparison(n, "<", "Less"), _mode == PrintMode.Code && n.Shape == Shape.Vector ? Primary : Relational);
            case Op.LessEqual:
                return (Comparison(n, "<=", "LessOrEqual"), _mode == PrintMode.Code && n.Shape == Shape.Vector ? Primary : Relational);
            case Op.Equal:
                return (Comparison(n, "==", "Equal"), _mode == PrintMode.Code && n.Shape == Shape.Vector ? Primary : Equality);
            case Op.NotEqual:
                return (Comparison(n, "!=", "NotEqual"), _mode == PrintMode.Code && n.Shape == Shape.Vector ? Primary : Equality);
            case Op.Select:
                if (_mode == PrintMode.Code && n.Shape == Shape.Vector && _dag[n.Args[0]].Shape == Shape.Scalar)
                {
                    // One condition for the whole vector: a C# conditional, with scalar branches broadcast so both are Vec.
                    return (Print(n.Args[0], Conditional + 1) + " ? " + AsVector(n.Args[1], Conditional + 1) + " : " + AsVector(n.Args[2], Conditional), Conditional);
                }
                if (_mode == PrintMode.Code && n.Shape == Shape.Vector)
                {
                    return (Helpers + "Select(" + Print(n.Args[0]) + ", " + Print(n.Args[1]) + ", " + Print(n.Args[2]) + ")", Primary);
                }
                return (Print(n.Args[0], Conditional + 1) + " ? " + Print(n.Args[1], Conditional + 1) + " : " + Print(n.Args[2], Conditional), Conditional);
            case Op.Sign:
                return (Call(_mode == PrintMode.Code ? Helpers + "Sign" : "Sign", n.Args), Primary);
            default:
                return (Call(FunctionName(n.Op), n.Args), Primary);
        }
    }

    private string AsVector(int id, int context) =>
        _dag[id].Shape == Shape.Vector ? Print(id, context) : Helpers + "Broadcast(" + _classCount + ", " + Print(id) + ")";

    private string FunctionName(Op op)
    {
        string name = OpTable.Info(op).Name;
        return _mode == PrintMode.Code ? Fn + name : name;
    }

    private string Call(string name, IEnumerable<int> args) => name + "(" + string.Join(", ", args.Select(a => Print(a))) + ")";

    private string Comparison(Node n, string symbol, string helper)
    {
        if (_mode == PrintMode.Code && n.Shape == Shape.Vector) return Helpers + helper + "(" + Print(n.Args[0]) + ", " + Print(n.Args[1]) + ")";
        int level = symbol is "==" or "!=" ? Equality : Relational;
        return Print(n.Args[0], level) + " " + symbol + " " + Print(n.Args[1], level + 1);
    }

    private string RenderSum(Node n)
    {
        var sb = new StringBuilder();
        foreach (int t in SumOrder.Arrange(_dag, n.Args.ToList(), IsNegative))
        {
            if (sb.Length == 0)
            {
                sb.Append(Print(t, Additive));
                continue;
            }
            if (!IsNegative(t))
            {
                sb.Append(" + ").Append(Print(t, Additive));
                continue;
            }
            var (c, factors) = SplitCoefficient(t);
            sb.Append(" - ");
            var (text, level) = RenderProduct(-c, factors);
            sb.Append(level <= Additive ? "(" + text + ")" : text);
        }
        return sb.ToString();
    }

    private bool IsNegative(int t)
    {
        if (_locals.ContainsKey(t)) return false;
        var n = _dag[t];
        if (n.Op == Op.Const) return n.Value < 0;
        return n.Op == Op.Mul && _dag[n.Args[0]].Op == Op.Const && _dag[n.Args[0]].Value < 0;
    }

    private (double Coefficient, List<int> Factors) SplitCoefficient(int id)
    {
        var n = _dag[id];
        if (_locals.ContainsKey(id)) return (1, new List<int> { id });
        if (n.Op == Op.Const) return (n.Value, new List<int>());
        if (n.Op != Op.Mul) return (1, new List<int> { id });
        if (_dag[n.Args[0]].Op == Op.Const) return (_dag[n.Args[0]].Value, n.Args.Skip(1).ToList());
        return (1, n.Args.ToList());
    }

    private (string Text, int Level) RenderProduct(double coefficient, List<int> factors)
    {
        if (coefficient < 0)
        {
            // (-a) * b = -(a * b) exactly in floating point, so a product needs no parentheses after the minus.
            var (inner, level) = RenderProduct(-coefficient, factors);
            if (level >= Unary) return ("-" + inner, Unary);
            return level == Multiplicative ? ("-" + inner, Multiplicative) : ("-(" + inner + ")", Unary);
        }

        var numerator = new List<string>();
        var denominator = new List<(int Base, double Exponent)>();
        if (coefficient != 1 || factors.Count == 0) numerator.Add(Literal(coefficient));
        foreach (int f in factors)
        {
            var n = _dag[f];
            if (!_locals.ContainsKey(f) && n.Op == Op.Pow && _dag[n.Args[1]].Op == Op.Const && _dag[n.Args[1]].Value < 0)
            {
                denominator.Add((n.Args[0], -_dag[n.Args[1]].Value));
            }
            else
            {
                numerator.Add(PrintFactor(f));
            }
        }

        if (denominator.Count == 0)
        {
            return numerator.Count == 1 && factors.Count == 1 && coefficient == 1
                ? RenderFactor(factors[0])
                : (string.Join(" * ", numerator), Multiplicative);
        }

        string top = numerator.Count == 0 ? Literal(1) : string.Join(" * ", numerator);
        if (denominator.Count == 1)
        {
            var (b, k) = denominator[0];
            string bottom = k == 1 ? Print(b, Unary) : PowerCall(b, k);
            return (top + " / " + bottom, Multiplicative);
        }
        var parts = denominator.Select(d => d.Exponent == 1 ? Print(d.Base, Multiplicative + 1) : PowerCall(d.Base, d.Exponent));
        return (top + " / (" + string.Join(" * ", parts) + ")", Multiplicative);
    }

    private string PrintFactor(int f)
    {
        if (_locals.TryGetValue(f, out var local)) return local;
        var (text, level) = RenderFactor(f);
        return level < Multiplicative ? "(" + text + ")" : text;
    }

    private (string Text, int Level) RenderFactor(int f)
    {
        if (_locals.TryGetValue(f, out var local)) return (local, Primary);
        var n = _dag[f];
        if (n.Op == Op.Pow && _dag[n.Args[1]].Op == Op.Const && _dag[n.Args[1]].Value > 0)
        {
            return (PowerCall(n.Args[0], _dag[n.Args[1]].Value), Primary);
        }
        if (n.Op == Op.Pow && _dag[n.Args[1]].Op != Op.Const)
        {
            return (Call(FunctionName(Op.Pow), n.Args), Primary);
        }
        return Render(f);
    }

    private string PowerCall(int b, double k)
    {
        string prefix = _mode == PrintMode.Code ? Fn : "";
        if (k == 2) return prefix + "Square(" + Print(b) + ")";
        if (k == 0.5) return prefix + "Sqrt(" + Print(b) + ")";
        return prefix + "Pow(" + Print(b) + ", " + Literal(k) + ")";
    }

    /// <summary>A number as C# source, invariant culture, round-trippable.</summary>
    public string Literal(double value)
    {
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        if (double.IsNaN(value)) return "double.NaN";
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        if (_mode == PrintMode.Code && s.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) s += ".0";
        return s;
    }
}
