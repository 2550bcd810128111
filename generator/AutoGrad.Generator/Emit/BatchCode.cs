using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Emit;

/// <summary>The three forms of a kernel body: 256-bit lanes, 128-bit lanes, and one scalar at a time.</summary>
internal enum KMode
{
    V256,
    V128,
    Scalar,
}

/// <summary>
/// Prints the instructions of a <see cref="BatchKernel"/> as C# in one <see cref="KMode"/>, for a kernel generic over
/// its element type <c>T</c> (float or double). Every instruction is one local (<c>__t7</c>); parameters are locals
/// named as the parameter; constants are T locals named after their value (<c>__k0_5</c>); a uniform or row value used
/// by vector code is broadcast into <c>__v256_</c> or <c>__v128_</c> + its name (uniform values once per kernel, row values
/// once per pass over a row). The same text works in every mode because
/// <c>AutoGrad.Internal.KernelMath</c> overloads each function for <c>Vector256&lt;T&gt;</c>, <c>Vector128&lt;T&gt;</c> and T.
/// </summary>
internal sealed class BatchCode
{
    public const string KernelMath = "global::AutoGrad.Internal.KernelMath.";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe.";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal.";

    private readonly BatchKernel _kernel;
    private readonly LossModel _model;

    public BatchCode(BatchKernel kernel, LossModel model)
    {
        _kernel = kernel;
        _model = model;
        Fused = FindFused(kernel);
        // The kernels' type parameters must not hide a type parameter of an enclosing type, nor meet a parameter's name.
        var taken = new HashSet<string>(model.Parameters.Select(p => p.Name));
        foreach (var type in model.Types)
        {
            int open = type.Name.IndexOf('<');
            if (open < 0) continue;
            foreach (string name in type.Name.Substring(open + 1).TrimEnd('>').Split(',')) taken.Add(name.Trim());
        }
        T = new[] { "T", "TValue", "TNumber", "TElement", "__TValue" }.First(n => !taken.Contains(n));
        TMode = new[] { "TMode", "TBatchMode", "__TMode" }.First(n => !taken.Contains(n));
    }

    /// <summary>
    /// Products folded into the sum or difference that is their only use: a·b + c is one fused multiply-add (where
    /// the hardware fuses, as VectorMath does), and the product gets no local of its own.
    /// </summary>
    public HashSet<int> Fused { get; }

    private static HashSet<int> FindFused(BatchKernel kernel)
    {
        var uses = new int[kernel.Count];
        var reached = new bool[kernel.Count];
        var stack = new Stack<int>(new[] { kernel.Loss }.Concat(kernel.Gradients));
        foreach (int r in stack) uses[r]++;
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (reached[id]) continue;
            reached[id] = true;
            foreach (int o in kernel[id].Operands)
            {
                uses[o]++;
                stack.Push(o);
            }
        }
        var fused = new HashSet<int>();
        for (int id = 0; id < kernel.Count; id++)
        {
            var instr = kernel[id];
            if (!reached[id] || instr.Op is not (KOp.Add or KOp.Sub)) continue;
            foreach (int o in new[] { instr.A, instr.B })
            {
                if (kernel[o].Op == KOp.Mul && uses[o] == 1 && kernel.LevelOf(o) == kernel.LevelOf(id) && !fused.Contains(o))
                {
                    fused.Add(o);
                    break;
                }
            }
        }
        return fused;
    }

    /// <summary>The element type parameter of the kernels (float or double): T unless an enclosing type or a parameter has that name.</summary>
    public string T { get; }

    /// <summary>The mode type parameter of the kernels (which outputs a call wants): TMode, as <see cref="T"/>.</summary>
    public string TMode { get; }

    /// <summary>The constraints of the kernels' type parameters.</summary>
    public string[] Constraints => new[]
    {
        "where " + T + " : unmanaged, global::System.Numerics.IFloatingPointIeee754<" + T + ">",
        "where " + TMode + " : struct, global::AutoGrad.Internal.IBatchMode",
    };

    public static string VectorClass(KMode mode) =>
        mode == KMode.V256 ? "global::System.Runtime.Intrinsics.Vector256" : "global::System.Runtime.Intrinsics.Vector128";

    public string VectorType(KMode mode) => VectorClass(mode) + "<" + T + ">";

    /// <summary>Lanes per vector.</summary>
    public string Lanes(KMode mode) => VectorType(mode) + ".Count";

    /// <summary>The local of a constant: <c>__k</c> and its value (<c>__k1</c>, <c>__k0_5</c>, <c>__km2</c>, <c>__k1Em08</c>).</summary>
    public static string ConstantName(double value)
    {
        if (double.IsPositiveInfinity(value)) return "__kInf";
        if (double.IsNegativeInfinity(value)) return "__kmInf";
        if (double.IsNaN(value)) return "__kNaN";
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return "__k" + s.Replace("-", "m").Replace("+", "p").Replace(".", "_");
    }

    /// <summary>
    /// A constant in vector code, written inline so that the JIT makes it a constant operand (a broadcast held in a
    /// local would take a register or be reloaded and broadcast on every iteration).
    /// </summary>
    public string VectorConstant(double value, KMode mode) => value switch
    {
        0 => VectorType(mode) + ".Zero",
        1 => VectorType(mode) + ".One",
        _ => VectorClass(mode) + ".Create(" + KernelMath + "Constant<" + T + ">(" + DoubleLiteral(value) + "))",
    };

    /// <summary>The definition of a constant's local.</summary>
    public string ConstantDefinition(double value) =>
        T + " " + ConstantName(value) + " = " + KernelMath + "Constant<" + T + ">(" + DoubleLiteral(value) + ");";

    /// <summary>A double as C# source, invariant culture, round-trippable.</summary>
    public static string DoubleLiteral(double value) => Literal(value, isFloat: false);

    /// <summary>A number of type float or double as C# source, invariant culture, round-trippable (<c>0.5f</c>, <c>0.5</c>).</summary>
    public static string Literal(double value, bool isFloat)
    {
        if (isFloat)
        {
            float f = (float)value;
            if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
            if (float.IsNaN(f)) return "float.NaN";
            return f.ToString("R", CultureInfo.InvariantCulture) + "f";
        }
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        if (double.IsNaN(value)) return "double.NaN";
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) < 0 ? s + ".0" : s;
    }

    /// <summary>The name of a parameter's value (its identifier).</summary>
    public string ParameterName(int index) => _model.Parameters[index].Identifier;

    /// <summary>The local holding instruction <paramref name="id"/> (a literal for a constant).</summary>
    public string Name(int id)
    {
        var instr = _kernel[id];
        return instr.Op switch
        {
            KOp.Const => ConstantName(instr.Value),
            KOp.Param => ParameterName(instr.Index),
            _ => "__t" + id.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The local holding the broadcast of a uniform or row value in vector code.</summary>
    public string BroadcastName(int id, KMode mode) =>
        BroadcastPrefix(mode) + (_kernel[id].Op == KOp.Param ? "p_" + _model.Parameters[_kernel[id].Index].Name : Name(id).TrimStart('_'));

    /// <summary>The prefix of a broadcast local in a mode.</summary>
    public static string BroadcastPrefix(KMode mode) => mode == KMode.V256 ? "__v256_" : "__v128_";

    /// <summary>
    /// The local of an elementwise value in one of the two vectors a short row is held in (<paramref name="half"/> 0: the
    /// first, 1: the one ending at the row's end): <c>__t7_1</c>, <c>__in_z_1</c> for parameter z.
    /// </summary>
    public string HalfName(int id, int half) =>
        (_kernel[id].Op == KOp.Param ? "__in_" + _model.Parameters[_kernel[id].Index].Name : Name(id)) + "_" + half.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// How an operand reads in code of the given mode at the given level; with <paramref name="half"/> ≥ 0, an elementwise
    /// value is that half's local (<see cref="HalfName"/>).
    /// </summary>
    public string Operand(int id, KMode mode, KLevel context, int half = -1)
    {
        if (half >= 0 && context == KLevel.Element && _kernel.LevelOf(id) == KLevel.Element) return HalfName(id, half);
        if (mode == KMode.Scalar || context != KLevel.Element || _kernel.LevelOf(id) == KLevel.Element) return Name(id);
        if (_kernel[id].Op == KOp.Const) return VectorConstant(_kernel[id].Value, mode);
        return BroadcastName(id, mode);
    }

    /// <summary>The defining expression of an instruction (not a parameter or a reduction); <paramref name="half"/> as in <see cref="Operand"/>.</summary>
    public string Expression(int id, KMode mode, int half = -1)
    {
        var instr = _kernel[id];
        var context = _kernel.LevelOf(id);
        if (context != KLevel.Element) mode = KMode.Scalar;
        _fmaMode = mode;
        _fmaHalf = half;
        string A() => Operand(instr.A, mode, context, half);
        string B() => Operand(instr.B, mode, context, half);
        string C() => Operand(instr.C, mode, context, half);
        string D() => Operand(instr.D, mode, context, half);
        switch (instr.Op)
        {
            case KOp.Const: return ConstantName(instr.Value);
            case KOp.ClassCount: return KernelMath + "FromInt32<" + T + ">(__classes)";
            case KOp.Add when Fused.Contains(instr.A): return Fma("MultiplyAdd", instr.A, B());
            case KOp.Add when Fused.Contains(instr.B): return Fma("MultiplyAdd", instr.B, A());
            case KOp.Sub when Fused.Contains(instr.A): return Fma("MultiplySubtract", instr.A, B());
            case KOp.Sub when Fused.Contains(instr.B): return Fma("NegatedMultiplyAdd", instr.B, A());
            case KOp.Add: return A() + " + " + B();
            case KOp.Sub: return A() + " - " + B();
            case KOp.Mul: return A() + " * " + B();
            case KOp.Div: return A() + " / " + B();
            case KOp.Neg: return "-" + A();
            case KOp.Exp: return KernelMath + "Exp(" + A() + ")";
            case KOp.Log: return KernelMath + "Log(" + A() + ")";
            case KOp.Log1P: return KernelMath + "Log1P(" + A() + ")";
            case KOp.ExpM1: return KernelMath + "ExpM1(" + A() + ")";
            case KOp.Tanh: return KernelMath + "Tanh(" + A() + ")";
            case KOp.Sign: return KernelMath + "Sign(" + A() + ")";
            case KOp.Sqrt: return KernelMath + "Sqrt(" + A() + ")";
            case KOp.Abs: return KernelMath + "Abs(" + A() + ")";
            case KOp.Pow: return KernelMath + "Pow(" + A() + ", " + B() + ")";
            case KOp.Max: return KernelMath + "Max(" + A() + ", " + B() + ")";
            case KOp.Min: return KernelMath + "Min(" + A() + ", " + B() + ")";
            case KOp.MaxZero: return KernelMath + "MaxZero(" + A() + ")";
            case KOp.ExpNegAbs: return KernelMath + "ExpNegAbs(" + A() + ")";
            case KOp.Log1PUnit: return KernelMath + "Log1PUnit(" + A() + ")";
            case KOp.SigmoidFromExp: return KernelMath + "SigmoidFromExp(" + A() + ", " + B() + ")";
            case KOp.FiniteOrZero: return KernelMath + "FiniteOrZero(" + A() + ")";
            case KOp.Compare:
            {
                string mask = Mask(instr, A, B);
                return mode == KMode.Scalar ? KernelMath + "Value<" + T + ">(" + mask + ")" : KernelMath + "Value(" + mask + ")";
            }
            case KOp.Select:
                return KernelMath + "Select(" + Mask(instr, A, B) + ", " + C() + ", " + D() + ")";
            default:
                throw new InvalidOperationException("no expression for " + instr.Op);
        }
    }

    private string Fma(string function, int product, string other)
    {
        var p = _kernel[product];
        var mode = _fmaMode;
        var context = _kernel.LevelOf(product);
        return KernelMath + function + "(" + Operand(p.A, mode, context, _fmaHalf) + ", " + Operand(p.B, mode, context, _fmaHalf) + ", " + other + ")";
    }

    private KMode _fmaMode;
    private int _fmaHalf = -1;

    private static string Mask(KInstr instr, Func<string> a, Func<string> b) => instr.Cmp switch
    {
        KCmp.NonZero => KernelMath + "NonZero(" + a() + ")",
        _ => KernelMath + instr.Cmp + "(" + a() + ", " + b() + ")",
    };

    /// <summary>
    /// A value of a span at an element offset: a whole Vector256; in the Vector128 loop, which also takes the
    /// last partial vector, the lanes before <paramref name="end"/> (the rest padded with 0); one element for a row value.
    /// </summary>
    public string Load(string reference, string offset, string end, KMode mode) => mode switch
    {
        KMode.Scalar => Unsafe + "Add(ref " + reference + ", " + offset + ")",
        KMode.V128 => KernelMath + "LoadRest(ref " + reference + ", " + offset + ", " + end + ")",
        _ => VectorClass(mode) + ".LoadUnsafe(ref " + reference + ", (nuint)" + offset + ")",
    };

    /// <summary>A statement storing a value at an element offset (in the Vector128 loop, only the lanes before <paramref name="end"/>).</summary>
    public string Store(string value, string reference, string offset, string end, KMode mode) => mode switch
    {
        KMode.Scalar => Unsafe + "Add(ref " + reference + ", " + offset + ") = " + value + ";",
        KMode.V128 => KernelMath + "StoreRest(" + value + ", ref " + reference + ", " + offset + ", " + end + ");",
        _ => VectorClass(mode) + ".StoreUnsafe(" + value + ", ref " + reference + ", (nuint)" + offset + ");",
    };

    /// <summary>A value about to enter an accumulator: in the Vector128 loop, its lanes past <paramref name="end"/> set to <paramref name="padding"/>.</summary>
    public string Keep(string value, string offset, string end, string padding, KMode mode) =>
        mode == KMode.V128 ? KernelMath + "KeepRest(" + value + ", " + offset + ", " + end + ", " + padding + ")" : value;

    /// <summary>The instructions' operands that are uniform or row values, i.e. need a broadcast in vector code.</summary>
    public System.Collections.Generic.IEnumerable<int> Broadcasts(System.Collections.Generic.IEnumerable<int> elementInstructions) =>
        elementInstructions
            .SelectMany(id => _kernel[id].Operands)
            .Where(o => _kernel.LevelOf(o) != KLevel.Element && _kernel[o].Op != KOp.Const)
            .Distinct()
            .OrderBy(o => o);
}
