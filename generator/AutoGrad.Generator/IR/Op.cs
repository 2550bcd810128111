namespace AutoGrad.Generator.IR;

/// <summary>The operators of the IR. What each one means, prints as and differentiates to is in <see cref="OpTable"/>.</summary>
internal enum Op : byte
{
    // Leaves
    Const,
    Param,
    ClassCount,

    // Arithmetic (n-ary sum and product; a - b, -a and a / b are written with them and Pow)
    Add,
    Mul,
    Pow,

    // Elementwise functions
    Log,
    Exp,
    Sigmoid,
    Softplus,
    Tanh,
    Log1P,
    ExpM1,
    Abs,
    Sign,
    Max,
    Min,

    // Comparisons (1 where true, 0 where false) and selection
    Less,
    LessEqual,
    Equal,
    NotEqual,
    Select,

    // Vector to scalar
    Sum,
    ReduceMax,
    LogSumExp,

    // Vector to vector
    Softmax,
}

/// <summary>The shape of a node: one number, or a vector over the loss's class dimension.</summary>
internal enum Shape : byte
{
    Scalar,
    Vector,
}
