// AG0005 Warning (60,26)
// 'QuadraticGradientForCrossEntropy' differs from the derived gradient of 'BinaryCrossEntropy': at z = -0.412, y = 0.693 the hand-written ∂L/∂z is -0.0706031, the derived Sigmoid(z) - y is -0.294567 (they differ at 256 of 256 points checked)

// AG0005 Warning (65,26)
// 'AlmostRight' differs from the derived gradient of 'BinaryCrossEntropy': at z = -2.706, y = 0 the hand-written ∂L/∂z is 0.0627202, the derived Sigmoid(z) - y is 0.0626202 (they differ at 256 of 256 points checked)

// AG0005 Warning (69,23)
// 'PredictionMinusTarget' differs from the derived gradient of 'SoftmaxCrossEntropyAnyTarget': at z = [-0.412, 5.968], y = [0.437, 0.275] the hand-written ∂L/∂z is [-0.435308, 0.723308], the derived Softmax(z) * Sum(y) - y is [-0.435795, 0.435795] (they differ at 202 of 256 points checked)

// AG0005 Warning (73,40)
// 'NeuronWithoutSigmoidPrime' differs from the derived gradient of 'Neuron': at w = -0.412, b = 4.157, x = 1.366, y = 0.016 the hand-written ∂L/∂w is 1.30761, the derived x * Sigmoid(b + w * x) * (1 - Sigmoid(b + w * x)) * (Sigmoid(b + w * x) - y) is 0.0340395 (they differ at 256 of 256 points checked; ∂L/∂b differs too)

// AG0005 Warning (78,26)
// 'NeuronBiasTimesInput' differs from the derived gradient of 'NeuronCrossEntropy': at w = -0.412, b = 4.157, x = 1.366, y = 0.016 the hand-written ∂L/∂b is 1.30761, the derived Sigmoid(b + w * x) - y is 0.957253 (they differ at 256 of 256 points checked)

// AG0005 Warning (82,26)
// 'NamesNoLoss' is marked [GradientOf("Missing")], but there is no [Loss] method named 'Missing' in 'Suite.Losses'; mark the loss [Loss], or name a loss declared in another type with nameof(Type.Method)

// AG0005 Warning (85,26)
// 'DropsTheTarget' does not take the parameters of 'BinaryCrossEntropy': it takes (double z), the loss 'BinaryCrossEntropy' takes (double z, [Target] double y). A [GradientOf] method takes the loss's parameters, in the same order and with the same types

// AG0005 Warning (88,26)
// 'OneValueForTwoParameters' returns double, but 'Neuron' has 2 differentiated parameters (w, b); return the tuple (double w, double b), or compare one of them with [GradientOf(nameof(Neuron), "w")]

// AG0005 Warning (91,40)
// element 1 of the tuple 'SwappedTuple' returns is named 'b', but in that place the gradient of 'Neuron' is the one with respect to w; the elements follow the differentiated parameters in declaration order: return the tuple (double w, double b)

// AG0005 Warning (94,26)
// [GradientOf] on 'NamesTheTarget' names the parameter 'y', but it is a [Target] parameter of 'Neuron' and is not differentiated; name one of w, b

// AG0005 Warning (101,9)
// AutoGrad cannot compare 'Looping' with the derived gradient of 'BinaryCrossEntropy' at compile time: the body has a statement other than local declarations and one final return. A [GradientOf] body is read like a [Loss] body (an expression, or locals and one return, over the parameters with + - * /, ?: and the functions of AutoGrad.Fn and System.Math); write it that way, or check the method at run time with AutoGrad.GradCheck
