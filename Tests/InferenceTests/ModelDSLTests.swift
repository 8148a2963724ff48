import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct ModelDSLTests {
    static let grid = (0 ..< 50).map { Double($0) * 0.1 }

    @Test func builderCollectsLoopsConditionalsAndOptionals() throws {
        let detectors = ["H1", "L1", "V1"]
        let withNoise = true
        let useNormal = false
        let model = try SimulationModel {
            for name in detectors { Parameter("t_\(name)", Uniform(-1, 1)) }
            if useNormal { Parameter("amp", Normal(1, 0.1)) } else { Parameter("amp", LogUniform(0.1, 10)) }
            if withNoise { NoiseModel.gaussian(sigma: 0.1) }
            Simulator(outputLength: 150) { θ, _ in (0 ..< 150).map { Double($0) * θ[3] } }
            Equivariance(pose: detectors.map { "t_\($0)" }, group: TimeTranslation(grid: Self.grid, channels: 3), kernel: .uniform(width: 0.1))
        }
        #expect(model.parameterNames == ["t_H1", "t_L1", "t_V1", "amp"])
        #expect(model.prior.distributions[3] is LogUniform)
        #expect(model.noiseModels.map(\.name) == ["gaussian"])
        #expect(model.equivariances.count == 1)
        #expect(model.equivariances[0].poseIndices == [0, 1, 2])
        #expect(model.equivariances[0].isExact)
    }

    /// A user component bundling declarations.
    struct Detector: ModelComponent {
        var name: String
        var declarations: [ModelDeclaration] { [.parameter(Parameter("t_\(name)", Uniform(-0.1, 0.1)))] }
    }

    @Test func userComponentsContributeDeclarations() throws {
        let model = try SimulationModel {
            Detector(name: "A")
            Detector(name: "B")
            Simulator(outputLength: 2) { θ, _ in θ }
        }
        #expect(model.parameterNames == ["t_A", "t_B"])
    }

    static func build(_ body: () throws -> SimulationModel) -> ModelError? {
        do { _ = try body(); return nil } catch let e as ModelError { return e } catch { return nil }
    }

    @Test func invalidDeclarationsThrowNamedErrors() {
        let sim = Simulator(outputLength: 50) { θ, _ in Array(repeating: θ[0], count: 50) }
        var e = Self.build { try SimulationModel { Parameter("omega0", Uniform(5, 1)); sim } }
        #expect(e?.description.contains("'omega0'") == true && e?.description.contains("low < high") == true)

        e = Self.build { try SimulationModel { Parameter("a", Uniform(0, 1)); Parameter("a", Normal(0, 1)); sim } }
        #expect(e == .duplicateParameter("a"))

        e = Self.build { try SimulationModel { Parameter("a", Uniform(0, 1)) } }
        #expect(e == .simulatorCount(0))

        e = Self.build { try SimulationModel { Parameter("a", Uniform(0, 1)); sim; sim } }
        #expect(e == .simulatorCount(2))

        e = Self.build { try SimulationModel { Parameter("a", Uniform(0, 1)); Simulator(outputLength: 0) { _, _ in [] } } }
        #expect(e == .invalidOutputLength(0))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                Equivariance(pose: ["t0"], group: TimeTranslation(grid: Self.grid), kernel: .uniform(width: 0.2))
            }
        }
        #expect(e == .unknownPoseParameter("t0", known: ["a"]))
        #expect(e?.description.contains("'t0'") == true)

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); Parameter("b", Uniform(0, 1)); sim
                Equivariance(pose: ["a", "b"], group: TimeTranslation(grid: Self.grid), kernel: .uniform(width: 0.2))
            }
        }
        #expect(e == .poseDimensionMismatch(pose: ["a", "b"], groupDimension: 1))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                Equivariance(pose: ["a"], group: TimeTranslation(grid: Self.grid), kernel: .uniform(width: -1))
            }
        }
        #expect(e == .invalidKernel("uniform width must be finite and positive, got -1.0"))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                Equivariance(pose: ["a"], group: ValueTranslation(), kernel: .gaussian(sigma: 0))
            }
        }
        #expect(e == .invalidKernel("gaussian σ must be finite and positive, got 0.0"))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                Equivariance(pose: ["a"], group: TimeTranslation(grid: Array(Self.grid.prefix(40))), kernel: .uniform(width: 0.2))
            }
        }
        guard case .invalidGroup(let reason)? = e else { Issue.record("expected invalidGroup, got \(String(describing: e))"); return }
        #expect(reason.contains("40"))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                Equivariance(pose: ["a"], group: TimeTranslation(grid: [0, 0.1, 0.3] + (3 ..< 50).map { Double($0) }), kernel: .uniform(width: 0.2))
            }
        }
        guard case .invalidGroup(let r2)? = e else { Issue.record("expected invalidGroup"); return }
        #expect(r2.contains("not uniform"))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                Equivariance(pose: ["a"], group: ValueTranslation(), kernel: .gaussian(sigma: 1))
                Equivariance(pose: ["a"], group: ValueTranslation(), kernel: .gaussian(sigma: 1))
            }
        }
        #expect(e == .poseParameterReused("a"))

        e = Self.build {
            try SimulationModel {
                Parameter("a", Uniform(0, 1)); sim
                NoiseModel.gaussian("n", sigma: 1); NoiseModel.gaussian("n", sigma: 2)
            }
        }
        #expect(e == .invalidNoiseModel(name: "n", reason: "declared twice"))

        e = Self.build { try SimulationModel { Parameter("a", Uniform(0, 1)); sim; NoiseModel.gaussian(sigma: -1) } }
        #expect(e == .invalidNoiseModel(name: "gaussian", reason: "σ must be finite and positive, got -1.0"))
    }

    @Test func approximateEquivarianceIsRecorded() throws {
        let model = try SimulationModel {
            Parameter("phi", Uniform(-.pi, .pi))
            Simulator(outputLength: 4) { θ, _ in [cos(θ[0]), sin(θ[0]), 0, 1] }
            Equivariance(pose: ["phi"], group: PlaneRotation(), kernel: .gaussian(sigma: 0.1), exact: false)
        }
        #expect(!model.equivariances[0].isExact)
    }
}
