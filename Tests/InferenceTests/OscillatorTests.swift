import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct OscillatorTests {
    @Test func settingsAreThoseOfTheStudy() throws {
        let t = DampedOscillator.times
        #expect(t.count == 200 && t[0] == -5 && abs(t[199] - 4.95) < 1e-12)
        let model = try DampedOscillator.model()
        #expect(model.parameterNames == ["omega0", "beta", "t0"])
        #expect(model.prior.supports == [1 ... 5, 0.05 ... 0.5, -2 ... 2])
        #expect(model.noiseModels[0].gaussianSigma == 0.1)
        #expect(model.equivariances[0].poseIndices == [2])
    }

    @Test func signalFollowsTheFormula() {
        let (w0, b, t0) = (3.0, 0.2, 0.33)
        let s = DampedOscillator.signal(omega0: w0, beta: b, t0: t0)
        let wd = w0 * (1 - b * b).squareRoot()
        for (k, t) in DampedOscillator.times.enumerated() {
            let expected = t < t0 ? 0 : exp(-b * w0 * (t - t0)) * sin(wd * (t - t0))
            #expect(abs(s[k] - expected) < 1e-15)
        }
    }

    @Test func fastSignalAndLikelihoodAgreeWithTheDirectFormula() {
        var rng = RandomSource(seed: 8)
        let prior = DampedOscillator.prior
        for _ in 0 ..< 200 {
            let theta = prior.sample(using: &rng)
            let direct = DampedOscillator.signal(omega0: theta[0], beta: theta[1], t0: theta[2])
            var fast = [Double](repeating: .nan, count: 200)
            fast.withUnsafeMutableBufferPointer { DampedOscillator.fastSignal(omega0: theta[0], beta: theta[1], t0: theta[2], into: $0) }
            #expect(zip(direct, fast).allSatisfy { abs($0 - $1) < 1e-12 })
            let x = direct.map { $0 + 0.1 * rng.nextNormal() }
            let ss = zip(x, direct).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            let expected = -ss / 0.02 - 200 * log(0.1 * (2 * Double.pi).squareRoot())
            #expect(abs(DampedOscillator.logLikelihood(of: theta, observation: x) - expected) < 1e-8)
        }
        // Onset exactly on a grid point.
        let onGrid = DampedOscillator.signal(omega0: 2, beta: 0.1, t0: DampedOscillator.times[100])
        var fast = [Double](repeating: .nan, count: 200)
        fast.withUnsafeMutableBufferPointer { DampedOscillator.fastSignal(omega0: 2, beta: 0.1, t0: DampedOscillator.times[100], into: $0) }
        #expect(zip(onGrid, fast).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// Exactness of the equivariance: data simulated at θ and delayed by Δ equal data simulated
    /// at (ω₀, β, t₀ + Δ), noise-free, while the onset stays inside the window.
    @Test func timeTranslationIsExactForWholeStepsAndBoundedForFractions() throws {
        let model = try DampedOscillator.model()
        let eq = model.equivariances[0]
        var rng = RandomSource(seed: 21)
        let h = 0.05
        for _ in 0 ..< 50 {
            let theta = model.prior.sample(using: &rng)
            let x = try model.simulate(theta, using: &rng, includeNoise: false)
            for steps in [-20, -3, 1, 7, 40] {
                let delta = Double(steps) * h
                let shifted = eq.group.transformingData(x, by: [delta])
                let moved = eq.group.transformingParameters(theta, poseIndices: eq.poseIndices, by: [delta])
                #expect(moved[2] == theta[2] + delta && moved[0] == theta[0])
                let direct = try model.simulate(moved, using: &rng, includeNoise: false)
                // Advancing (Δ < 0) loses the last |steps| samples, which came from outside the window.
                let valid = steps < 0 ? 200 + steps : 200
                for k in 0 ..< valid { #expect(abs(shifted[k] - direct[k]) < 1e-12, "Δ = \(delta), k = \(k)") }
            }
            // Fractional shifts: linear interpolation errs by at most ω_d·h/4 near the onset's kink
            // (the slope jumps from 0 to ω_d) and h²·max|s''|/8 elsewhere.
            let delta = 0.37 * h + 0.4
            let shifted = eq.group.transformingData(x, by: [delta])
            let direct = try model.simulate([theta[0], theta[1], theta[2] + delta], using: &rng, includeNoise: false)
            let bound = theta[0] * h / 4 + h * h * theta[0] * theta[0] / 8 * 1.05
            #expect(zip(shifted, direct).allSatisfy { abs($0 - $1) <= bound })
        }
    }

    /// Standardisation: T(ĝ⁻¹)x for data with onset t₀ has its onset at t₀ − t̂₀ (the relative pose),
    /// exactly, with whole-sample proxies.
    @Test func standardisedDataHaveTheRelativeOnset() throws {
        let model = try DampedOscillator.model(kernel: .uniform(width: 0.2), interpolation: .wholeSamples)
        let eq = model.equivariances[0]
        var rng = RandomSource(seed: 3)
        for _ in 0 ..< 20 {
            let theta = model.prior.sample(using: &rng)  // any onset, on or off the grid
            let x = try model.simulate(theta, using: &rng, includeNoise: false)
            let proxy = eq.proxy(forPose: eq.pose(of: theta), using: &rng)
            // Whole-sample proxies: a multiple of the step, within the kernel's half-width plus half a step.
            #expect(abs(proxy[0] / 0.05 - (proxy[0] / 0.05).rounded()) < 1e-9)
            #expect(abs(proxy[0] - theta[2]) <= 0.1 + 0.025 + 1e-12)
            let standardised = eq.standardising(x, proxy: proxy)
            let relative = eq.relativeParameters(theta, proxy: proxy)
            #expect(abs(relative[2] - (theta[2] - proxy[0])) < 1e-12)
            let direct = try model.simulate(relative, using: &rng, includeNoise: false)
            let lost = Int((max(proxy[0], 0) / 0.05).rounded())
            for k in 0 ..< 200 - lost { #expect(abs(standardised[k] - direct[k]) < 1e-9) }
        }
    }

    @Test func noiseHasTheStatedLevel() throws {
        let model = try DampedOscillator.model()
        var rng = RandomSource(seed: 12)
        let theta = SampleMatrix(rows: 500, columns: 3, repeating: 0)
        var t = theta
        for i in 0 ..< 500 { try t.setRow(i, to: [2, 0.2, 0.5]) }
        let sims = try model.simulate(t, using: &rng)
        let s = DampedOscillator.signal(omega0: 2, beta: 0.2, t0: 0.5)
        var ss = 0.0
        for i in 0 ..< 500 { for k in 0 ..< 200 { ss += pow(sims.data[i, k] - s[k], 2) } }
        #expect(abs((ss / 100_000).squareRoot() - 0.1) < 0.002)
    }
}

@Suite struct EquivariantModelTests {
    @Test func fixedObservationsAreReproducibleAndNoisy() {
        let a = DampedOscillator.fixedObservations(), b = DampedOscillator.fixedObservations()
        #expect(a.parameters == b.parameters && a.observations == b.observations)
        #expect(a.parameters.rows == 10 && a.observations.columns == 200)
        let s = DampedOscillator.signal(omega0: a.parameters[0, 0], beta: a.parameters[0, 1], t0: a.parameters[0, 2])
        let rms = (zip(a.observations.row(0), s).reduce(0) { $0 + pow($1.0 - $1.1, 2) } / 200).squareRoot()
        #expect(abs(rms - 0.1) < 0.025)
    }

    /// The location model is exactly equivariant: data at θ translated by g equal data at g·θ.
    @Test func locationModelIsExactlyEquivariant() throws {
        let loc = GaussianLocationModel()
        let model = try loc.model()
        let e = model.equivariances[0]
        var rng = RandomSource(seed: 6)
        for _ in 0 ..< 50 {
            let theta = model.prior.sample(using: &rng)
            let g = [rng.nextNormal()]
            let x = try model.simulate(theta, using: &rng, includeNoise: false)
            let moved = e.group.transformingParameters(theta, poseIndices: e.poseIndices, by: g)
            let direct = try model.simulate(moved, using: &rng, includeNoise: false)
            #expect(zip(e.group.transformingData(x, by: g), direct).allSatisfy { abs($0 - $1) < 1e-12 })
            // The likelihood is invariant too.
            let y = try model.simulate(theta, using: &rng)
            let l1 = loc.logLikelihood(of: theta, observation: y)
            let l2 = loc.logLikelihood(of: moved, observation: e.group.transformingData(y, by: g))
            #expect(abs(l1 - l2) < 1e-9)
        }
    }

    @Test func nearestBoundaryRepeatsTheEdgeSamples() {
        let g = TimeTranslation(grid: [0, 1, 2, 3], boundary: .nearest)
        #expect(g.transformingData([1, 2, 3, 4], by: [2]) == [1, 1, 1, 2])
        #expect(g.transformingData([1, 2, 3, 4], by: [-1]) == [2, 3, 4, 4])
        #expect(TimeTranslation(grid: [0, 1, 2, 3]).transformingData([1, 2, 3, 4], by: [-1]) == [2, 3, 4, 0])
        // Half a step: the mean of neighbours (linear, the default); whole samples round the shift.
        #expect(TimeTranslation(grid: [0, 1, 2, 3]).transformingData([1, 2, 3, 4], by: [0.5]) == [0.5, 1.5, 2.5, 3.5])
        let whole = TimeTranslation(grid: [0, 1, 2, 3], interpolation: .wholeSamples)
        #expect(whole.transformingData([1, 2, 3, 4], by: [0.6]) == [0, 1, 2, 3])
        #expect(whole.transformingData([1, 2, 3, 4], by: [-0.4]) == [1, 2, 3, 4])
    }
}
