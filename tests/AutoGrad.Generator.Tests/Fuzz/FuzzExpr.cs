using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoGrad;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// A loss expression as the fuzzer builds it: a small tree over the contract's grammar that prints
/// as C# (fully parenthesized, so the printed text means exactly this tree) and evaluates in the
/// test process with the runtime's own <see cref="Fn"/> functions. The evaluation is not the oracle
/// (finite differences of the compiled user method are): it tells which points are inside the
/// expression's smooth domain and on which side of every kink a point lies.
/// </summary>
internal abstract record FExpr(bool IsVec)
{
    /// <summary>The subexpressions, left to right.</summary>
    public abstract IReadOnlyList<FExpr> Children { get; }

    /// <summary>The same node over new children (same count and shapes).</summary>
    public abstract FExpr With(IReadOnlyList<FExpr> children);

    /// <summary>Fully parenthesized C#.</summary>
    public abstract string ToCSharp();

    /// <summary>Number of nodes, for choosing the smallest failing expression.</summary>
    public int Size => 1 + Children.Sum(c => c.Size);

    public override string ToString() => ToCSharp();
}

/// <summary>A double literal, printed as written (<c>0.5</c>, <c>2d</c>, <c>1e-1</c>).</summary>
internal sealed record FNum(double Value, string Text) : FExpr(false)
{
    public static FNum Of(double value) => new(value, Format(value));

    public static string Format(double value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.IndexOfAny(new[] { '.', 'E', 'e' }) < 0 ? s + ".0" : s;
    }

    public override IReadOnlyList<FExpr> Children => Array.Empty<FExpr>();
    public override FExpr With(IReadOnlyList<FExpr> children) => this;
    public override string ToCSharp() => Value < 0 ? "(" + Text + ")" : Text;
}

/// <summary>A parameter, a local or a <c>const double</c> field.</summary>
internal sealed record FVar(string Name, bool Vec) : FExpr(Vec)
{
    public override IReadOnlyList<FExpr> Children => Array.Empty<FExpr>();
    public override FExpr With(IReadOnlyList<FExpr> children) => this;
    public override string ToCSharp() => Name;
}

/// <summary>Unary minus.</summary>
internal sealed record FNeg(FExpr A) : FExpr(A.IsVec)
{
    public override IReadOnlyList<FExpr> Children => new[] { A };
    public override FExpr With(IReadOnlyList<FExpr> children) => new FNeg(children[0]);
    public override string ToCSharp() => "(-" + A.ToCSharp() + ")";
}

/// <summary><c>a + b</c>, <c>a - b</c>, <c>a * b</c>, <c>a / b</c>, each side scalar or Vec.</summary>
internal sealed record FBin(char Op, FExpr A, FExpr B) : FExpr(A.IsVec || B.IsVec)
{
    public override IReadOnlyList<FExpr> Children => new[] { A, B };
    public override FExpr With(IReadOnlyList<FExpr> children) => new FBin(Op, children[0], children[1]);
    public override string ToCSharp() => "(" + A.ToCSharp() + " " + Op + " " + B.ToCSharp() + ")";
}

/// <summary>A call into <c>AutoGrad.Fn</c> (printed unqualified, through <c>using static</c>) or <c>System.Math</c>.</summary>
internal sealed record FCall(string Owner, string Name, IReadOnlyList<FExpr> Args, bool Vec) : FExpr(Vec)
{
    public override IReadOnlyList<FExpr> Children => Args;
    public override FExpr With(IReadOnlyList<FExpr> children) => this with { Args = children.ToArray() };
    public override string ToCSharp() =>
        (Owner == "Math" ? "Math." : "") + Name + "(" + string.Join(", ", Args.Select(a => a.ToCSharp())) + ")";

    public bool Equals(FCall? other) =>
        other is not null && Owner == other.Owner && Name == other.Name && Vec == other.Vec && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(Owner, Name, Vec, Args.Count);
}

/// <summary><c>l cmp r ? t : f</c> with scalar <c>l</c> and <c>r</c>.</summary>
internal sealed record FCond(string Cmp, FExpr L, FExpr R, FExpr T, FExpr F) : FExpr(T.IsVec || F.IsVec)
{
    public override IReadOnlyList<FExpr> Children => new[] { L, R, T, F };
    public override FExpr With(IReadOnlyList<FExpr> children) => new FCond(Cmp, children[0], children[1], children[2], children[3]);
    public override string ToCSharp() => "(" + L.ToCSharp() + " " + Cmp + " " + R.ToCSharp() + " ? " + T.ToCSharp() + " : " + F.ToCSharp() + ")";

    /// <summary>Whether <c>l Cmp r</c> holds.</summary>
    public bool Holds(double l, double r) => Cmp switch
    {
        "<" => l < r,
        "<=" => l <= r,
        ">" => l > r,
        ">=" => l >= r,
        "==" => l == r,
        _ => l != r,
    };
}

/// <summary>What a parameter of a fuzzed loss is.</summary>
internal enum FRole { Differentiated, Target, Constant }

/// <summary>A parameter of a fuzzed loss and the domain its values are drawn from.</summary>
internal sealed record FParam(string Name, bool IsVec, FRole Role, bool SumsToOne = false)
{
    public string Declaration =>
        (Role switch
        {
            FRole.Target => SumsToOne ? "[Target(SumsToOne = true)] " : "[Target] ",
            FRole.Constant => "[Constant] ",
            _ => "",
        })
        + (IsVec ? "Vec " : "double ") + Name;
}

/// <summary>One fuzzed [Loss] method: parameters, locals (each may use the ones before it) and the returned expression.</summary>
internal sealed record FLoss(string Name, IReadOnlyList<FParam> Parameters, IReadOnlyList<(string Name, FExpr Value)> Locals, FExpr Body)
{
    public int Size => Body.Size + Locals.Sum(l => l.Value.Size);

    public IEnumerable<FParam> Differentiated => Parameters.Where(p => p.Role == FRole.Differentiated);

    public FLoss Renamed(string name) => this with { Name = name };

    /// <summary>The method as C#, with <c>[Loss]</c>.</summary>
    public string ToCSharp(string indent = "    ")
    {
        var sb = new StringBuilder();
        sb.Append(indent).Append("[Loss]\n");
        sb.Append(indent).Append("public static double ").Append(Name).Append('(')
          .Append(string.Join(", ", Parameters.Select(p => p.Declaration))).Append(')');
        if (Locals.Count == 0)
        {
            sb.Append("\n").Append(indent).Append("    => ").Append(Body.ToCSharp()).Append(";\n");
            return sb.ToString();
        }
        sb.Append('\n').Append(indent).Append("{\n");
        foreach (var (name, value) in Locals)
        {
            sb.Append(indent).Append("    var ").Append(name).Append(" = ").Append(value.ToCSharp()).Append(";\n");
        }
        sb.Append(indent).Append("    return ").Append(Body.ToCSharp()).Append(";\n");
        sb.Append(indent).Append("}\n");
        return sb.ToString();
    }

    public override string ToString() => ToCSharp("");

    public bool Equals(FLoss? other) =>
        other is not null && Name == other.Name && Parameters.SequenceEqual(other.Parameters)
        && Locals.SequenceEqual(other.Locals) && Body.Equals(other.Body);

    public override int GetHashCode() => HashCode.Combine(Name, Body);
}

/// <summary>A source file holding fuzzed losses in one partial class, with the <c>const</c> fields they may use.</summary>
internal static class FSource
{
    /// <summary>The <c>const double</c> fields every fuzz class declares (a loss may use them like literals).</summary>
    public static readonly IReadOnlyDictionary<string, double> Constants = new Dictionary<string, double>
    {
        ["K0"] = 0.75,
        ["K1"] = -1.25,
    };

    public static string ClassOf(IEnumerable<FLoss> losses, string className)
    {
        var sb = new StringBuilder();
        sb.Append("using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n\nnamespace Fuzz;\n\n");
        sb.Append("public static partial class ").Append(className).Append("\n{\n");
        foreach (var (name, value) in Constants)
        {
            sb.Append("    private const double ").Append(name).Append(" = ").Append(FNum.Format(value)).Append(";\n");
        }
        foreach (var loss in losses)
        {
            sb.Append('\n').Append(loss.ToCSharp());
        }
        sb.Append("}\n");
        return sb.ToString();
    }
}

/// <summary>
/// Evaluates a fuzzed loss in double precision, with <see cref="Fn"/>, and records (a) whether the
/// point lies inside the expression's smooth domain, with a margin (logs and square roots of values
/// well above 0, denominators away from 0, nothing overflowing), and (b) the branch signature: on
/// which side of each kink (Abs, Max, Min, Clamp, Sign, ?:) the point lies. Finite differences are
/// meaningful only where every evaluation point of the stencil has the same signature.
/// </summary>
internal sealed class FEvaluator
{
    /// <summary>Largest magnitude of any intermediate value inside the domain.</summary>
    public const double Bound = 1e6;

    private readonly List<int> _signature = new();
    private bool _valid = true;
    private int _classes;
    private double _margin = RoundingMargin;
    private double _magnitude;
    private bool _inFloat;
    private bool _tracking;

    /// <summary>The locals the result depends on.</summary>
    private static HashSet<string> UsedLocals(FLoss loss)
    {
        static void Names(FExpr e, HashSet<string> into)
        {
            if (e is FVar v) into.Add(v.Name);
            foreach (var c in e.Children) Names(c, into);
        }
        var used = new HashSet<string>();
        Names(loss.Body, used);
        for (int k = loss.Locals.Count - 1; k >= 0; k--)
        {
            if (used.Contains(loss.Locals[k].Name)) Names(loss.Locals[k].Value, used);
        }
        return used;
    }

    /// <summary>The loss's value, whether the point is in the domain, and its branch signature.</summary>
    public static (double Value, bool Valid, int[] Signature) Evaluate(FLoss loss, IReadOnlyDictionary<string, double[]> args, int classes) =>
        Evaluate(loss, args, classes, RoundingMargin, out _);

    /// <summary>
    /// <see cref="Evaluate(FLoss, IReadOnlyDictionary{string, double[]}, int)"/> with another distance from the kinks
    /// (<paramref name="margin"/>, relative; float computations need a wider one than double), and the largest
    /// magnitude of any value the loss computes on the way to its result (<paramref name="magnitude"/>: locals the
    /// result does not use are left out).
    /// </summary>
    public static (double Value, bool Valid, int[] Signature) Evaluate(FLoss loss, IReadOnlyDictionary<string, double[]> args, int classes, double margin, out double magnitude) =>
        Evaluate(loss, args, classes, margin, inFloat: false, out magnitude);

    /// <summary>
    /// The same, every value the loss computes (literals included) rounded to float when <paramref name="inFloat"/>: a float
    /// computation of the loss as written, each operation rounded once (to test <see cref="FRounding"/>'s bounds).
    /// </summary>
    public static (double Value, bool Valid, int[] Signature) Evaluate(FLoss loss, IReadOnlyDictionary<string, double[]> args, int classes, double margin, bool inFloat, out double magnitude)
    {
        var e = new FEvaluator { _classes = classes, _margin = margin, _inFloat = inFloat };
        var env = new Dictionary<string, double[]>(args);
        foreach (var (name, value) in FSource.Constants) env[name] = new[] { value };
        var used = UsedLocals(loss);
        foreach (var (name, value) in loss.Locals)
        {
            e._tracking = used.Contains(name);
            env[name] = e.Eval(value, env);
        }
        e._tracking = true;
        var result = e.Eval(loss.Body, env);
        magnitude = e._magnitude;
        return (result[0], e._valid, e._signature.ToArray());
    }

    private double[] Eval(FExpr x, Dictionary<string, double[]> env)
    {
        double[] r = x switch
        {
            FNum n => new[] { n.Value },
            FVar v => env[v.Name],
            FNeg n => Map(Eval(n.A, env), a => -a),
            FBin b => Binary(b, Eval(b.A, env), Eval(b.B, env)),
            FCond c => Conditional(c, env),
            FCall call => Call(call, call.Args.Select(a => Eval(a, env)).ToArray()),
            _ => throw new ArgumentException(x.GetType().Name),
        };
        if (_inFloat) r = r.Select(v => (double)(float)v).ToArray();
        foreach (double v in r)
        {
            if (!(Math.Abs(v) <= Bound)) _valid = false;
            else if (_tracking) _magnitude = Math.Max(_magnitude, Math.Abs(v));
        }
        return r;
    }

    private double[] Binary(FBin b, double[] x, double[] y)
    {
        switch (b.Op)
        {
            case '+': return Zip(x, y, (p, q) => p + q);
            case '-': return Zip(x, y, (p, q) => p - q);
            case '*': return Zip(x, y, (p, q) => p * q);
            default:
                foreach (double q in y) Require(Math.Abs(q) > 1e-3);
                return Zip(x, y, (p, q) => p / q);
        }
    }

    private double[] Conditional(FCond c, Dictionary<string, double[]> env)
    {
        double l = Eval(c.L, env)[0], r = Eval(c.R, env)[0];
        // A condition decided by rounding (Log(Exp(u)) != u, Math.Log10(0.1) > -1) is on its kink, whatever the derivative.
        Require(Math.Abs(l - r) > _margin * (1 + Math.Abs(l) + Math.Abs(r)));
        bool holds = c.Holds(l, r);
        _signature.Add(holds ? 1 : 0);
        // Both branches are evaluated (the generated code may compute either), so both must be in the domain.
        var t = Eval(c.T, env);
        var f = Eval(c.F, env);
        var chosen = holds ? t : f;
        return c.IsVec && chosen.Length == 1 && _classes > 0 ? Enumerable.Repeat(chosen[0], _classes).ToArray() : chosen;
    }

    private double[] Call(FCall call, double[][] a)
    {
        switch (call.Name)
        {
            case "Log" when a.Length == 2:
                Positive(a[0]);
                Positive(a[1]);
                Require(Math.Abs(Math.Log(a[1][0])) > 1e-3);
                return new[] { Math.Log(a[0][0], a[1][0]) };
            case "Log": Positive(a[0]); return Map(a[0], Math.Log);
            case "Log10": Positive(a[0]); return Map(a[0], Math.Log10);
            case "Log2": Positive(a[0]); return Map(a[0], Math.Log2);
            case "Sqrt": Positive(a[0]); return Map(a[0], Math.Sqrt);
            case "Exp": return Map(a[0], Math.Exp);
            case "Abs": Kinks(a[0]); return Map(a[0], Math.Abs);
            case "Sign": Kinks(a[0]); return Map(a[0], v => Math.Sign(v));
            case "Square": return Map(a[0], v => v * v);
            case "Pow":
                Positive(a[0]);
                return Zip(a[0], a[1], Math.Pow);
            case "Log1P":
                foreach (double v in a[0]) Require(v > -1 + 1e-3);
                return Map(a[0], Fn.Log1P);
            case "ExpM1": return Map(a[0], Fn.ExpM1);
            case "Sigmoid": return Map(a[0], Fn.Sigmoid);
            case "LogSigmoid": return Map(a[0], Fn.LogSigmoid);
            case "Softplus": return Map(a[0], Fn.Softplus);
            case "Tanh": return Map(a[0], Math.Tanh);
            case "Cosh": return Map(a[0], Math.Cosh);
            case "Sinh": return Map(a[0], Math.Sinh);
            case "FusedMultiplyAdd": return new[] { a[0][0] * a[1][0] + a[2][0] };
            case "Max" when a.Length == 1:
            {
                var v = a[0];
                int arg = 0;
                for (int i = 1; i < v.Length; i++) if (v[i] > v[arg]) arg = i;
                foreach (double x in v) NotNearly(x, v[arg]);
                _signature.Add(arg);
                return new[] { v[arg] };
            }
            case "Max":
                Order(a[0], a[1]);
                return Zip(a[0], a[1], Math.Max);
            case "Min":
                Order(a[0], a[1]);
                return Zip(a[0], a[1], Math.Min);
            case "Clamp":
            {
                double lo = a[1][0], hi = a[2][0];
                foreach (double v in a[0])
                {
                    NotNearly(v, lo);
                    NotNearly(v, hi);
                    _signature.Add(v < lo ? 0 : v > hi ? 2 : 1);
                }
                return Map(a[0], v => Math.Clamp(v, lo, hi));
            }
            case "Sum": return new[] { a[0].Sum() };
            case "Mean": return new[] { a[0].Average() };
            case "Dot": return new[] { Zip(a[0], a[1], (p, q) => p * q).Sum() };
            case "LogSumExp": return new[] { Fn.LogSumExp((Vec)a[0]) };
            case "Softmax": return Fn.Softmax((Vec)a[0]).ToArray();
            case "LogSoftmax": return Fn.LogSoftmax((Vec)a[0]).ToArray();
            default: throw new ArgumentException("no evaluation for " + call.Name);
        }
    }

    private void Require(bool condition)
    {
        if (!condition) _valid = false;
    }

    private void Positive(double[] values)
    {
        foreach (double v in values) Require(v > 1e-3);
    }

    /// <summary>Relative distance from a kink below which rounding, not the point, decides the branch (in double).</summary>
    public const double RoundingMargin = 1e-9;

    private void Kinks(double[] values)
    {
        foreach (double v in values)
        {
            Require(Math.Abs(v) > _margin); // Sign(LogSumExp(LogSoftmax(t))): the sign of a rounding error
            _signature.Add(Math.Sign(v));
        }
    }

    private void Order(double[] x, double[] y)
    {
        int n = Math.Max(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            NotNearly(At(x, i), At(y, i));
            _signature.Add(At(x, i) <= At(y, i) ? 1 : 0);
        }
    }

    /// <summary>
    /// Two values compared by Max, Min or Clamp are either equal (a tie built into the loss, as Max(Max(v, u)) makes, where the
    /// derivative is well defined and tested) or clearly apart; in between, rounding decides.
    /// </summary>
    private void NotNearly(double x, double y)
    {
        double d = Math.Abs(x - y);
        Require(d == 0 || d > _margin * (1 + Math.Abs(x) + Math.Abs(y)));
    }

    private static double At(double[] a, int i) => a.Length == 1 ? a[0] : a[i];

    private static double[] Map(double[] a, Func<double, double> f) => a.Select(f).ToArray();

    private static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = f(At(a, i), At(b, i));
        return r;
    }
}
