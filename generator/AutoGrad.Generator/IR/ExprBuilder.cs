using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Helpers;

namespace AutoGrad.Generator.IR;

/// <summary>
/// Builds a hash-consed expression DAG. Every node is created through a smart constructor that
/// puts it in canonical form (sums and products flattened, sorted, constants folded, like terms and
/// like powers collected), so structurally equal expressions get the same id and equality is an
/// integer comparison. Ids grow children-first, so ascending id order is a topological order.
/// </summary>
internal sealed class ExprBuilder
{
    private readonly List<Node> _nodes = new();
    private readonly List<ulong> _paramMasks = new();
    private readonly Dictionary<Node, int> _ids = new();

    /// <summary>Nodes created so far; a guard against runaway rewriting.</summary>
    public int Count => _nodes.Count;

    public Node this[int id] => _nodes[id];

    /// <summary>The set of parameter indices (as bits, up to 64) that node <paramref name="id"/> depends on.</summary>
    public ulong ParamMask(int id) => _paramMasks[id];

    public Shape ShapeOf(int id) => _nodes[id].Shape;

    public bool IsConst(int id, out double value)
    {
        var n = _nodes[id];
        value = n.Value;
        return n.Op == Op.Const;
    }

    public bool IsConst(int id, double value) => _nodes[id].Op == Op.Const && _nodes[id].Value == value;

    // ---- interning ---------------------------------------------------------------------

    private int Intern(Op op, Shape shape, int[] args, double value = 0, int index = -1)
    {
        var node = new Node(op, shape, new EquatableArray<int>(args), value, index);
        if (_ids.TryGetValue(node, out int id)) return id;
        id = _nodes.Count;
        _nodes.Add(node);
        ulong mask = op == Op.Param && index < 64 ? 1UL << index : 0;
        foreach (int a in args) mask |= _paramMasks[a];
        _paramMasks.Add(mask);
        _ids.Add(node, id);
        return id;
    }

    private static Shape Widest(IEnumerable<int> ids, ExprBuilder b) =>
        ids.Any(i => b._nodes[i].Shape == Shape.Vector) ? Shape.Vector : Shape.Scalar;

    // ---- leaves ----------------------------------------------------------------------------

    public int Const(double value) => Intern(Op.Const, Shape.Scalar, Array.Empty<int>(), value == 0 ? 0.0 : value);

    public int Param(int index, Shape shape) => Intern(Op.Param, shape, Array.Empty<int>(), 0, index);

    /// <summary>The number of classes (the length of the loss's vectors).</summary>
    public int ClassCount() => Intern(Op.ClassCount, Shape.Scalar, Array.Empty<int>());

    // ---- sums ------------------------------------------------------------------------------

    public int Add(params int[] terms) => Add((IEnumerable<int>)terms);

    public int Sub(int a, int b) => Add(a, Neg(b));

    /// <summary>A canonical sum: flattened, constants folded, like terms collected, terms sorted.</summary>
    public int Add(IEnumerable<int> terms)
    {
        double constant = 0;
        var coefficients = new Dictionary<int, double>();
        var order = new List<int>();

        void Visit(int t)
        {
            var n = _nodes[t];
            if (n.Op == Op.Add)
            {
                foreach (int a in n.Args) Visit(a);
                return;
            }
            if (n.Op == Op.Const)
            {
                constant += n.Value;
                return;
            }
            var (c, rest) = SplitCoefficient(t);
            if (coefficients.TryGetValue(rest, out double existing))
            {
                coefficients[rest] = existing + c;
            }
            else
            {
                coefficients[rest] = c;
                order.Add(rest);
            }
        }

        foreach (int t in terms) Visit(t);

        var result = new List<int>();
        if (constant != 0) result.Add(Const(constant));
        foreach (int rest in order)
        {
            double c = coefficients[rest];
            if (c == 0) continue;
            result.Add(c == 1 ? rest : Mul(Const(c), rest));
        }

        if (result.Count == 0) return Const(0);
        if (result.Count == 1) return result[0];
        result.Sort(Compare);
        return Intern(Op.Add, Widest(result, this), result.ToArray());
    }

    /// <summary>Splits a term into its numeric coefficient and the rest: -2·x·y → (-2, x·y).</summary>
    public (double Coefficient, int Remainder) SplitCoefficient(int t)
    {
        var n = _nodes[t];
        if (n.Op == Op.Mul && _nodes[n.Args[0]].Op == Op.Const)
        {
            double c = _nodes[n.Args[0]].Value;
            if (n.Arity == 2) return (c, n.Args[1]);
            var rest = new int[n.Arity - 1];
            for (int i = 1; i < n.Arity; i++) rest[i - 1] = n.Args[i];
            return (c, Intern(Op.Mul, Widest(rest, this), rest));
        }
        return (1, t);
    }

    // ---- products --------------------------------------------------------------------------

    public int Mul(params int[] factors) => Mul((IEnumerable<int>)factors);

    public int Neg(int a) => Mul(Const(-1), a);

    public int Div(int a, int b) => Mul(a, Pow(b, Const(-1)));

    /// <summary>
    /// A canonical product: flattened, numeric coefficient first, powers of the same base
    /// collected (x·x⁻¹ = 1, x·x = x²), exponentials merged (eᵃ·eᵇ = eᵃ⁺ᵇ), factors sorted.
    /// A numeric coefficient times a single sum is distributed: 2·(a + b) = 2·a + 2·b.
    /// </summary>
    public int Mul(IEnumerable<int> factors)
    {
        double coefficient = 1;
        var exponents = new Dictionary<int, List<int>>();
        var order = new List<int>();
        var expArgs = new List<int>();

        void Visit(int f)
        {
            var n = _nodes[f];
            switch (n.Op)
            {
                case Op.Mul:
                    foreach (int a in n.Args) Visit(a);
                    return;
                case Op.Const:
                    coefficient *= n.Value;
                    return;
                case Op.Exp:
                    expArgs.Add(n.Args[0]);
                    return;
            }
            int baseId = f, exponent = Const(1);
            if (n.Op == Op.Pow)
            {
                baseId = n.Args[0];
                exponent = n.Args[1];
            }
            if (!exponents.TryGetValue(baseId, out var list))
            {
                exponents[baseId] = list = new List<int>();
                order.Add(baseId);
            }
            list.Add(exponent);
        }

        foreach (int f in factors) Visit(f);

        if (coefficient == 0) return Const(0);

        var result = new List<int>();
        foreach (int baseId in order)
        {
            int p = Pow(baseId, Add(exponents[baseId]));
            // Pow may fold to a constant or distribute over a product; fold those back in.
            var pn = _nodes[p];
            if (pn.Op == Op.Const) coefficient *= pn.Value;
            else if (pn.Op == Op.Mul) result.AddRange(pn.Args.Where(a => { if (_nodes[a].Op == Op.Const) { coefficient *= _nodes[a].Value; return false; } return true; }));
            else result.Add(p);
        }
        if (expArgs.Count > 0)
        {
            int e = Exp(Add(expArgs));
            if (IsConst(e, out double ev)) coefficient *= ev;
            else result.Add(e);
        }

        if (coefficient == 0) return Const(0);
        if (result.Count == 0) return Const(coefficient);
        if (coefficient == 1 && result.Count == 1) return result[0];
        if (coefficient != 1 && result.Count == 1 && _nodes[result[0]].Op == Op.Add)
        {
            return Add(_nodes[result[0]].Args.Select(t => Mul(Const(coefficient), t)).ToList());
        }

        result.Sort(Compare);
        if (coefficient != 1) result.Insert(0, Const(coefficient));
        return Intern(Op.Mul, Widest(result, this), result.ToArray());
    }

    // ---- powers ----------------------------------------------------------------------------

    /// <summary>x raised to a constant power (named apart from <see cref="Pow(int, int)"/>, whose exponent is a node id).</summary>
    public int Power(int baseId, double exponent) => Pow(baseId, Const(exponent));

    /// <summary>
    /// A canonical power: x⁰ = 1, x¹ = x, constants folded, (xᵃ)ᵏ = xᵃᵏ for integer k,
    /// (x·y)ᵏ = xᵏ·yᵏ for integer k, (eᵃ)ᵏ = eᵏᵃ.
    /// </summary>
    public int Pow(int baseId, int exponent)
    {
        var b = _nodes[baseId];
        if (_nodes[exponent].Op == Op.Const)
        {
            double k = _nodes[exponent].Value;
            if (k == 0) return Const(1);
            if (k == 1) return baseId;
            if (b.Op == Op.Const)
            {
                double v = Math.Pow(b.Value, k);
                if (IsFinite(v)) return Const(v);
            }
            bool integer = k == Math.Floor(k) && Math.Abs(k) < 1e9;
            if (b.Op == Op.Pow && integer) return Pow(b.Args[0], Mul(b.Args[1], exponent));
            if (b.Op == Op.Mul && integer) return Mul(b.Args.Select(a => Pow(a, exponent)).ToList());
            if (b.Op == Op.Exp) return Exp(Mul(exponent, b.Args[0]));
        }
        else if (b.Op == Op.Exp)
        {
            return Exp(Mul(exponent, b.Args[0]));
        }
        return Intern(Op.Pow, Widest(new[] { baseId, exponent }, this), new[] { baseId, exponent });
    }

    // ---- elementwise functions ---------------------------------------------------------------

    /// <summary>Applies an elementwise unary function, folding constants and inverse pairs.</summary>
    public int Unary(Op op, int a)
    {
        var n = _nodes[a];
        if (n.Op == Op.Const)
        {
            double v = Evaluator.Scalar(op, n.Value);
            if (IsFinite(v)) return Const(v);
        }
        switch (op)
        {
            case Op.Log when n.Op == Op.Exp: return n.Args[0];
            case Op.Exp when n.Op == Op.Log: return n.Args[0];
            // e^(c·log x) = x^c (on x > 0, where log x is defined).
            case Op.Exp when n.Op == Op.Mul && n.Arity == 2 && _nodes[n.Args[0]].Op == Op.Const && _nodes[n.Args[1]].Op == Op.Log:
                return Pow(_nodes[n.Args[1]].Args[0], n.Args[0]);
            case Op.Abs when n.Op is Op.Abs or Op.Exp or Op.Sigmoid or Op.Softplus: return a;
            case Op.Sign when n.Op == Op.Sign: return a;
        }
        return Intern(op, n.Shape, new[] { a });
    }

    public int Log(int a) => Unary(Op.Log, a);
    public int Exp(int a) => Unary(Op.Exp, a);
    public int Sigmoid(int a) => Unary(Op.Sigmoid, a);
    public int Softplus(int a) => Unary(Op.Softplus, a);
    public int Tanh(int a) => Unary(Op.Tanh, a);
    public int Log1P(int a) => Unary(Op.Log1P, a);
    public int ExpM1(int a) => Unary(Op.ExpM1, a);
    public int Abs(int a) => Unary(Op.Abs, a);
    public int Sign(int a) => Unary(Op.Sign, a);
    public int Sqrt(int a) => Power(a, 0.5);

    /// <summary>
    /// Elementwise maximum or minimum of two operands. The operands keep the order they were
    /// written in, because the one-sided derivative gives a tie to the first.
    /// </summary>
    public int MaxMin(Op op, int a, int b)
    {
        if (a == b) return a;
        if (IsConst(a, out double va) && IsConst(b, out double vb)) return Const(op == Op.Max ? Math.Max(va, vb) : Math.Min(va, vb));
        return Intern(op, Widest(new[] { a, b }, this), new[] { a, b });
    }

    // ---- comparisons and selection ------------------------------------------------------------

    /// <summary>
    /// A comparison with value 1 where it holds and 0 elsewhere. a &gt; b is stored as b &lt; a
    /// and a &gt;= b as b &lt;= a, so each condition has one form.
    /// </summary>
    public int Compare(Op op, int a, int b, bool swapped = false)
    {
        if (IsConst(a, out double va) && IsConst(b, out double vb))
        {
            bool r = op switch
            {
                Op.Less => va < vb,
                Op.LessEqual => va <= vb,
                Op.Equal => va == vb,
                _ => va != vb,
            };
            return Const(r ? 1 : 0);
        }
        if (op is Op.Equal or Op.NotEqual && Compare(a, b) > 0) (a, b) = (b, a);
        return Intern(op, Widest(new[] { a, b }, this), new[] { a, b });
    }

    public int Greater(int a, int b) => Compare(Op.Less, b, a);
    public int GreaterEqual(int a, int b) => Compare(Op.LessEqual, b, a);

    /// <summary><c>condition ? whenTrue : whenFalse</c>, elementwise for vectors.</summary>
    public int Select(int condition, int whenTrue, int whenFalse)
    {
        if (whenTrue == whenFalse) return whenTrue;
        if (IsConst(condition, out double c)) return c != 0 ? whenTrue : whenFalse;
        return Intern(Op.Select, Widest(new[] { condition, whenTrue, whenFalse }, this), new[] { condition, whenTrue, whenFalse });
    }

    // ---- vector functions ----------------------------------------------------------------------

    /// <summary>
    /// Σᵢ vᵢ, kept linear: Σ(a + b) = Σa + Σb, Σ(s·v) = s·Σv for scalar s, Σs = n·s for a scalar s
    /// (a scalar stands for the vector with every entry equal to it), Σ Softmax(z) = 1.
    /// </summary>
    public int Sum(int v)
    {
        var n = _nodes[v];
        if (n.Shape == Shape.Scalar) return Mul(v, ClassCount());
        switch (n.Op)
        {
            case Op.Add:
                return Add(n.Args.Select(Sum).ToList());
            case Op.Mul:
            {
                var scalars = n.Args.Where(a => _nodes[a].Shape == Shape.Scalar).ToList();
                if (scalars.Count > 0)
                {
                    var vectors = n.Args.Where(a => _nodes[a].Shape == Shape.Vector).ToList();
                    return Mul(scalars.Concat(new[] { Sum(Mul(vectors)) }).ToList());
                }
                break;
            }
            case Op.Softmax:
                return Const(1);
        }
        return Intern(Op.Sum, Shape.Scalar, new[] { v });
    }

    public int Mean(int v) => Mul(Sum(v), Power(ClassCount(), -1));

    public int Dot(int a, int b) => Sum(Mul(a, b));

    public int ReduceMax(int v) =>
        _nodes[v].Shape == Shape.Scalar ? v : Intern(Op.ReduceMax, Shape.Scalar, new[] { v });

    /// <summary>log Σ exp(vᵢ); for a scalar s it is s + log n.</summary>
    public int LogSumExp(int v) =>
        _nodes[v].Shape == Shape.Scalar ? Add(v, Log(ClassCount())) : Intern(Op.LogSumExp, Shape.Scalar, new[] { v });

    /// <summary>exp(vᵢ) / Σ exp(v).</summary>
    public int Softmax(int v) =>
        _nodes[v].Shape == Shape.Scalar ? Power(ClassCount(), -1) : Intern(Op.Softmax, Shape.Vector, new[] { v });

    /// <summary>log Softmax(v) = v − LogSumExp(v).</summary>
    public int LogSoftmax(int v) => Sub(v, LogSumExp(v));

    // ---- generic reconstruction ----------------------------------------------------------------

    /// <summary>Rebuilds a node of the same kind as <paramref name="template"/> over new operands, canonically.</summary>
    public int Rebuild(Node template, IReadOnlyList<int> args) => template.Op switch
    {
        Op.Const => Const(template.Value),
        Op.Param => Param(template.Index, template.Shape),
        Op.ClassCount => ClassCount(),
        Op.Add => Add(args),
        Op.Mul => Mul(args),
        Op.Pow => Pow(args[0], args[1]),
        Op.Max or Op.Min => MaxMin(template.Op, args[0], args[1]),
        Op.Less or Op.LessEqual or Op.Equal or Op.NotEqual => Compare(template.Op, args[0], args[1]),
        Op.Select => Select(args[0], args[1], args[2]),
        Op.Sum => Sum(args[0]),
        Op.ReduceMax => ReduceMax(args[0]),
        Op.LogSumExp => LogSumExp(args[0]),
        Op.Softmax => Softmax(args[0]),
        _ => Unary(template.Op, args[0]),
    };

    /// <summary>Copies every node of <paramref name="dag"/> into this builder; returns the new id of each old id.</summary>
    public int[] Import(ExprDag dag)
    {
        var map = new int[dag.Count];
        for (int i = 0; i < dag.Count; i++)
        {
            var n = dag[i];
            var args = new int[n.Arity];
            for (int k = 0; k < args.Length; k++) args[k] = map[n.Args[k]];
            map[i] = Rebuild(n, args);
        }
        return map;
    }

    /// <summary>
    /// The finished DAG of the given roots: only the nodes they reach, numbered by a post-order
    /// walk from the roots (operands in their canonical order), so the array depends only on the
    /// expressions and never on the order they were built in.
    /// </summary>
    public ExprDag Extract(IReadOnlyList<int> roots)
    {
        var map = new Dictionary<int, int>();
        var nodes = new List<Node>();
        var stack = new Stack<(int Id, bool Expanded)>();
        foreach (int root in roots)
        {
            stack.Push((root, false));
            while (stack.Count > 0)
            {
                var (id, expanded) = stack.Pop();
                if (map.ContainsKey(id)) continue;
                var n = _nodes[id];
                if (!expanded)
                {
                    stack.Push((id, true));
                    for (int k = n.Arity - 1; k >= 0; k--)
                    {
                        if (!map.ContainsKey(n.Args[k])) stack.Push((n.Args[k], false));
                    }
                    continue;
                }
                var args = n.Args.Select(a => map[a]).ToArray();
                map[id] = nodes.Count;
                nodes.Add(new Node(n.Op, n.Shape, new EquatableArray<int>(args), n.Value, n.Index));
            }
        }
        return new ExprDag(nodes.ToEquatableArray(), roots.Select(r => map[r]).ToEquatableArray());
    }

    /// <summary>The ids reachable from <paramref name="roots"/>, ascending (children first).</summary>
    public List<int> Reachable(IEnumerable<int> roots)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(roots);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!seen.Add(id)) continue;
            foreach (int a in _nodes[id].Args) stack.Push(a);
        }
        var list = seen.ToList();
        list.Sort();
        return list;
    }

    // ---- structural order ---------------------------------------------------------------------

    /// <summary>
    /// A total order on expressions that depends only on their structure (never on ids), used to
    /// sort the operands of sums and products so that canonical forms and printed formulas are
    /// deterministic. Constants first, then parameters by declaration order, then functions,
    /// reductions, sums and products; a power sorts with its base.
    /// </summary>
    public int Compare(int a, int b)
    {
        if (a == b) return 0;
        var x = _nodes[a];
        var y = _nodes[b];
        if (x.Op == Op.Pow && y.Op == Op.Pow)
        {
            int c0 = Compare(x.Args[0], y.Args[0]);
            return c0 != 0 ? c0 : Compare(x.Args[1], y.Args[1]);
        }
        if (x.Op == Op.Pow)
        {
            int c0 = Compare(x.Args[0], b);
            return c0 != 0 ? c0 : 1;
        }
        if (y.Op == Op.Pow)
        {
            int c0 = Compare(a, y.Args[0]);
            return c0 != 0 ? c0 : -1;
        }
        int r = Rank(x.Op).CompareTo(Rank(y.Op));
        if (r != 0) return r;
        if (x.Op != y.Op) return x.Op.CompareTo(y.Op);
        switch (x.Op)
        {
            case Op.Const: return x.Value.CompareTo(y.Value);
            case Op.Param: return x.Index.CompareTo(y.Index);
        }
        int arity = Math.Min(x.Arity, y.Arity);
        for (int i = 0; i < arity; i++)
        {
            int c = Compare(x.Args[i], y.Args[i]);
            if (c != 0) return c;
        }
        return x.Arity.CompareTo(y.Arity);
    }

    private static int Rank(Op op) => op switch
    {
        Op.Const => 0,
        Op.Param => 1,
        Op.ClassCount => 2,
        Op.Softmax => 4,
        Op.Sum or Op.ReduceMax or Op.LogSumExp => 6,
        Op.Less or Op.LessEqual or Op.Equal or Op.NotEqual => 7,
        Op.Select => 8,
        Op.Add => 9,
        Op.Mul => 10,
        _ => 3,
    };

    internal static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);
}
