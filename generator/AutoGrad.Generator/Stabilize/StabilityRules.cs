using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Simplify;

namespace AutoGrad.Generator.Stabilize;

/// <summary>A stability rewrite: the written form, its stable equivalent, and the failure it prevents.</summary>
internal sealed record StabilityRule(string Name, string Prevents, System.Func<ExprBuilder, int, int?> Apply);

/// <summary>
/// Rewrites forms that overflow, underflow or cancel in floating point into stable equivalents.
/// Runs as its own pass over the forward and gradient DAGs after simplification; the runtime's
/// <c>Softplus</c>, <c>LogSumExp</c>, <c>Softmax</c>, <c>Sigmoid</c> are themselves computed with
/// the maximum shifted out.
/// </summary>
internal static class StabilityRules
{
    public static IReadOnlyList<StabilityRule> All { get; } = new StabilityRule[]
    {
        new("log-sigmoid", "Log(Sigmoid(z)) is Log(0) = -inf once Sigmoid(z) underflows (z < -745 in double, -103 in float): computed as -Softplus(-z)",
            (b, id) => IsLog(b, id, out int u) && b[u].Op == Op.Sigmoid
                ? b.Neg(b.Softplus(b.Neg(b[u].Args[0]))) : null),

        new("log-one-minus-sigmoid", "1 - Sigmoid(z) rounds to 0 for z > 37 in double (17 in float), so Log gives -inf: computed as -Softplus(z)",
            (b, id) => IsLog(b, id, out int u) && RewriteRules.IsOneMinusSigmoid(b, u, out int x)
                ? b.Neg(b.Softplus(x)) : null),

        new("reciprocal-of-one-minus-sigmoid", "1 - Sigmoid(z) rounds to 0 for z > 37 in double (17 in float), so dividing by it gives inf or NaN: divided by Sigmoid(-z) instead",
            (b, id) => b[id].Op == Op.Pow && b.IsConst(b[id].Args[1], out double k) && k < 0 && RewriteRules.IsOneMinusSigmoid(b, b[id].Args[0], out int x)
                ? b.Power(b.Sigmoid(b.Neg(x)), k) : null),

        new("log-softmax", "Softmax(z) underflows to 0 for logits far below the max, so Log gives -inf: computed as z - LogSumExp(z)",
            (b, id) => IsLog(b, id, out int u) && b[u].Op == Op.Softmax
                ? b.LogSoftmax(b[u].Args[0]) : null),

        new("log-one-plus-exp", "Exp(z) overflows for z > 709 (88 in float): Log(1 + Exp(z)) is computed as Softplus(z)",
            (b, id) => IsLog(b, id, out int u) && IsOnePlus(b, u, out int e) && b[e].Op == Op.Exp
                ? b.Softplus(b[e].Args[0]) : null),

        new("log-sum-of-two-exps", "Exp overflows for arguments above 709 (88 in float): Log(c·Exp(a) + c·Exp(b)), log-cosh among them, is computed as Log(c) + b + Softplus(a - b)",
            (b, id) => IsLog(b, id, out int u) && RewriteRules.IsTwoExponentials(b, u, out double c1, out int x, out double c2, out int y) && c1 == c2 && c1 > 0
                ? b.Add(b.Const(System.Math.Log(c1)), y, b.Softplus(b.Sub(x, y))) : null),

        new("softplus-pair", "a·Softplus(-x) + b·Softplus(x) with a + b a number (the stabilized binary cross-entropy) evaluates Softplus twice, and its one-softplus form (a + b)·Softplus(x) - a·x cancels catastrophically (in float, 0 instead of 2.06e-9 at x = 20, a = 1): computed as (a + b)·Max(x, 0) - a·x + (a + b)·Log1P(Exp(-Abs(x))), one exponential and one log1p, with Max(x, 0) - a·x exactly 0 where it should be",
            (b, id) => SoftplusPair(b, id)),

        new("one-minus-tanh-squared", "1 - Tanh(x)² (Tanh's derivative) cancels as Tanh(x) nears ±1 and is 0 once it rounds there (|x| > 18.7 in double, 8.7 in float), where the true value is still 2e-16 (1e-7): p - p·Tanh(x)² is computed as 4·p·Sigmoid(2x)·Sigmoid(-2x), which never cancels",
            (b, id) => OneMinusTanhSquared(b, id)),

        new("log1p", "1 + x loses the digits of a small x before Log sees them: computed as Log1P(x)",
            (b, id) => b[id].Op == Op.Log && IsOnePlus(b, b[id].Args[0], out int x) ? b.Log1P(x) : null),

        new("expm1", "Exp(x) - 1 cancels catastrophically for small x: computed as ExpM1(x)",
            (b, id) => ExpMinusOne(b, id)),
    };

    /// <summary>
    /// A logarithm and what it is the logarithm of: Log(u) gives u, and Log1P(v), being Log(1 + v), gives 1 + v, so
    /// the rules above hold for Log1P written by hand too (Log1P(-Sigmoid(z)) is Log(1 - Sigmoid(z))).
    /// </summary>
    private static bool IsLog(ExprBuilder b, int id, out int argument)
    {
        var n = b[id];
        argument = n.Op switch
        {
            Op.Log => n.Args[0],
            Op.Log1P => b.Add(b.Const(1), n.Args[0]),
            _ => -1,
        };
        return argument >= 0;
    }

    /// <summary>Rewrites every node of the given roots bottom up; returns the new roots.</summary>
    public static int[] Apply(ExprBuilder b, IReadOnlyList<int> roots, List<string>? fired = null)
    {
        var memo = new Dictionary<int, int>();
        int Visit(int id)
        {
            if (memo.TryGetValue(id, out int done)) return done;
            var n = b[id];
            int r = id;
            if (n.Arity > 0)
            {
                var args = n.Args.Select(Visit).ToArray();
                r = b.Rebuild(n, args);
                for (int round = 0; round < 8; round++)
                {
                    bool changed = false;
                    foreach (var rule in All)
                    {
                        if (rule.Apply(b, r) is int s && s != r)
                        {
                            fired?.Add(rule.Name);
                            r = s;
                            changed = true;
                        }
                    }
                    if (!changed) break;
                }
            }
            memo[id] = r;
            return r;
        }
        return roots.Select(Visit).ToArray();
    }

    private static bool IsOnePlus(ExprBuilder b, int id, out int x)
    {
        x = -1;
        var n = b[id];
        if (n.Op != Op.Add || !b.IsConst(n.Args[0], 1)) return false;
        x = b.Add(n.Args.Skip(1).ToList());
        return true;
    }

    /// <summary>
    /// In a sum, the terms with a factor Softplus(-x) (weight a) and those with a factor Softplus(x) (weight b), for one
    /// x, become (a + b)·Max(x, 0) - a·x + (a + b)·Log1P(Exp(-Abs(x))), since Softplus(-x) = Softplus(x) - x and Softplus(x)
    /// = Max(x, 0) + Log1P(Exp(-Abs(x))). Only where a + b is a number (the builder collects y + (1 - y) to 1): then the
    /// new form is one softplus's work. It applies when both Softplus(x) and Softplus(-x) appear, or one of them beside a
    /// term with the factor x (Softplus(z) - z * y, written by hand), whose cancellation against Max(x, 0) must then
    /// come before the logarithm is added. Null when the sum holds no such terms.
    /// </summary>
    private static int? SoftplusPair(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Add) return null;
        // Each term with a Softplus factor as (the term, the Softplus's argument, the rest of the term).
        var terms = new List<(int Term, int Argument, int Weight)>();
        foreach (int t in n.Args)
        {
            var factors = Factors(b, t);
            int k = factors.FindIndex(f => b[f].Op == Op.Softplus);
            if (k < 0) continue;
            var (c, _) = b.SplitCoefficient(t);
            terms.Add((t, b[factors[k]].Args[0], b.Mul(factors.Where((_, i) => i != k).Prepend(b.Const(c)).ToList())));
        }
        foreach (var first in terms)
        {
            int negated = b.Neg(first.Argument);
            // x is the argument not written with a minus (the first in the canonical order when neither is).
            int x = RewriteRules.IsNegated(b, first.Argument, out _) || (!RewriteRules.IsNegated(b, negated, out _) && b.Compare(negated, first.Argument) < 0)
                ? negated : first.Argument;
            int minusX = b.Neg(x);
            var pair = terms.Where(t => t.Argument == x || t.Argument == minusX).ToList();
            bool bothSigns = pair.Any(t => t.Argument == x) && pair.Any(t => t.Argument == minusX);
            bool besideX = n.Args.Any(t => !pair.Any(p => p.Term == t) && Factors(b, t).Contains(x));
            int sum = b.Add(pair.Select(t => t.Weight).ToList());
            if (!(bothSigns || besideX) || !b.IsConst(sum, out _)) continue;
            int a = b.Add(pair.Where(t => t.Argument == minusX).Select(t => t.Weight).ToList());
            var rest = n.Args.Where(t => !pair.Any(p => p.Term == t));
            return b.Add(rest.Concat(new[]
            {
                b.Mul(sum, b.MaxMin(Op.Max, x, b.Const(0))),
                b.Neg(b.Mul(a, x)),
                b.Mul(sum, b.Log1P(b.Exp(b.Neg(b.Abs(x))))),
            }).ToList());
        }
        return null;
    }

    /// <summary>The factors of a term, its numeric coefficient left out.</summary>
    private static List<int> Factors(ExprBuilder b, int term)
    {
        var (_, rest) = b.SplitCoefficient(term);
        return b[rest].Op == Op.Mul ? b[rest].Args.ToList() : new List<int> { rest };
    }

    /// <summary>p − p·Tanh(x)², in either order: 4·p·σ(2x)·σ(−2x) (sech²(x) = 4e^−2x / (1 + e^−2x)²).</summary>
    private static int? OneMinusTanhSquared(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Add || n.Arity != 2) return null;
        for (int k = 0; k < 2; k++)
        {
            int p = n.Args[k], q = n.Args[1 - k];
            if (b[q].Op != Op.Mul) continue;
            foreach (int f in b[q].Args)
            {
                if (b[f].Op != Op.Pow || !b.IsConst(b[f].Args[1], 2) || b[b[f].Args[0]].Op != Op.Tanh) continue;
                if (b.Mul(b.Const(-1), p, f) != q) continue;
                int twoX = b.Mul(b.Const(2), b[b[f].Args[0]].Args[0]);
                return b.Mul(b.Const(4), p, b.Sigmoid(twoX), b.Sigmoid(b.Neg(twoX)));
            }
        }
        return null;
    }

    private static int? ExpMinusOne(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Add || !b.IsConst(n.Args[0], -1)) return null;
        int exp = -1;
        foreach (int a in n.Args)
        {
            if (b[a].Op == Op.Exp) { exp = a; break; }
        }
        if (exp < 0) return null;
        return b.Add(n.Args.Skip(1).Where(a => a != exp).Concat(new[] { b.ExpM1(b[exp].Args[0]) }).ToList());
    }
}
