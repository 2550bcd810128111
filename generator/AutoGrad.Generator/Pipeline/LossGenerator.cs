using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Pipeline;

/// <summary>The AutoGrad incremental generator: [Loss] methods in, gradients and kernels out.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class LossGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
