using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Simplify;

/// <summary>What the simplifier may assume, from the loss's signature.</summary>
/// <param name="SumsToOne">Parameter indices of vector targets declared <c>[Target(SumsToOne = true)]</c>.</param>
internal sealed record Facts(IReadOnlyCollection<int> SumsToOne)
{
    public static Facts None { get; } = new(new int[0]);
}

/// <summary>One named rewrite: tries to rewrite the node it is given; returns null when it does not apply.</summary>
internal sealed record RewriteRule(string Name, string Reason, System.Func<ExprBuilder, int, Facts, int?> Apply);

/// <summary>
/// The identities machine learning needs, beyond the canonical algebra the builder does on its own.
/// Each rule rewrites toward one canonical form, so the rewriter terminates and like terms meet.
/// </summary>
internal static class RewriteRules
{
    public static IReadOnlyList<RewriteRule> All { get; } = new RewriteRule[]
    {
        new("sigmoid-of-negation", "σ(−x) = 1 − σ(x): one sigmoid per argument, so terms in σ(x) and σ(−x) can cancel",
            (b, id, f) => b[id].Op == Op.Sigmoid && IsNegated(b, b[id].Args[0], out int x)
                ? b.Sub(b.Const(1), b.Sigmoid(x)) : null),

        new("sigmoid-from-exp", "1 / (1 + e⁻ˣ) = σ(x): a hand-written logistic becomes the function the rules know",
            (b, id, f) => IsReciprocalOfOnePlusExp(b, id, out int x) ? b.Sigmoid(x) : null),

        new("sigmoid-from-exp-ratio", "eˣ / (1 + eˣ) = σ(x)",
            (b, id, f) => ExpOverOnePlusExp(b, id)),

        new("tanh-from-exp", "(c·eᵃ − c·e⁻ᵃ) / (c·eᵃ + c·e⁻ᵃ) = tanh(a): the derivative of log cosh, and stable where the ratio overflows",
            (b, id, f) => TanhFromExp(b, id)),

        new("tanh-of-negation", "tanh(−x) = −tanh(x)",
            (b, id, f) => b[id].Op == Op.Tanh && IsNegated(b, b[id].Args[0], out int x)
                ? b.Neg(b.Tanh(x)) : null),

        // Three of the stabilizer's rewrites, applied while simplifying too, so that the cost model
        // weighs the forms the generated code will compute (one implementation: StabilityRules).
        new("log-of-softmax", "log Softmax(z) = z − LogSumExp(z)", Stable("log-softmax")),
        new("log-of-sigmoid", "log σ(x) = −softplus(−x)", Stable("log-sigmoid")),
        new("log-of-one-minus-sigmoid", "log(1 − σ(x)) = −softplus(x)", Stable("log-one-minus-sigmoid")),

        new("sum-to-one", "Σy = 1 for a target declared [Target(SumsToOne = true)]",
            (b, id, f) => b[id].Op == Op.Sum && b[b[id].Args[0]].Op == Op.Param && f.SumsToOne.Contains(b[b[id].Args[0]].Index)
                ? b.Const(1) : null),

        new("softmax-shift", "Softmax(v + s) = Softmax(v) and LogSumExp(v + s) = LogSumExp(v) + s for s the same in every entry: a shift the softmax cannot see is not computed, and its derivative is exactly 0 instead of a sum of terms that cancel",
            (b, id, f) => ShiftOutOfSoftmax(b, id)),

        new("sign-times-abs", "sign(x)·|x| = x",
            (b, id, f) => SignTimesAbs(b, id)),

        new("select-of-product", "x·(c ? a : b) = c ? x·a : x·b: each branch simplifies on its own",
            (b, id, f) => PushProductIntoSelect(b, id)),

        new("max-decided-by-select", "in c ? t : f with c = (b <= a), Max(a, b) is a in t and b in f (Min(a, b) likewise with a <= b)",
            (b, id, f) => DecideMaxMinInSelect(b, id)),

        new("select-of-sum", "(c ? a : b) + (c ? d : e) = c ? a + d : b + e",
            (b, id, f) => MergeSelectsInSum(b, id)),
    };

    private static Func<ExprBuilder, int, Facts, int?> Stable(string name)
    {
        var rule = AutoGrad.Generator.Stabilize.StabilityRules.All.Single(r => r.Name == name);
        return (b, id, f) => rule.Apply(b, id);
    }

    /// <summary>x is −y for some y (a product with a negative coefficient).</summary>
    public static bool IsNegated(ExprBuilder b, int x, out int positive)
    {
        positive = -1;
        if (b[x].Op != Op.Mul) return false;
        var (c, _) = b.SplitCoefficient(x);
        if (c >= 0) return false;
        positive = b.Neg(x);
        return true;
    }

    /// <summary>x is 1 − σ(y).</summary>
    public static bool IsOneMinusSigmoid(ExprBuilder b, int x, out int argument)
    {
        argument = -1;
        var n = b[x];
        if (n.Op != Op.Add || n.Arity != 2 || !b.IsConst(n.Args[0], 1)) return false;
        var (c, rest) = b.SplitCoefficient(n.Args[1]);
        if (c != -1 || b[rest].Op != Op.Sigmoid) return false;
        argument = b[rest].Args[0];
        return true;
    }

    private static bool IsReciprocalOfOnePlusExp(ExprBuilder b, int id, out int x)
    {
        x = -1;
        var n = b[id];
        if (n.Op != Op.Pow || !b.IsConst(n.Args[1], -1)) return false;
        var sum = b[n.Args[0]];
        if (sum.Op != Op.Add || sum.Arity != 2 || !b.IsConst(sum.Args[0], 1) || b[sum.Args[1]].Op != Op.Exp) return false;
        // Only e^(−x): 1 / (1 + eˣ) is σ(−x), which sigmoid-of-negation would turn back.
        return IsNegated(b, b[sum.Args[1]].Args[0], out x);
    }

    private static int? ExpOverOnePlusExp(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Mul) return null;
        foreach (int f in n.Args)
        {
            var p = b[f];
            if (p.Op != Op.Pow || !b.IsConst(p.Args[1], -1)) continue;
            var sum = b[p.Args[0]];
            if (sum.Op != Op.Add || sum.Arity != 2 || !b.IsConst(sum.Args[0], 1) || b[sum.Args[1]].Op != Op.Exp) continue;
            int exp = sum.Args[1];
            if (!n.Args.Contains(exp)) continue;
            return b.Mul(n.Args.Where(a => a != f && a != exp).Concat(new[] { b.Sigmoid(b[exp].Args[0]) }).ToList());
        }
        return null;
    }

    /// <summary>A sum of two exponentials with one coefficient: c·eᵃ ± c·eᵇ.</summary>
    internal static bool IsTwoExponentials(ExprBuilder b, int id, out double c1, out int a, out double c2, out int e)
    {
        c1 = c2 = 0;
        a = e = -1;
        var n = b[id];
        if (n.Op != Op.Add || n.Arity != 2) return false;
        var (k1, r1) = b.SplitCoefficient(n.Args[0]);
        var (k2, r2) = b.SplitCoefficient(n.Args[1]);
        if (b[r1].Op != Op.Exp || b[r2].Op != Op.Exp) return false;
        (c1, a, c2, e) = (k1, b[r1].Args[0], k2, b[r2].Args[0]);
        return true;
    }

    private static int? TanhFromExp(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Mul) return null;
        foreach (int f in n.Args)
        {
            var p = b[f];
            if (p.Op != Op.Pow || !b.IsConst(p.Args[1], -1)) continue;
            if (!IsTwoExponentials(b, p.Args[0], out double c1, out int x, out double c2, out int y) || c1 != c2 || c1 <= 0) continue;
            if (b.Add(x, y) != b.Const(0)) continue;
            // numerator c·eˣ − c·e⁻ˣ, in either order
            foreach (int g in n.Args)
            {
                if (!IsTwoExponentials(b, g, out double d1, out int u, out double d2, out int v)) continue;
                if (d1 == -d2 && Math.Abs(d1) == c1 && ((u == x && v == y) || (u == y && v == x)))
                {
                    int positive = d1 > 0 ? u : v;
                    var rest = n.Args.Where(a => a != f && a != g).Concat(new[] { b.Tanh(positive) }).ToList();
                    return b.Mul(rest);
                }
            }
        }
        return null;
    }

    private static int? DecideMaxMinInSelect(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Select || b[n.Args[0]].Op != Op.LessEqual) return null;
        int p = b[n.Args[0]].Args[0], q = b[n.Args[0]].Args[1];
        // Condition p <= q. Max(q, p) is q where it holds and p where it does not; Min(p, q) is p, then q.
        var whenTrue = new Dictionary<int, int>();
        var whenFalse = new Dictionary<int, int>();
        int max = b.MaxMin(Op.Max, q, p), min = b.MaxMin(Op.Min, p, q);
        if (b[max].Op == Op.Max) { whenTrue[max] = q; whenFalse[max] = p; }
        if (b[min].Op == Op.Min) { whenTrue[min] = p; whenFalse[min] = q; }
        int t = Substitute(b, n.Args[1], whenTrue, new Dictionary<int, int>());
        int e = Substitute(b, n.Args[2], whenFalse, new Dictionary<int, int>());
        return t == n.Args[1] && e == n.Args[2] ? null : b.Select(n.Args[0], t, e);
    }

    /// <summary>
    /// Rebuilds <paramref name="id"/> with some subexpressions replaced. A condition decides a
    /// vector entry by entry, so the replacement does not reach inside operators that mix
    /// entries (reductions and Softmax). Nor inside an exact comparison (== and !=): its two sides
    /// are usually two computations of one value, such as an entry and the Max over the entries in
    /// Max's tie mask, and a replacement that is exact in real numbers changes one side's rounding
    /// (Log(Max(Exp(x), c)) became x where c &lt;= Exp(x), Log(Exp(x)) is not x in floating point, and
    /// ∂/∂x of Max(Log(Max(Exp(x), c))) came out 0: found by the fuzzer, seed 4).
    /// </summary>
    internal static int Substitute(ExprBuilder b, int id, IReadOnlyDictionary<int, int> replace, Dictionary<int, int> memo)
    {
        if (replace.Count == 0) return id;
        if (replace.TryGetValue(id, out int r)) return r;
        if (memo.TryGetValue(id, out int done)) return done;
        var n = b[id];
        if (n.Arity == 0 || n.Op is Op.Sum or Op.ReduceMax or Op.LogSumExp or Op.Softmax or Op.Equal or Op.NotEqual) return id;
        var args = new int[n.Arity];
        bool same = true;
        for (int k = 0; k < args.Length; k++)
        {
            args[k] = Substitute(b, n.Args[k], replace, memo);
            same &= args[k] == n.Args[k];
        }
        int result = same ? id : b.Rebuild(n, args);
        memo[id] = result;
        return result;
    }

    /// <summary>
    /// Softmax(v + s) → Softmax(v), LogSumExp(v + s) → LogSumExp(v) + s, for the scalar terms s of a vector sum. Not Max:
    /// Max(v + s) has a tie mask that compares v + s with it, and Max(v) + s rounds differently (see <see cref="Substitute"/>).
    /// </summary>
    private static int? ShiftOutOfSoftmax(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op is not (Op.Softmax or Op.LogSumExp)) return null;
        var sum = b[n.Args[0]];
        if (sum.Op != Op.Add) return null;
        var shifts = sum.Args.Where(t => b[t].Shape == Shape.Scalar).ToList();
        if (shifts.Count == 0 || shifts.Count == sum.Arity) return null;
        int rest = b.Add(sum.Args.Where(t => b[t].Shape != Shape.Scalar).ToList());
        return n.Op == Op.Softmax ? b.Softmax(rest) : b.Add(shifts.Concat(new[] { b.LogSumExp(rest) }).ToList());
    }

    private static int? SignTimesAbs(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Mul) return null;
        foreach (int f in n.Args)
        {
            if (b[f].Op != Op.Sign) continue;
            int abs = b.Abs(b[f].Args[0]);
            if (!n.Args.Contains(abs)) continue;
            var rest = n.Args.Where(a => a != f && a != abs).Concat(new[] { b[f].Args[0] }).ToList();
            return b.Mul(rest);
        }
        return null;
    }

    private static int? PushProductIntoSelect(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Mul) return null;
        int index = -1;
        for (int k = 0; k < n.Arity; k++)
        {
            if (b[n.Args[k]].Op == Op.Select) { index = k; break; }
        }
        if (index < 0) return null;
        var select = b[n.Args[index]];
        var rest = n.Args.Where((_, k) => k != index).ToList();
        return b.Select(select.Args[0], b.Mul(rest.Concat(new[] { select.Args[1] }).ToList()), b.Mul(rest.Concat(new[] { select.Args[2] }).ToList()));
    }

    private static int? MergeSelectsInSum(ExprBuilder b, int id)
    {
        var n = b[id];
        if (n.Op != Op.Add) return null;
        // Terms c·(cond ? a : b), grouped by condition.
        var selects = new List<(int Term, double C, int Select)>();
        foreach (int t in n.Args)
        {
            var (c, rest) = b.SplitCoefficient(t);
            if (b[rest].Op == Op.Select) selects.Add((t, c, rest));
        }
        var group = selects.GroupBy(s => b[s.Select].Args[0]).FirstOrDefault(g => g.Count() > 1);
        if (group is null) return null;
        var members = group.ToList();
        int merged = b.Select(group.Key,
            b.Add(members.Select(m => b.Mul(b.Const(m.C), b[m.Select].Args[1])).ToList()),
            b.Add(members.Select(m => b.Mul(b.Const(m.C), b[m.Select].Args[2])).ToList()));
        var terms = members.Select(m => m.Term).ToList();
        return b.Add(n.Args.Where(a => !terms.Contains(a)).Concat(new[] { merged }).ToList());
    }
}
