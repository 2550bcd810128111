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
            (b, id) => b[id].Op == Op.Log && b[b[id].Args[0]].Op == Op.Sigmoid
                ? b.Neg(b.Softplus(b.Neg(b[b[id].Args[0]].Args[0]))) : null),

        new("log-one-minus-sigmoid", "1 - Sigmoid(z) rounds to 0 for z > 37 in double (17 in float), so Log gives -inf: computed as -Softplus(z)",
            (b, id) => b[id].Op == Op.Log && RewriteRules.IsOneMinusSigmoid(b, b[id].Args[0], out int x)
                ? b.Neg(b.Softplus(x)) : null),

        new("reciprocal-of-one-minus-sigmoid", "1 - Sigmoid(z) rounds to 0 for z > 37 in double (17 in float), so dividing by it gives inf or NaN: divided by Sigmoid(-z) instead",
            (b, id) => b[id].Op == Op.Pow && b.IsConst(b[id].Args[1], out double k) && k < 0 && RewriteRules.IsOneMinusSigmoid(b, b[id].Args[0], out int x)
                ? b.Power(b.Sigmoid(b.Neg(x)), k) : null),

        new("log-softmax", "Softmax(z) underflows to 0 for logits far below the max, so Log gives -inf: computed as z - LogSumExp(z)",
            (b, id) => b[id].Op == Op.Log && b[b[id].Args[0]].Op == Op.Softmax
                ? b.LogSoftmax(b[b[id].Args[0]].Args[0]) : null),

        new("log-one-plus-exp", "Exp(z) overflows for z > 709 (88 in float): Log(1 + Exp(z)) is computed as Softplus(z)",
            (b, id) => b[id].Op == Op.Log && IsOnePlus(b, b[id].Args[0], out int e) && b[e].Op == Op.Exp
                ? b.Softplus(b[e].Args[0]) : null),

        new("log-sum-of-two-exps", "Exp overflows for arguments above 709 (88 in float): Log(c·Exp(a) + c·Exp(b)), log-cosh among them, is computed as Log(c) + b + Softplus(a - b)",
            (b, id) => b[id].Op == Op.Log && RewriteRules.IsTwoExponentials(b, b[id].Args[0], out double c1, out int x, out double c2, out int y) && c1 == c2 && c1 > 0
                ? b.Add(b.Const(System.Math.Log(c1)), y, b.Softplus(b.Sub(x, y))) : null),

        new("log1p", "1 + x loses the digits of a small x before Log sees them: computed as Log1P(x)",
            (b, id) => b[id].Op == Op.Log && IsOnePlus(b, b[id].Args[0], out int x) ? b.Log1P(x) : null),

        new("expm1", "Exp(x) - 1 cancels catastrophically for small x: computed as ExpM1(x)",
            (b, id) => ExpMinusOne(b, id)),
    };

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
