import Foundation
import Inference

/// The study's command-line options.
///
/// Usage: `oscillator-study [--budgets 1000,10000,100000] [--observations 10] [--samples 10000]
/// [--methods npe_mlp,npe_cnn,gnpe_mlp] [--references DIR] [--max-epochs N] [--kernel-width 0.2]
/// [--gibbs-iterations 30] [--nsf] [--interpolation whole|linear|cubic] [--bounded] [--hidden 128]
/// [--transforms 5] [--schedule plateau|constant|cosine] [--save-samples DIR] [--seed 0]`
struct StudyOptions {
    /// Training-set sizes (numbers of simulations).
    var budgets: [Int] = [1_000, 10_000, 100_000]
    /// How many of the fixed observations to evaluate on (at most 10 are meant; more are allowed).
    var observations = 10
    /// Posterior samples per observation and reference samples per observation.
    var samples = 10_000
    /// The methods to run, by their JSON key.
    var methods: [StudyMethod] = StudyMethod.allCases
    /// Where reference samples are cached.
    var referenceDirectory = URL(fileURLWithPath: ".build/oscillator-references", isDirectory: true)
    /// An optional cap on training epochs (for a very quick smoke run).
    var maximumEpochs: Int?
    /// GNPE's blurring kernel: a uniform of this full width on t₀ (the model's default, 0.2).
    var kernelWidth = 0.2
    /// GNPE's Gibbs iterations (the estimator's default, 30).
    var gibbsIterations = 30
    /// Neural spline flows instead of the default masked autoregressive flows (all methods).
    var splineFlows = false
    /// How GNPE's time shifts handle fractions of a step (`--interpolation whole|linear|cubic`).
    var interpolation: TimeTranslation.Interpolation = .linear
    /// Whether the flows model the bounded parameters through a logit map (`--bounded`).
    var boundedParameters = false
    /// Where to write each method's samples as `.npy` (`--save-samples DIR`), for analysis.
    var sampleDirectory: URL?
    /// Seed of the networks' initial weights and of training (`--seed`, default 0), to measure
    /// how much a result moves with the training randomness alone.
    var trainingSeed: UInt64 = 0
    /// MADE width of every method's flow (`--hidden`, default 128; the library's own default is
    /// sbi's 50). The study's defaults (128 hidden units, plateau schedule) are the setting in
    /// which GNPE reaches c2st ≤ 0.60 at 10⁵; all three methods get the same flow.
    var hiddenFeatures: Int? = 128
    /// Flow steps (`--transforms`, default the library's 5).
    var transformCount: Int?
    /// Learning-rate schedule (`--schedule constant|plateau|cosine`, default plateau; the
    /// library's own default is sbi's constant rate).
    var schedule: TrainingSchedule = .reduceOnPlateau()

    /// A usage error with its message.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` naming the bad option.
    init(arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ option: String) throws -> String {
            guard let v = rest.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return v
        }
        func positive(_ text: String, _ option: String) throws -> Int {
            guard let n = Int(text.replacingOccurrences(of: "_", with: "")), n > 0 else {
                throw UsageError(description: "\(option) takes positive integers, got '\(text)'")
            }
            return n
        }
        while let option = rest.popFirst() {
            switch option {
            case "--budgets":
                budgets = try value(option).split(separator: ",").map { try positive(String($0), option) }
                guard !budgets.isEmpty else { throw UsageError(description: "--budgets needs at least one budget") }
            case "--observations":
                observations = try positive(value(option), option)
            case "--samples":
                samples = try positive(value(option), option)
            case "--methods":
                methods = try value(option).split(separator: ",").map { name in
                    guard let m = StudyMethod(rawValue: String(name)) else {
                        throw UsageError(description: "unknown method '\(name)'; known: \(StudyMethod.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return m
                }
            case "--references":
                referenceDirectory = URL(fileURLWithPath: try value(option), isDirectory: true)
            case "--max-epochs":
                maximumEpochs = try positive(value(option), option)
            case "--kernel-width":
                let text = try value(option)
                guard let w = Double(text), w > 0, w.isFinite else {
                    throw UsageError(description: "--kernel-width takes a positive number, got '\(text)'")
                }
                kernelWidth = w
            case "--gibbs-iterations":
                gibbsIterations = try positive(value(option), option)
            case "--nsf":
                splineFlows = true
            case "--bounded":
                boundedParameters = true
            case "--save-samples":
                sampleDirectory = URL(fileURLWithPath: try value(option), isDirectory: true)
            case "--seed":
                let text = try value(option)
                guard let seed = UInt64(text) else { throw UsageError(description: "--seed takes a non-negative integer, got '\(text)'") }
                trainingSeed = seed
            case "--hidden":
                hiddenFeatures = try positive(value(option), option)
            case "--transforms":
                transformCount = try positive(value(option), option)
            case "--schedule":
                let text = try value(option)
                switch text {
                case "constant": schedule = .constant
                case "plateau": schedule = .reduceOnPlateau()
                case "cosine": schedule = .cosine()
                default: throw UsageError(description: "--schedule takes constant, plateau or cosine, got '\(text)'")
                }
            case "--interpolation":
                let text = try value(option)
                switch text {
                case "whole": interpolation = .wholeSamples
                case "linear": interpolation = .linear
                case "cubic": interpolation = .cubic
                default: throw UsageError(description: "--interpolation takes whole, linear or cubic, got '\(text)'")
                }
            case "-h", "--help":
                print("usage: oscillator-study [--budgets 1000,10000,100000] [--observations 10] [--samples 10000] [--methods npe_mlp,npe_cnn,gnpe_mlp] [--references DIR] [--max-epochs N] [--kernel-width 0.2] [--gibbs-iterations 30] [--nsf] [--interpolation whole|linear|cubic] [--bounded] [--hidden 128] [--transforms 5] [--schedule plateau|constant|cosine] [--save-samples DIR] [--seed 0]")
                exit(0)
            default:
                throw UsageError(description: "unknown option '\(option)' (try --help)")
            }
        }
    }
}

/// The compared methods, named by their JSON keys.
enum StudyMethod: String, CaseIterable {
    /// NPE with an MLP embedding.
    case npeMLP = "npe_mlp"
    /// NPE with a 1-D convolutional embedding (the translation-equivariant baseline).
    case npeCNN = "npe_cnn"
    /// GNPE with the MLP embedding.
    case gnpeMLP = "gnpe_mlp"

    /// The name in the printed table.
    var title: String {
        switch self {
        case .npeMLP: return "NPE-MLP"
        case .npeCNN: return "NPE-CNN"
        case .gnpeMLP: return "GNPE-MLP"
        }
    }
}
