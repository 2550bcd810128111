namespace AutoGrad;

/// <summary>How the generated batch kernels combine the losses of the examples in a batch.</summary>
public enum Reduction
{
    /// <summary>The mean of the per-example losses (the default); gradients carry the factor 1/N.</summary>
    Mean = 0,

    /// <summary>The sum of the per-example losses.</summary>
    Sum = 1,
}
