using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Emit;

/// <summary>
/// The order in which the terms of a sum are added, shared by the printed formulas and the generated code so that a
/// formula reads the way it is computed: the positive terms, then the negative ones as subtractions, each group in the
/// canonical order. When the terms free of transcendental functions (the algebraic ones: parameters, + − × ÷, Abs, Max,
/// ...) have both signs and a transcendental term is present, the algebraic terms are added first: they can cancel each
/// other exactly (Max(z, 0) - y * z is 0 at y = 1), and a small transcendental term added afterwards survives
/// (Log1P(Exp(-Abs(z))) = 2.06e-9 at z = 20), where added first it would be absorbed into Max(z, 0) in float and
/// cancelled with it.
/// </summary>
internal static class SumOrder
{
    /// <summary>The terms of a sum in the order they are added; <paramref name="isNegative"/> says which are subtracted.</summary>
    public static List<int> Arrange(ExprDag dag, IReadOnlyList<int> terms, Func<int, bool> isNegative)
    {
        var memo = new Dictionary<int, bool>();
        var algebraic = terms.Where(t => !HasTranscendental(dag, t, memo)).ToList();
        bool split = algebraic.Count < terms.Count && algebraic.Any(isNegative) && algebraic.Any(t => !isNegative(t));
        var groups = split ? new[] { algebraic, terms.Where(t => !algebraic.Contains(t)).ToList() } : new[] { terms.ToList() };
        return groups.SelectMany(g => g.Where(t => !isNegative(t)).Concat(g.Where(isNegative))).ToList();
    }

    private static bool HasTranscendental(ExprDag dag, int id, Dictionary<int, bool> memo)
    {
        if (memo.TryGetValue(id, out bool known)) return known;
        var n = dag[id];
        bool result = n.Op switch
        {
            Op.Log or Op.Exp or Op.Sigmoid or Op.Softplus or Op.Tanh or Op.Log1P or Op.ExpM1 or Op.LogSumExp or Op.Softmax => true,
            // An integer power is multiplies (and a division); any other power is e^(p·ln x).
            Op.Pow => !(dag[n.Args[1]].Op == Op.Const && dag[n.Args[1]].Value == Math.Floor(dag[n.Args[1]].Value)),
            _ => false,
        };
        if (!result) result = n.Args.Any(a => HasTranscendental(dag, a, memo));
        memo[id] = result;
        return result;
    }
}
