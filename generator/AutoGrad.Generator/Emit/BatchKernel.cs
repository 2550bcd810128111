using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Emit;

/// <summary>An operation of a batch kernel: one lane of one example (or of one class of a row).</summary>
internal enum KOp : byte
{
    /// <summary>A number (<see cref="KInstr.Value"/>).</summary>
    Const,

    /// <summary>A parameter of the loss (<see cref="KInstr.Index"/>), loaded for the current example, row or class.</summary>
    Param,

    /// <summary>The class count of a vector loss.</summary>
    ClassCount,

    Add,
    Sub,
    Mul,
    Div,
    Neg,

    Sqrt,
    Exp,
    Log,
    Log1P,
    ExpM1,
    Tanh,
    Abs,
    Sign,

    /// <summary>x^p for an exponent that is not a small integer or half-integer constant.</summary>
    Pow,
    Max,
    Min,

    /// <summary>max(x, 0), the first term of Softplus.</summary>
    MaxZero,

    /// <summary>e^−|x|: Softplus(±x) and Sigmoid(±x) share it.</summary>
    ExpNegAbs,

    /// <summary>ln(1 + e) for e = e^−|x| in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)).</summary>
    Log1PUnit,

    /// <summary>σ(x) from x (A) and e = e^−|x| (B).</summary>
    SigmoidFromExp,

    /// <summary>A comparison used as a number: 1 where it holds, 0 elsewhere (<see cref="KInstr.Cmp"/> of A and B).</summary>
    Compare,

    /// <summary>C where the comparison <see cref="KInstr.Cmp"/> of A and B holds, else D.</summary>
    Select,

    /// <summary>Σⱼ A over the classes of a row (a row value).</summary>
    ReduceSum,

    /// <summary>maxⱼ A over the classes of a row, NaN propagating (a row value).</summary>
    ReduceMax,

    /// <summary>maxⱼ A as the hardware max computes it: the shift of a LogSumExp, where a NaN shows up in the sum anyway.</summary>
    ReduceMaxNative,

    /// <summary>A when finite, else 0: the shift of a LogSumExp.</summary>
    FiniteOrZero,
}

/// <summary>How a comparison in <see cref="KOp.Compare"/> or <see cref="KOp.Select"/> is made.</summary>
internal enum KCmp : byte
{
    None,
    Less,
    LessEqual,
    Equal,
    NotEqual,

    /// <summary>A != 0 (true for NaN): a number used as a condition.</summary>
    NonZero,
}

/// <summary>
/// Where a value of a kernel lives: once per call (<see cref="Uniform"/>: constants and <c>[Constant]</c> numbers),
/// once per row of a vector loss (<see cref="Row"/>), or once per example of a scalar loss or per class of a row
/// (<see cref="Element"/>: the vectorized lanes).
/// </summary>
internal enum KLevel : byte
{
    Uniform,
    Row,
    Element,
}

/// <summary>One instruction of a kernel; operands are ids of earlier instructions (−1 where unused).</summary>
internal readonly record struct KInstr(KOp Op, KCmp Cmp, int A, int B, int C, int D, double Value, int Index)
{
    public IEnumerable<int> Operands
    {
        get
        {
            if (A >= 0) yield return A;
            if (B >= 0) yield return B;
            if (C >= 0) yield return C;
            if (D >= 0) yield return D;
        }
    }

    public bool IsReduction => Op is KOp.ReduceSum or KOp.ReduceMax or KOp.ReduceMaxNative;

    /// <summary>A transcendental function: worth keeping in a row buffer rather than computing again in a later pass.</summary>
    public bool IsExpensive => Op is KOp.Exp or KOp.Log or KOp.Log1P or KOp.ExpM1 or KOp.Tanh or KOp.Pow
        or KOp.ExpNegAbs or KOp.Log1PUnit or KOp.SigmoidFromExp;
}

/// <summary>
/// A loss and its gradients lowered from the stabilized DAG (<see cref="Pipeline.DerivedLoss.Code"/>) to the
/// operations a SIMD kernel executes, with common subexpressions shared (instructions are hash-consed, ids
/// ascend children first). Lowering writes sums with subtractions and products with one division, small
/// constant powers as multiplies and square roots, comparisons as masks, and shares e^−|x| between every
/// Softplus and Sigmoid of ±x; LogSumExp becomes a max, a shifted sum of exponentials and a log, Softmax
/// the exponential of its argument less that LogSumExp.
/// </summary>
internal sealed class BatchKernel
{
    private readonly ExprDag _dag;
    private readonly LossModel _model;
    private readonly List<KInstr> _instrs = new();
    private readonly List<KLevel> _levels = new();
    private readonly Dictionary<KInstr, int> _ids = new();
    private readonly Dictionary<int, int> _lowered = new();
    private readonly Dictionary<int, int> _logSumExp = new();
    private readonly Dictionary<int, (int Shifted, int Sum)> _logSumExpParts = new();

    public BatchKernel(ExprDag dag, LossModel model, IReadOnlyList<int> differentiated)
    {
        _dag = dag;
        _model = model;
        GradientParameters = differentiated;
        IsVectorLoss = model.Parameters.Any(p => p.IsVector);
        Loss = Lower(dag.Roots[0]);
        Gradients = dag.Roots.Skip(1).Select(Lower).ToList();
    }

    /// <summary>True when some parameter is a Vec: the kernel runs row by row over the classes.</summary>
    public bool IsVectorLoss { get; }

    /// <summary>The instruction computing the loss of one example (a row value for a vector loss).</summary>
    public int Loss { get; }

    /// <summary>The instruction of each gradient, parallel to <see cref="GradientParameters"/>.</summary>
    public IReadOnlyList<int> Gradients { get; }

    /// <summary>The indices of the differentiated parameters.</summary>
    public IReadOnlyList<int> GradientParameters { get; }

    /// <summary>True when gradient <paramref name="k"/> is of a Vec parameter (one value per class of a row).</summary>
    public bool IsVectorGradient(int k) => _model.Parameters[GradientParameters[k]].IsVector;

    public IReadOnlyList<KInstr> Instructions => _instrs;

    public KInstr this[int id] => _instrs[id];

    public KLevel LevelOf(int id) => _levels[id];

    public int Count => _instrs.Count;

    /// <summary>Parameter <paramref name="index"/> of the loss.</summary>
    public ParameterSpec Parameter(int index) => _model.Parameters[index];

    /// <summary>The level of a parameter's values.</summary>
    public KLevel ParameterLevel(int index)
    {
        var p = _model.Parameters[index];
        if (p.IsVector) return KLevel.Element;
        if (p.Role == ParameterRole.Constant) return KLevel.Uniform;
        return IsVectorLoss ? KLevel.Row : KLevel.Element;
    }

    // ---- interning ---------------------------------------------------------------------------

    private int Emit(KInstr instr)
    {
        if (instr.Op is KOp.Add or KOp.Mul or KOp.Max or KOp.Min && instr.A > instr.B)
        {
            instr = instr with { A = instr.B, B = instr.A };
        }
        if (_ids.TryGetValue(instr, out int id)) return id;
        id = _instrs.Count;
        _instrs.Add(instr);
        _levels.Add(Level(instr));
        _ids.Add(instr, id);
        return id;
    }

    private KLevel Level(KInstr instr) => instr.Op switch
    {
        KOp.Const or KOp.ClassCount => KLevel.Uniform,
        KOp.Param => ParameterLevel(instr.Index),
        KOp.ReduceSum or KOp.ReduceMax or KOp.ReduceMaxNative => KLevel.Row,
        _ => instr.Operands.Select(o => _levels[o]).DefaultIfEmpty(KLevel.Uniform).Max(),
    };

    private int Op(KOp op, int a = -1, int b = -1)
    {
        // x·1 is x (Σy of a [Target(SumsToOne = true)] y is 1).
        if (op == KOp.Mul && b >= 0 && IsConst(b, 1)) return a;
        if (op == KOp.Mul && b >= 0 && IsConst(a, 1)) return b;
        return Emit(new KInstr(op, KCmp.None, a, b, -1, -1, 0, -1));
    }

    private int Const(double value) => Emit(new KInstr(KOp.Const, KCmp.None, -1, -1, -1, -1, value == 0 ? 0.0 : value, -1));

    private bool IsConst(int id, double value) => _instrs[id].Op == KOp.Const && _instrs[id].Value == value;

    // ---- lowering ----------------------------------------------------------------------------

    private int Lower(int node)
    {
        if (_lowered.TryGetValue(node, out int done)) return done;
        int id = LowerNode(node);
        _lowered[node] = id;
        return id;
    }

    private int LowerNode(int node)
    {
        var n = _dag[node];
        switch (n.Op)
        {
            case IR.Op.Const:
                return Const(n.Value);
            case IR.Op.Param:
                return Emit(new KInstr(KOp.Param, KCmp.None, -1, -1, -1, -1, 0, n.Index));
            case IR.Op.ClassCount:
                return Op(KOp.ClassCount);
            case IR.Op.Add:
                // 1 - Sigmoid(x) is Sigmoid(-x): exact where the difference cancels (in float for x > 17 it is 0,
                // and gradients divide by it), and it shares e^-|x| with Sigmoid(x).
                if (IsOneMinusSigmoid(n, out int x)) return Op(KOp.SigmoidFromExp, Negated(x), ExpNegAbsOf(x));
                return LowerSum(n.Args.ToList());
            case IR.Op.Mul:
            {
                var (c, factors) = SplitCoefficient(node);
                return c < 0 ? Op(KOp.Neg, Product(-c, factors)) : Product(c, factors);
            }
            case IR.Op.Pow:
                return Product(1, new[] { node });
            case IR.Op.Log: return Op(KOp.Log, Lower(n[0]));
            // e^-|x| is the value Softplus and Sigmoid of ±x share; ln(1 + e^-|x|) is Softplus's tail, e^-|x| being in [0, 1].
            case IR.Op.Exp when IsNegatedAbs(n[0], out int magnitude): return ExpNegAbsOf(magnitude);
            case IR.Op.Exp: return Op(KOp.Exp, Lower(n[0]));
            case IR.Op.Log1P when IsSoftplusTail(node, out int tailOf): return Op(KOp.Log1PUnit, ExpNegAbsOf(tailOf));
            case IR.Op.Log1P: return Op(KOp.Log1P, Lower(n[0]));
            case IR.Op.ExpM1: return Op(KOp.ExpM1, Lower(n[0]));
            case IR.Op.Tanh: return Op(KOp.Tanh, Lower(n[0]));
            case IR.Op.Abs: return Op(KOp.Abs, Lower(n[0]));
            case IR.Op.Sign: return Op(KOp.Sign, Lower(n[0]));
            case IR.Op.Sigmoid:
                return Op(KOp.SigmoidFromExp, Lower(n[0]), ExpNegAbsOf(n[0]));
            case IR.Op.Softplus:
                return Op(KOp.Add, Op(KOp.MaxZero, Lower(n[0])), Op(KOp.Log1PUnit, ExpNegAbsOf(n[0])));
            case IR.Op.Max:
                return Op(KOp.Max, Lower(n[0]), Lower(n[1]));
            case IR.Op.Min:
                return Op(KOp.Min, Lower(n[0]), Lower(n[1]));
            case IR.Op.Less or IR.Op.LessEqual or IR.Op.Equal or IR.Op.NotEqual:
                return Emit(new KInstr(KOp.Compare, CmpOf(n.Op), Lower(n[0]), Lower(n[1]), -1, -1, 0, -1));
            case IR.Op.Select:
            {
                var c = _dag[n[0]];
                int t = Lower(n[1]), f = Lower(n[2]);
                return c.Op is IR.Op.Less or IR.Op.LessEqual or IR.Op.Equal or IR.Op.NotEqual
                    ? Emit(new KInstr(KOp.Select, CmpOf(c.Op), Lower(c[0]), Lower(c[1]), t, f, 0, -1))
                    : Emit(new KInstr(KOp.Select, KCmp.NonZero, Lower(n[0]), -1, t, f, 0, -1));
            }
            case IR.Op.Sum:
                return SumOfProduct(n[0]) ?? Op(KOp.ReduceSum, Lower(n[0]));
            case IR.Op.ReduceMax:
                return Op(KOp.ReduceMax, Lower(n[0]));
            case IR.Op.LogSumExp:
                return LogSumExp(Lower(n[0]));
            case IR.Op.Softmax:
            {
                // Softmax(v) = e^(v - m) / Σ e^(v - m): the exponentials of the LogSumExp's sum, times one reciprocal per row.
                int v = Lower(n[0]);
                LogSumExp(v);
                var (shifted, sum) = _logSumExpParts[v];
                return Op(KOp.Mul, shifted, Op(KOp.Div, Const(1), sum));
            }
            default:
                throw new NotSupportedException("batch kernels cannot compute " + n.Op);
        }
    }

    private static KCmp CmpOf(IR.Op op) => op switch
    {
        IR.Op.Less => KCmp.Less,
        IR.Op.LessEqual => KCmp.LessEqual,
        IR.Op.Equal => KCmp.Equal,
        _ => KCmp.NotEqual,
    };

    private bool IsOneMinusSigmoid(Node n, out int x)
    {
        x = -1;
        if (n.Arity != 2 || _dag[n[0]].Op != IR.Op.Const || _dag[n[0]].Value != 1) return false;
        var (c, factors) = SplitCoefficient(n[1]);
        if (c != -1 || factors.Count != 1 || _dag[factors[0]].Op != IR.Op.Sigmoid) return false;
        x = _dag[factors[0]][0];
        return true;
    }

    /// <summary>The node is −|x|.</summary>
    private bool IsNegatedAbs(int node, out int x)
    {
        x = -1;
        var (c, factors) = SplitCoefficient(node);
        if (c != -1 || factors.Count != 1 || _dag[factors[0]].Op != IR.Op.Abs) return false;
        x = _dag[factors[0]][0];
        return true;
    }

    /// <summary>The node is Log1P(Exp(−|x|)), Softplus(x) − Max(x, 0): NaN exactly where x is.</summary>
    private bool IsSoftplusTail(int node, out int x)
    {
        x = -1;
        var n = _dag[node];
        return n.Op == IR.Op.Log1P && _dag[n[0]].Op == IR.Op.Exp && IsNegatedAbs(_dag[n[0]][0], out x);
    }

    /// <summary>−x, without a double negation.</summary>
    private int Negated(int node)
    {
        var (c, factors) = SplitCoefficient(node);
        return c == -1 ? Product(1, factors) : c < 0 ? Product(-c, factors) : Op(KOp.Neg, Lower(node));
    }

    /// <summary>
    /// e^−|x| for x = ±b: the same instruction for a node and its negation (c·b with c &lt; 0 as −c·b, so the Sigmoid(2x)
    /// and Sigmoid(−2x) of Tanh's stabilized derivative share one exponential).
    /// </summary>
    private int ExpNegAbsOf(int node)
    {
        var (c, factors) = SplitCoefficient(node);
        int magnitude = c < 0 ? Product(-c, factors) : Lower(node);
        return Op(KOp.ExpNegAbs, magnitude);
    }

    /// <summary>
    /// Σ P·(v + s + ...) with s the same for every class (a row value) as Σ P·v + s·Σ P: s is then needed only after the
    /// pass that sums, not inside it. For softmax cross-entropy, −Σ y·(z − LogSumExp z) becomes LogSumExp z · Σ y − Σ y·z,
    /// so the row's logarithm is off the path of the pass over the classes (and the loss alone takes two passes, not three);
    /// Σ y of a [Target(SumsToOne = true)] y is 1.
    /// Null when the argument is not such a product.
    /// </summary>
    private int? SumOfProduct(int argument)
    {
        var a = _dag[argument];
        if (a.Op != IR.Op.Mul) return null;
        var (c, factors) = SplitCoefficient(argument);
        int k = -1;
        for (int i = 0; i < factors.Count && k < 0; i++)
        {
            var f = _dag[factors[i]];
            if (f.Op == IR.Op.Add && f.Shape == Shape.Vector && f.Args.Any(t => _dag[t].Shape == Shape.Scalar)) k = i;
        }
        if (k < 0) return null;
        var rest = factors.Where((_, i) => i != k).ToList();
        if (rest.Count == 0 || rest.All(f => _dag[f].Shape == Shape.Scalar)) return null;
        // A [Target(SumsToOne = true)] vector sums to 1 (API.md §2: the generated code may rely on it, as the
        // simplified gradient Softmax(z) - y already does).
        bool sumsToOne = rest.Count == 1 && _dag[rest[0]].Op == IR.Op.Param && _model.Parameters[_dag[rest[0]].Index].SumsToOne;
        int sumOfRest = sumsToOne ? Const(1) : Op(KOp.ReduceSum, Product(1, rest));
        int acc = -1;
        foreach (int t in _dag[factors[k]].Args)
        {
            int piece = _dag[t].Shape == Shape.Scalar
                ? Op(KOp.Mul, Lower(t), sumOfRest)
                : Op(KOp.ReduceSum, Product(1, rest.Concat(new[] { t }).ToList()));
            acc = acc < 0 ? piece : Op(KOp.Add, acc, piece);
        }
        return c == 1 ? acc : Op(KOp.Mul, Const(c), acc);
    }

    /// <summary>LogSumExp of a row: m = max v (shifted to 0 when not finite), m + log Σ e^(v − m).</summary>
    private int LogSumExp(int v)
    {
        if (_logSumExp.TryGetValue(v, out int done)) return done;
        int shift = Op(KOp.FiniteOrZero, Op(KOp.ReduceMaxNative, v));
        int shifted = Op(KOp.Exp, Op(KOp.Sub, v, shift));
        int sum = Op(KOp.ReduceSum, shifted);
        int result = Op(KOp.Add, shift, Op(KOp.Log, sum));
        _logSumExp[v] = result;
        _logSumExpParts[v] = (shifted, sum);
        return result;
    }

    private (double Coefficient, IReadOnlyList<int> Factors) SplitCoefficient(int node)
    {
        var n = _dag[node];
        if (n.Op == IR.Op.Const) return (n.Value, Array.Empty<int>());
        if (n.Op == IR.Op.Mul && _dag[n[0]].Op == IR.Op.Const) return (_dag[n[0]].Value, n.Args.Skip(1).ToList());
        if (n.Op == IR.Op.Mul) return (1, n.Args.ToList());
        return (1, new[] { node });
    }

    /// <summary>
    /// A sum, in the order <see cref="SumOrder"/> gives (the printed order), its negative terms subtracted. Max(x, 0) beside
    /// Log1P(Exp(-Abs(x))) (the stable softplus, written out) is the hardware max, as in Softplus: the hardware max drops a
    /// NaN, which the log term carries into the sum anyway.
    /// </summary>
    private int LowerSum(IReadOnlyList<int> terms)
    {
        var tails = new HashSet<int>();
        foreach (int t in terms)
        {
            foreach (int f in SplitCoefficient(t).Factors)
            {
                if (IsSoftplusTail(f, out int x)) tails.Add(x);
            }
        }
        var given = new Dictionary<int, int>();
        foreach (int t in terms)
        {
            foreach (int f in SplitCoefficient(t).Factors)
            {
                var n = _dag[f];
                if (n.Op != IR.Op.Max) continue;
                if (IsZero(n[1]) && tails.Contains(n[0])) given[f] = Op(KOp.MaxZero, Lower(n[0]));
                else if (IsZero(n[0]) && tails.Contains(n[1])) given[f] = Op(KOp.MaxZero, Lower(n[1]));
            }
        }

        int acc = -1;
        foreach (int t in SumOrder.Arrange(_dag, terms, t => SplitCoefficient(t).Coefficient < 0))
        {
            var (c, factors) = SplitCoefficient(t);
            int term = Product(Math.Abs(c), factors, given);
            if (acc < 0) acc = c < 0 ? Op(KOp.Neg, term) : term;
            else acc = Op(c < 0 ? KOp.Sub : KOp.Add, acc, term);
        }
        return acc < 0 ? Const(0) : acc;
    }

    private bool IsZero(int node) => _dag[node].Op == IR.Op.Const && _dag[node].Value == 0;

    /// <summary>
    /// c · Π factors with every factor of negative constant power moved under one division; <paramref name="given"/> holds
    /// factors already lowered in the context of this product.
    /// </summary>
    private int Product(double coefficient, IReadOnlyList<int> factors, IReadOnlyDictionary<int, int>? given = null)
    {
        var numerator = new List<int>();
        var denominator = new List<int>();
        foreach (int f in factors)
        {
            var n = _dag[f];
            if (n.Op == IR.Op.Pow && _dag[n[1]].Op == IR.Op.Const)
            {
                double k = _dag[n[1]].Value;
                (k < 0 ? denominator : numerator).Add(Power(Lower(n[0]), Math.Abs(k)));
            }
            else if (n.Op == IR.Op.Pow)
            {
                numerator.Add(Op(KOp.Pow, Lower(n[0]), Lower(n[1])));
            }
            else
            {
                numerator.Add(given is not null && given.TryGetValue(f, out int lowered) ? lowered : Lower(f));
            }
        }

        int num = -1;
        if (coefficient != 1 || numerator.Count == 0) num = Const(coefficient);
        foreach (int f in numerator) num = num < 0 ? f : Op(KOp.Mul, num, f);
        if (denominator.Count == 0) return num;
        int den = -1;
        foreach (int f in denominator) den = den < 0 ? f : Op(KOp.Mul, den, f);
        return Op(KOp.Div, num, den);
    }

    /// <summary>x^k for a constant k ≥ 0: multiplies for integers up to 16, a square root for halves, else Pow.</summary>
    private int Power(int x, double k)
    {
        if (k == 0) return Const(1);
        if (k == 1) return x;
        if (k == Math.Floor(k) && k <= 16) return IntegerPower(x, (int)k);
        if (k == 0.5) return Op(KOp.Sqrt, x);
        if (k * 2 == Math.Floor(k * 2) && k <= 16.5) return Op(KOp.Mul, IntegerPower(x, (int)Math.Floor(k)), Op(KOp.Sqrt, x));
        return Op(KOp.Pow, x, Const(k));
    }

    private int IntegerPower(int x, int k)
    {
        if (k == 1) return x;
        int half = IntegerPower(x, k / 2);
        int square = Op(KOp.Mul, half, half);
        return k % 2 == 0 ? square : Op(KOp.Mul, square, x);
    }
}
