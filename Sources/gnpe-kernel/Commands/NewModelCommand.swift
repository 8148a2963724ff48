import ArgumentParser
import Foundation

/// `gnpe-kernel new-model NAME`: creates a SwiftPM package holding a model, its tests, and the
/// `simulate` and `train` executables that simulate it in shards and train on the shards.
struct NewModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-model",
        abstract: "Create a Swift package for a simulation model (library, tests, simulate and train executables).",
        discussion: """
            Writes <directory>/<NAME>/: Package.swift depending on the GNPE checkout this kernel \
            was built from, Sources/<NAME>/<NAME>.swift declaring the model (a damped oscillator \
            to edit), Tests/<NAME>Tests, and two executables: `simulate --count N --seed S \
            --shard i --shards k --out DIR` writes shard i of k of a simulation run (the shards \
            together equal one run of N with seed S, bit for bit), and `train --from DIR` \
            trains a small NPE on them. Build with `swift build -c release` in the package.
            """)

    @Argument(help: "The package and module name: letters, digits and _, starting with a letter.")
    var name: String

    @Option(help: "The folder to create the package in (default: the current folder).")
    var directory: String = "."

    @Option(
        help: ArgumentHelp(
            "The GNPE checkout to depend on (default: the one this kernel was built from; or set GNPE_PACKAGE_DIR).",
            valueName: "path"))
    var gnpePath: String?

    func validate() throws {
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
            name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else {
            throw ValidationError(
                "The model name '\(name)' must be ASCII letters, digits and _, starting with a letter (it becomes a Swift module name)."
            )
        }
    }

    func run() throws {
        let gnpe = try ModelPackageTemplate.gnpeCheckout(explicit: gnpePath)
        let destination = URL(fileURLWithPath: directory).standardizedFileURL.appendingPathComponent(name)
        let files = FileManager.default
        if files.fileExists(atPath: destination.path) {
            throw ValidationError("\(destination.path) exists already; choose another name or --directory.")
        }
        let template = ModelPackageTemplate(name: name, gnpePath: gnpe.path)
        for (path, contents) in template.files {
            let url = destination.appendingPathComponent(path)
            try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url, options: .atomic)
        }
        print(
            """
            Created the model package \(name) in \(destination.path) (depends on GNPE at \(gnpe.path)).
              cd \(destination.path) && swift build -c release && swift test
              .build/release/simulate --count 10000 --seed 1 --shard 0 --shards 4 --out sims
            """)
    }
}
