namespace AutoGrad;
internal static class Placeholder { }
