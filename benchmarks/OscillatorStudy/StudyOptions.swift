import Foundation

/// The study's command-line options.
///
/// Usage: `oscillator-study [--budgets 1000,10000,100000] [--observations 10] [--samples 10000]
/// [--methods npe_mlp,npe_cnn,gnpe_mlp] [--references DIR] [--max-epochs N] [--kernel-width 0.2]
/// [--gibbs-iterations 30] [--nsf]`
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
            case "-h", "--help":
                print("usage: oscillator-study [--budgets 1000,10000,100000] [--observations 10] [--samples 10000] [--methods npe_mlp,npe_cnn,gnpe_mlp] [--references DIR] [--max-epochs N] [--kernel-width 0.2] [--gibbs-iterations 30] [--nsf]")
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
