import TensorCore

/// A conditional masked autoencoder for distribution estimation (MADE; Germain et al., ICML 2015):
/// an MLP whose weight masks make output group `i` depend only on inputs `0..<i` (and on the
/// context, which enters the first layer unmasked).
///
/// Output layout: `[batch, features · parametersPerFeature]`, feature-major (columns
/// `i·P ..< (i+1)·P` parametrise feature `i`).
public struct MADE {
    /// First layer on the inputs, masked, `[features, hidden]`.
    public let inputLayer: Linear
    /// First layer on the context, unmasked and without bias, `[contextFeatures, hidden]`.
    public let contextLayer: Linear?
    /// Further hidden layers, masked, `[hidden, hidden]`.
    public let hiddenLayers: [Linear]
    /// The output layer, masked, `[hidden, features · parametersPerFeature]`.
    public let outputLayer: Linear
    /// The nonlinearity after each hidden layer.
    public let activation: Activation
    /// The number of autoregressive features.
    public let featureCount: Int
    /// Outputs per feature.
    public let parametersPerFeature: Int

    /// Creates a MADE with random weights.
    /// - Parameters:
    ///   - features: Autoregressive features `D`.
    ///   - contextFeatures: Context features (0 for none).
    ///   - hiddenFeatures: Width of each hidden layer.
    ///   - hiddenLayerCount: Number of hidden layers (at least 1).
    ///   - parametersPerFeature: Outputs per feature.
    ///   - activation: The nonlinearity.
    ///   - name: TrainableParameter name prefix.
    ///   - rng: The random source for the initial weights.
    public init(features: Int, contextFeatures: Int, hiddenFeatures: Int, hiddenLayerCount: Int,
                parametersPerFeature: Int, activation: Activation, name: String, using rng: inout RandomSource) {
        let d = features, h = hiddenFeatures, p = parametersPerFeature
        let inputDegrees = (0..<d).map { $0 + 1 }
        let hiddenDegrees = (0..<h).map { d > 1 ? ($0 % (d - 1)) + 1 : 0 }
        func mask(_ from: [Int], _ to: [Int], strict: Bool) -> Tensor {
            var m = Tensor(zeros: [from.count, to.count])
            for a in from.indices { for b in to.indices {
                if strict ? from[a] < to[b] : from[a] <= to[b] { m[a, b] = 1 }
            } }
            return m
        }
        inputLayer = Linear(inputCount: d, outputCount: h, mask: mask(inputDegrees, hiddenDegrees, strict: false),
                            name: name + ".layer0", using: &rng)
        contextLayer = contextFeatures > 0
            ? Linear(inputCount: contextFeatures, outputCount: h, hasBias: false, name: name + ".context", using: &rng)
            : nil
        var hs = [Linear]()
        for k in 1..<max(hiddenLayerCount, 1) {
            hs.append(Linear(inputCount: h, outputCount: h, mask: mask(hiddenDegrees, hiddenDegrees, strict: false),
                             name: name + ".layer\(k)", using: &rng))
        }
        hiddenLayers = hs
        let outputDegrees = (0..<d * p).map { $0 / p + 1 }
        outputLayer = Linear(inputCount: h, outputCount: d * p, mask: mask(hiddenDegrees, outputDegrees, strict: true),
                             name: name + ".output", using: &rng)
        self.activation = activation
        featureCount = d
        self.parametersPerFeature = p
    }

    /// All parameters: input layer, context layer, hidden layers, output layer.
    public var parameters: [TrainableParameter] {
        inputLayer.parameters + (contextLayer?.parameters ?? []) + hiddenLayers.flatMap(\.parameters)
            + outputLayer.parameters
    }

    /// Evaluates on the tape.
    /// - Parameters:
    ///   - x: `[batch, features]`.
    ///   - context: `[batch, contextFeatures]` or `nil`.
    ///   - tape: The tape.
    /// - Returns: `[batch, features · parametersPerFeature]`.
    public func callAsFunction(_ x: Variable, context: Variable?, on tape: Tape) -> Variable {
        var h = inputLayer(x, on: tape)
        if let contextLayer, let context { h = tape.add(h, contextLayer(context, on: tape)) }
        h = tape.activation(h, activation)
        for layer in hiddenLayers { h = tape.activation(layer(h, on: tape), activation) }
        return outputLayer(h, on: tape)
    }

    /// The first layer's context contribution plus its bias, `[rows, hidden]` (inference only).
    /// - Parameter context: `[rows, contextFeatures]` or `nil`.
    public func contextTerm(_ context: Tensor?) -> Tensor {
        var term = inputLayer.bias!.value.reshaped(to: [1, inputLayer.outputCount])
        if let contextLayer, let context {
            term = context.matmul(contextLayer.weight.value) + inputLayer.bias!.value
        }
        return term
    }

    /// Evaluates without recording gradients (sampling).
    /// - Parameters:
    ///   - x: `[batch, features]`.
    ///   - contextTerm: ``contextTerm(_:)``, `[1, hidden]` or `[batch, hidden]`.
    /// - Returns: `[batch, features · parametersPerFeature]`.
    public func evaluate(_ x: Tensor, contextTerm: Tensor) -> Tensor {
        var h = x.matmul(inputLayer.effectiveWeight) + contextTerm
        h.scalars.withUnsafeMutableBufferPointer { Tape.applyActivation(activation, $0) }
        for layer in hiddenLayers {
            h = h.matmul(layer.effectiveWeight) + layer.bias!.value
            h.scalars.withUnsafeMutableBufferPointer { Tape.applyActivation(activation, $0) }
        }
        return h.matmul(outputLayer.effectiveWeight) + outputLayer.bias!.value
    }
}
