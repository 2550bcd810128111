using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Simplify;

/// <summary>Why the rewriter stopped.</summary>
internal enum StopReason
{
    Saturated,
    NodeLimit,
    IterationLimit,
}

/// <summary>Limits for one run of the simplifier.</summary>
internal sealed record SimplifierLimits(int MaxNodes = 200_000, int MaxRuleApplications = 20_000, int MaxExpandedTerms = 64)
{
    public static SimplifierLimits Default { get; } = new();
}

/// <summary>
/// Simplifies expressions to small closed forms. Bottom up, each node is rebuilt canonically
/// from its simplified operands (the builder's algebra), the named <see cref="RewriteRules"/>
/// are applied to a fixpoint, and two further candidates are tried: the fully expanded form
/// (products distributed over sums, so terms cancel) and that form with common factors pulled
/// out. The <see cref="CostModel"/> keeps the cheapest. The run has node and rule-application limits
/// and reports why it stopped.
/// </summary>
internal sealed class Simplifier
{
    private readonly ExprBuilder _b;
    private readonly Facts _facts;
    private readonly SimplifierLimits _limits;
    private readonly Dictionary<int, int> _memo = new();
    private readonly Dictionary<int, int> _expandMemo = new();
    private int _applications;

    public Simplifier(ExprBuilder builder, Facts? facts = null, SimplifierLimits? limits = null)
    {
        _b = builder;
        _facts = facts ?? Facts.None;
        _limits = limits ?? SimplifierLimits.Default;
    }

    public StopReason Stop { get; private set; } = StopReason.Saturated;

    /// <summary>The names of the rules that fired, in order (for tests and the derivation log).</summary>
    public List<string> Fired { get; } = new();

    private bool OverBudget()
    {
        if (_b.Count > _limits.MaxNodes) { Stop = StopReason.NodeLimit; return true; }
        if (_applications > _limits.MaxRuleApplications) { Stop = StopReason.IterationLimit; return true; }
        return false;
    }

    /// <summary>
    /// The simplest form of <paramref name="id"/> found. Rules always rewrite toward a canonical
    /// form, which may cost more than what was written when nothing cancels; the cost model then
    /// keeps the written form.
    /// </summary>
    public int Simplify(int id)
    {
        int simplified = SimplifyNode(id);
        return CostModel.Cost(_b, simplified) < CostModel.Cost(_b, id) - 1e-9 ? simplified : id;
    }

    private int _depth;

    private int SimplifyNode(int id)
    {
        if (_memo.TryGetValue(id, out int done)) return done;
        // A runaway recursion becomes an exception (AG9999 for this loss), never a stack overflow that kills the compiler.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var node = _b[id];
        if (node.Arity == 0 || OverBudget())
        {
            _memo[id] = id;
            return id;
        }

        var args = new int[node.Arity];
        for (int i = 0; i < args.Length; i++) args[i] = SimplifyNode(node.Args[i]);
        // The builder's algebra may make new subterms while rebuilding (Σ(a − y) becomes Σa − Σy): they get the
        // rules too, or a fact such as Σy = 1 would never see them.
        int r = ApplyRules(SimplifyChildren(_b.Rebuild(node, args)));

        var op = _b[r].Op;
        if ((op is Op.Mul or Op.Add or Op.Pow) && !OverBudget())
        {
            double best = CostModel.Cost(_b, r);
            int expanded = Expand(r);
            // Candidates are generated for the nodes of the input only; the new subterms inside a
            // candidate get the rules, not candidates of their own (that would nest exponentially).
            if (_depth == 0)
            {
                _depth++;
                int distributed = DistributeOnce(r);
                foreach (int raw in new[] { expanded, Factor(expanded), Together(expanded), Factor(r), distributed, Factor(distributed) }.Distinct())
                {
                    if (raw == r) continue;
                    // Expansion builds new products and sums: give them the rules too.
                    int candidate = ApplyRules(SimplifyChildren(raw));
                    double cost = CostModel.Cost(_b, candidate);
                    if (cost < best - 1e-9)
                    {
                        best = cost;
                        r = candidate;
                    }
                }
                _depth--;
            }
        }

        _memo[id] = r;
        _memo[r] = r;
        return r;
    }

    private int ApplyRules(int id)
    {
        for (int round = 0; round < 16; round++)
        {
            bool changed = false;
            foreach (var rule in RewriteRules.All)
            {
                if (OverBudget()) return id;
                int? rewritten = rule.Apply(_b, id, _facts);
                if (rewritten is int r && r != id)
                {
                    _applications++;
                    Fired.Add(rule.Name);
                    // The rewrite is built from simplified operands, but its new inner nodes
                    // may themselves match a rule: simplify them before going on.
                    id = SimplifyChildren(r);
                    changed = true;
                }
            }
            if (!changed) return id;
        }
        return id;
    }

    private int SimplifyChildren(int id)
    {
        var node = _b[id];
        if (node.Arity == 0) return id;
        var args = new int[node.Arity];
        bool same = true;
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = SimplifyNode(node.Args[i]);
            same &= args[i] == node.Args[i];
        }
        return same ? id : _b.Rebuild(node, args);
    }

    /// <summary>
    /// Distributes products over sums throughout, so that x·x⁻¹ factors meet and cancel and like
    /// terms collect. Sums holding fractions are distributed first, because multiplying a
    /// fraction into the other factors is where denominators cancel. Gives up (returns the input)
    /// beyond <see cref="SimplifierLimits.MaxExpandedTerms"/> terms.
    /// </summary>
    public int Expand(int id)
    {
        if (_expandMemo.TryGetValue(id, out int done)) return done;
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var n = _b[id];
        int result = id;
        switch (n.Op)
        {
            case Op.Add:
                result = _b.Add(n.Args.Select(Expand).ToList());
                break;
            case Op.Mul:
                result = ExpandProduct(n.Args.ToList());
                break;
            case Op.Pow when _b.IsConst(n.Args[1], out double k) && k == 2 && _b[n.Args[0]].Op == Op.Add:
                result = ExpandProduct(new List<int> { n.Args[0], n.Args[0] });
                break;
        }
        if (result != id && _b[result].Op == Op.Add && _b[result].Arity > _limits.MaxExpandedTerms) result = id;
        _expandMemo[id] = result;
        return result;
    }

    private int ExpandProduct(List<int> factors)
    {
        int product = _b.Mul(factors);
        var p = _b[product];
        if (p.Op == Op.Add) return Expand(product);
        if (p.Op != Op.Mul) return product;

        // Expand inside the factors first, then pick the sum to distribute.
        var expanded = p.Args.Select(f => _b[f].Op == Op.Add ? Expand(f) : f).ToList();
        int pick = SumToDistribute(expanded);
        if (pick < 0) return _b.Mul(expanded);

        // The full expansion has as many terms as the product of the sums' sizes: give up early.
        double termCount = 1;
        foreach (int f in expanded)
        {
            if (_b[f].Op == Op.Add) termCount *= _b[f].Arity;
        }
        if (termCount > _limits.MaxExpandedTerms || OverBudget()) return _b.Mul(expanded);
        var sum = _b[expanded[pick]];
        var rest = expanded.Where((_, k) => k != pick).ToList();
        var terms = new List<int>(sum.Arity);
        foreach (int t in sum.Args)
        {
            terms.Add(ExpandProduct(rest.Concat(new[] { t }).ToList()));
        }
        return _b.Add(terms);
    }

    /// <summary>
    /// Distributes a product over one of its sums, one level deep: (a + b)·c·d = a·c·d + b·c·d,
    /// without expanding c and d. Where full expansion multiplies out too much, this still lets
    /// each term cancel its own denominators.
    /// </summary>
    public int DistributeOnce(int id)
    {
        var n = _b[id];
        if (n.Op != Op.Mul) return id;
        int pick = SumToDistribute(n.Args.ToList());
        if (pick < 0) return id;
        var rest = n.Args.Where((_, k) => k != pick).ToList();
        return _b.Add(_b[n.Args[pick]].Args.Select(t => _b.Mul(rest.Concat(new[] { t }).ToList())).ToList());
    }

    /// <summary>
    /// Which factor of a product to distribute: the sum with the most terms holding a fraction
    /// (the first such sum on a tie), since multiplying a fraction into the other factors is
    /// where denominators cancel; -1 when no factor is a sum.
    /// </summary>
    private int SumToDistribute(IReadOnlyList<int> factors)
    {
        int pick = -1, bestFractions = -1;
        for (int k = 0; k < factors.Count; k++)
        {
            var f = _b[factors[k]];
            if (f.Op != Op.Add) continue;
            int fractions = f.Args.Count(HasDenominator);
            if (fractions > bestFractions)
            {
                bestFractions = fractions;
                pick = k;
            }
        }
        return pick;
    }

    private bool HasDenominator(int term)
    {
        var n = _b[term];
        if (n.Op == Op.Pow) return _b.IsConst(n.Args[1], out double k) && k < 0;
        return n.Op == Op.Mul && n.Args.Any(HasDenominator);
    }

    /// <summary>
    /// Pulls the factors every term of a sum shares out in front: x·a − x·b = x·(a − b).
    /// A shared power is pulled out at the smallest exponent the terms have.
    /// </summary>
    public int Factor(int id)
    {
        var n = _b[id];
        if (n.Op != Op.Add) return id;
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();

        Dictionary<int, double>? common = null;
        foreach (int t in n.Args)
        {
            var powers = Powers(t);
            if (common is null)
            {
                common = powers;
                continue;
            }
            foreach (int key in common.Keys.ToList())
            {
                if (!powers.TryGetValue(key, out double e)) common.Remove(key);
                else if (Math.Sign(e) != Math.Sign(common[key])) common.Remove(key);
                else common[key] = Math.Sign(e) * Math.Min(Math.Abs(e), Math.Abs(common[key]));
            }
        }
        if (common is null || common.Count == 0) return id;

        var pulled = common.Select(kv => _b.Power(kv.Key, kv.Value)).ToList();
        int inverse = _b.Power(_b.Mul(pulled), -1);
        var inner = _b.Add(n.Args.Select(t => _b.Mul(t, inverse)).ToList());
        // Dividing out must make progress: the builder may rewrite the division away (Exp(-Log(b)) is kept as
        // written, but its inverse Exp(Log(b)) becomes b), and then the same sum came back here forever.
        if (inner == id) return id;
        return _b.Mul(pulled.Concat(new[] { Factor(inner) }).ToList());
    }

    /// <summary>
    /// Puts a sum of fractions over a common denominator and expands the numerator, so that
    /// −y/a + (1 − y)/(1 − a) becomes (a − y)/(a·(1 − a)).
    /// </summary>
    public int Together(int id)
    {
        var n = _b[id];
        if (n.Op != Op.Add) return id;
        var denominators = new Dictionary<int, double>();
        int withDenominator = 0;
        foreach (int t in n.Args)
        {
            bool any = false;
            foreach (var kv in Powers(t))
            {
                if (kv.Value >= 0 || kv.Value != Math.Floor(kv.Value)) continue;
                any = true;
                denominators[kv.Key] = denominators.TryGetValue(kv.Key, out double e) ? Math.Max(e, -kv.Value) : -kv.Value;
            }
            if (any) withDenominator++;
        }
        if (withDenominator < 2) return id;
        var common = denominators.Select(kv => _b.Power(kv.Key, kv.Value)).ToList();
        int numerator = Expand(_b.Add(n.Args.Select(t => _b.Mul(common.Concat(new[] { t }).ToList())).ToList()));
        numerator = Factor(numerator);
        return _b.Mul(denominators.Select(kv => _b.Power(kv.Key, -kv.Value)).Concat(new[] { numerator }).ToList());
    }

    private Dictionary<int, double> Powers(int term)
    {
        var result = new Dictionary<int, double>();
        var n = _b[term];
        var factors = n.Op == Op.Mul ? n.Args.ToList() : new List<int> { term };
        foreach (int f in factors)
        {
            var fn = _b[f];
            if (fn.Op == Op.Const) continue;
            if (fn.Op == Op.Pow && _b.IsConst(fn.Args[1], out double k)) result[fn.Args[0]] = k;
            else result[f] = 1;
        }
        return result;
    }
}
