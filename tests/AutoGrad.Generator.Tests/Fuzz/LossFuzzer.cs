using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// A seeded random generator of [Loss] methods over the contract's grammar: scalar and <c>Vec</c>
/// parameters in every role, every <c>AutoGrad.Fn</c> function and the supported <c>System.Math</c>
/// ones, literals in several spellings, <c>const</c> fields, locals, <c>?:</c> with comparisons and
/// <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, and the textbook forms of machine-learning losses (so the
/// simplifier's and the stabilizer's rules fire). Arguments of logarithms, square roots, powers and
/// denominators are drawn from a grammar of positive expressions, so most points are in the domain;
/// <see cref="FEvaluator"/> rejects the rest.
/// </summary>
internal sealed class LossFuzzer
{
    private static readonly string[] ScalarNames = { "x", "w", "b", "a", "u", "n", "s" };
    private static readonly string[] VecNames = { "z", "v", "h" };

    private readonly Random _rng;
    private List<FParam> _parameters = new();
    private readonly List<(string Name, bool IsVec)> _locals = new();
    private int _nodes;

    public LossFuzzer(int seed) => _rng = new Random(seed);

    /// <summary>The largest number of nodes in one generated expression tree (bodies stay readable and compile fast).</summary>
    public int MaxNodes { get; init; } = 40;

    /// <summary>A new loss named <paramref name="name"/>.</summary>
    public FLoss Next(string name)
    {
        _parameters = Parameters();
        _locals.Clear();
        bool anyVec = _parameters.Any(p => p.IsVec);

        var locals = new List<(string, FExpr)>();
        int localCount = _rng.Next(4) == 0 ? _rng.Next(1, 3) : 0;
        for (int i = 0; i < localCount; i++)
        {
            bool vec = anyVec && _rng.Next(3) == 0;
            var value = Top(vec);
            string localName = "t" + i;
            locals.Add((localName, value));
            _locals.Add((localName, vec));
        }
        var body = Top(false);
        return new FLoss(name, _parameters, locals, body);
    }

    private FExpr Top(bool vec)
    {
        _nodes = 0;
        return _rng.Next(6) == 0 ? Idiom(vec, 0) : Real(vec, 0);
    }

    private List<FParam> Parameters()
    {
        var list = new List<FParam>();
        var names = ScalarNames.OrderBy(_ => _rng.Next()).ToList();
        int scalars = _rng.Next(1, 4);
        bool vec = _rng.Next(3) == 0;
        for (int i = 0; i < scalars; i++) list.Add(new FParam(names[i], false, FRole.Differentiated));
        if (vec) list.Add(new FParam(VecNames[_rng.Next(VecNames.Length)], true, FRole.Differentiated));
        // Sometimes only the vector is differentiated.
        if (vec && _rng.Next(3) == 0) list = list.Select(p => p.IsVec ? p : p with { Role = FRole.Constant }).ToList();
        if (_rng.Next(2) == 0) list.Add(new FParam("y", false, FRole.Target));
        if (vec && _rng.Next(2) == 0) list.Add(new FParam("t", true, FRole.Target, SumsToOne: _rng.Next(2) == 0));
        if (_rng.Next(3) == 0) list.Add(new FParam("c", false, FRole.Constant));
        // Declaration order is part of the contract (tuple element order): shuffle it.
        return list.OrderBy(_ => _rng.Next()).ToList();
    }

    private bool Stop(int depth) => _nodes >= MaxNodes || depth >= 5 || _rng.NextDouble() < 0.12 + depth * 0.17;

    private T Pick<T>(params T[] items) => items[_rng.Next(items.Length)];

    private FExpr Count(FExpr e)
    {
        _nodes++;
        return e;
    }

    // ---- leaves ----------------------------------------------------------------------------------------

    private FExpr Leaf(bool vec)
    {
        var candidates = _parameters.Where(p => p.IsVec == vec).Select(p => (FExpr)new FVar(p.Name, vec))
            .Concat(_locals.Where(l => l.IsVec == vec).Select(l => (FExpr)new FVar(l.Name, vec)))
            .ToList();
        if (!vec)
        {
            if (_rng.Next(4) == 0) return Count(Literal());
            if (_rng.Next(12) == 0) return Count(new FVar(Pick("K0", "K1"), false));
        }
        if (candidates.Count == 0) return vec ? Count(new FVar(VecParam(), true)) : Count(Literal());
        return Count(candidates[_rng.Next(candidates.Count)]);
    }

    private string VecParam() => _parameters.First(p => p.IsVec).Name;

    private bool HasVec => _parameters.Any(p => p.IsVec);

    private FNum Literal()
    {
        double v = Pick(0.5, 1, 2, 3, 0.25, 1.5, -1, -0.5, 0.1, 10, 4, 0.75);
        string text = v switch
        {
            1 => Pick("1.0", "1d", "1D", "1.0"),
            2 => Pick("2.0", "2d", "2e0"),
            0.5 => Pick("0.5", ".5", "5e-1", "0.50"),
            0.1 => Pick("0.1", "1e-1", "0.1d"),
            10 => Pick("10.0", "1e1", "1E+1"),
            _ => FNum.Format(v),
        };
        return new FNum(v, text);
    }

    private FNum PositiveLiteral() => FNum.Of(Pick(0.5, 1, 2, 0.25, 1.5, 0.1, 3));

    // ---- real-valued expressions -------------------------------------------------------------------------

    private FExpr Real(bool vec, int depth)
    {
        if (Stop(depth)) return Leaf(vec);
        int d = depth + 1;
        _nodes++;
        return vec ? RealVec(d) : RealScalar(d);
    }

    private FExpr RealScalar(int d)
    {
        switch (_rng.Next(HasVec ? 30 : 25))
        {
            case 0: case 1: return new FBin('+', Real(false, d), Real(false, d));
            case 2: case 3: return new FBin('-', Real(false, d), Real(false, d));
            case 4: case 5: return new FBin('*', Real(false, d), Real(false, d));
            case 6: return new FBin('/', Real(false, d), Positive(false, d));
            case 7: return new FNeg(Real(false, d));
            case 8: return Fn(Pick("Tanh", "Sigmoid", "Softplus", "LogSigmoid"), Real(false, d));
            case 9: return Fn(Pick("Log", "Sqrt"), Positive(false, d));
            case 10: return Fn("Log1P", _rng.Next(2) == 0 ? Positive(false, d) : new FNeg(Fn("Sigmoid", Real(false, d))));
            case 11: return Fn(Pick("Exp", "ExpM1", "Square"), Small(false, d));
            case 12: return Fn("Pow", Positive(false, d), _rng.Next(2) == 0 ? Count(FNum.Of(Pick(2, 3, 0.5, -1, 1.5, -0.5))) : Small(false, d));
            case 13: return Math(Pick("Log", "Log10", "Log2", "Sqrt"), Positive(false, d));
            case 14: return Math(Pick("Exp", "Cosh", "Sinh", "Tanh"), Small(false, d));
            case 15: return Math("Pow", Positive(false, d), Count(FNum.Of(Pick(2, 3, 0.5, -1))));
            case 16: return _rng.Next(2) == 0 ? Fn("Abs", Real(false, d)) : Math("Abs", Real(false, d));
            case 17: return Call(Pick("Fn", "Math"), Pick("Max", "Min"), false, Real(false, d), Real(false, d));
            case 18: return Call(Pick("Fn", "Math"), "Clamp", false, Real(false, d), Count(FNum.Of(Pick(-1, -0.5, 0))), Count(FNum.Of(Pick(0.5, 1, 2))));
            case 19: case 20: return Conditional(false, d);
            case 21: return Math("FusedMultiplyAdd", Real(false, d), Real(false, d), Real(false, d));
            case 22: return Math("Log", Positive(false, d), Count(FNum.Of(Pick(2, 10, 0.5))));
            case 23: return new FBin('*', Math("Sign", Real(false, d)), Real(false, d));
            case 24: return Idiom(false, d);
            case 25: case 26: return Fn(Pick("Sum", "Mean", "LogSumExp"), Real(true, d));
            case 27: return Fn("Max", Real(true, d));
            case 28: return Fn("Dot", Real(true, d), Real(true, d));
            default: return Idiom(false, d);
        }
    }

    private FExpr RealVec(int d)
    {
        switch (_rng.Next(20))
        {
            case 0: case 1: return new FBin(Pick('+', '-', '*'), Real(true, d), Real(true, d));
            case 2: return new FBin(Pick('+', '-', '*'), Real(true, d), Real(false, d));
            case 3: return new FBin(Pick('+', '-', '*'), Real(false, d), Real(true, d));
            case 4: return new FBin('/', Real(true, d), Positive(_rng.Next(2) == 0, d));
            case 5: return new FBin('/', Real(false, d), Positive(true, d));
            case 6: return new FNeg(Real(true, d));
            case 7: return Fn(Pick("Tanh", "Sigmoid", "Softplus", "LogSigmoid"), Real(true, d));
            case 8: return Fn(Pick("Log", "Sqrt", "Log1P"), Positive(true, d));
            case 9: return Fn(Pick("Exp", "ExpM1", "Square"), Small(true, d));
            case 10: return Fn("Pow", Positive(true, d), Count(FNum.Of(Pick(2, 3, 0.5, -1))));
            case 11: return Fn("Abs", Real(true, d));
            case 12: return Fn(Pick("Max", "Min"), Real(true, d), Real(true, d));
            case 13: return _rng.Next(2) == 0 ? Fn(Pick("Max", "Min"), Real(true, d), Real(false, d)) : Fn(Pick("Max", "Min"), Real(false, d), Real(true, d));
            case 14: return Fn("Clamp", Real(true, d), Count(FNum.Of(Pick(-1, -0.5, 0))), Count(FNum.Of(Pick(0.5, 1, 2))));
            case 15: case 16: return Fn(Pick("Softmax", "LogSoftmax"), Real(true, d));
            case 17: return Conditional(true, d);
            default: return Idiom(true, d);
        }
    }

    /// <summary>An argument for Exp and friends: kept small so nested exponentials stay finite.</summary>
    private FExpr Small(bool vec, int d) => _rng.Next(3) == 0 ? Fn("Tanh", Real(vec, d)) : Real(vec, d);

    private FExpr Conditional(bool vec, int d)
    {
        var t = Real(vec, d);
        var f = Real(vec, d);
        string cmp = Pick("<", "<=", ">", ">=", "<", ">", "==", "!=");
        if (cmp is "==" or "!=")
        {
            // Equality of two computed reals is a matter of rounding (Log(Exp(u)) != u), which no derivative follows:
            // compare a label or a hyperparameter with a literal, as losses do (y == 1 ? ... : ...).
            var given = _parameters.Where(p => p.Role != FRole.Differentiated && !p.IsVec).Select(p => (FExpr)new FVar(p.Name, false)).ToList();
            if (given.Count == 0) cmp = Pick("<", ">");
            else return new FCond(cmp, given[_rng.Next(given.Count)], Count(FNum.Of(Pick(0, 1, 0.5))), t, f);
        }
        return new FCond(cmp, Real(false, d + 1), Real(false, d + 1), t, f);
    }

    // ---- positive expressions (arguments of Log, Sqrt, Pow, denominators) ---------------------------------

    private FExpr Positive(bool vec, int depth)
    {
        int d = depth + 1;
        _nodes++;
        if (Stop(depth))
        {
            if (vec) return Fn("Exp", Leaf(true));
            var constant = _parameters.FirstOrDefault(p => p.Role == FRole.Constant && !p.IsVec && p.Name == "c");
            return _rng.Next(3) switch
            {
                0 when constant is not null => Count(new FVar(constant.Name, false)),
                1 => Fn(Pick("Exp", "Sigmoid", "Softplus"), Leaf(false)),
                _ => Count(PositiveLiteral()),
            };
        }
        switch (_rng.Next(13))
        {
            case 0: return Fn(Pick("Exp", "Sigmoid", "Softplus"), Real(vec, d));
            case 1: return new FBin('+', Count(PositiveLiteral()), Fn("Square", Real(vec, d)));
            case 2: return new FBin('+', Positive(vec, d), Positive(_rng.Next(2) == 0 && vec, d));
            case 3: return new FBin('*', Positive(vec, d), Positive(_rng.Next(2) == 0 && vec, d));
            case 4: return new FBin('/', Positive(vec, d), Positive(_rng.Next(2) == 0 && vec, d));
            case 5: return Fn("Sqrt", Positive(vec, d));
            case 6: return new FBin('+', Fn("Abs", Real(vec, d)), Count(PositiveLiteral()));
            case 7: return vec ? Fn("Softmax", Real(true, d)) : Math("Cosh", Small(false, d));
            case 8: return new FBin('-', Count(FNum.Of(1)), Fn("Sigmoid", Real(vec, d)));
            case 9: return vec ? Fn(Pick("Max", "Min"), Positive(true, d), Positive(false, d)) : Fn(Pick("Max", "Min"), Positive(false, d), Positive(false, d));
            case 10 when !vec && HasVec: return Fn(Pick("Sum", "Mean"), Positive(true, d));
            case 11 when !vec && HasVec: return Fn("Exp", Fn("LogSumExp", Real(true, d)));
            case 12: return new FCond(Pick("<", ">"), Real(false, d), Real(false, d), Positive(vec, d), Positive(vec, d));
            default: return Fn("Exp", Small(vec, d));
        }
    }

    // ---- the textbook forms of losses -----------------------------------------------------------------------

    private FExpr Idiom(bool vec, int d)
    {
        _nodes += 6;
        var y = _parameters.FirstOrDefault(p => p.Role == FRole.Target && !p.IsVec) is { } target ? (FExpr)new FVar(target.Name, false) : Count(FNum.Of(0.25));
        if (vec)
        {
            var t = _parameters.FirstOrDefault(p => p.Role == FRole.Target && p.IsVec) is { } vt ? (FExpr)new FVar(vt.Name, true) : Fn("Softmax", Real(true, d));
            return _rng.Next(3) switch
            {
                0 => new FBin('*', t, Fn("Log", Fn("Softmax", Real(true, d)))),
                1 => new FBin('-', Fn("Softmax", Real(true, d)), t),
                _ => Fn("Log", new FBin('+', Count(FNum.Of(1)), Fn("Exp", Real(true, d)))),
            };
        }
        if (HasVec && _rng.Next(3) == 0)
        {
            var t = _parameters.FirstOrDefault(p => p.Role == FRole.Target && p.IsVec) is { } vt ? (FExpr)new FVar(vt.Name, true) : Fn("Softmax", Real(true, d));
            return _rng.Next(4) switch
            {
                0 => new FNeg(Fn("Sum", new FBin('*', t, Fn("Log", Fn("Softmax", Real(true, d)))))),
                1 => new FNeg(Fn("Dot", t, Fn("LogSoftmax", Real(true, d)))),
                2 => new FBin('-', Fn("LogSumExp", Real(true, d)), Fn("Sum", new FBin('*', t, Real(true, d)))),
                _ => Fn("Sum", Fn("Square", new FBin('-', Fn("Softmax", Real(true, d)), t))),
            };
        }
        var z = Real(false, d);
        switch (_rng.Next(9))
        {
            case 0:
                return new FNeg(new FBin('+',
                    new FBin('*', y, Fn("Log", Fn("Sigmoid", z))),
                    new FBin('*', new FBin('-', Count(FNum.Of(1)), y), Fn("Log", new FBin('-', Count(FNum.Of(1)), Fn("Sigmoid", z))))));
            case 1: return Fn("Log", new FBin('+', Count(FNum.Of(1)), Fn("Exp", z)));
            case 2: return new FBin('-', Fn("Exp", Small(false, d)), Count(FNum.Of(1)));
            case 3: return Fn("Log", new FBin('+', Fn("Exp", z), Fn("Exp", new FNeg(z))));
            case 4: return Fn("Square", new FBin('-', Fn("Sigmoid", z), y));
            case 5: return Fn("Log", Math("Cosh", Small(false, d)));
            case 6: return new FBin('-', Fn("Softplus", z), new FBin('*', y, z));
            case 7: return Fn("Log", new FBin('-', Count(FNum.Of(1)), Fn("Sigmoid", z)));
            default: return new FBin('/', new FBin('*', Count(FNum.Of(0.5)), Fn("Square", new FBin('-', z, y))), Count(FNum.Of(2)));
        }
    }

    // ---- calls -------------------------------------------------------------------------------------------------

    private static FCall Fn(string name, params FExpr[] args) => Call("Fn", name, IsVecResult(name, args), args);

    private static FCall Math(string name, params FExpr[] args) => Call("Math", name, false, args);

    private static FCall Call(string owner, string name, bool vec, params FExpr[] args) => new(owner, name, args, vec);

    internal static bool IsVecResult(string name, IReadOnlyList<FExpr> args) => name switch
    {
        "Sum" or "Mean" or "Dot" or "LogSumExp" => false,
        "Max" when args.Count == 1 => false,
        _ => args.Any(a => a.IsVec),
    };
}
