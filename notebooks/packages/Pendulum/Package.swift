// swift-tools-version: 6.0
// A simulator kept in its own Swift package, used by notebooks/03-your-own-simulator.ipynb.
//
// It depends on GNPE by path, named "GNPE" so that `.product(name: "GNPE", package: "GNPE")`
// works whatever the folder of your GNPE checkout is called. Built on its own (`swift build`,
// `swift test`) it builds GNPE from that checkout; installed in a notebook with `%install`, the
// kernel puts the GNPE library its worker has already loaded in its place (one copy of every
// type), so nothing of GNPE is compiled again.
import PackageDescription

let package = Package(
    name: "Pendulum",
    products: [.library(name: "Pendulum", targets: ["Pendulum"])],
    dependencies: [.package(name: "GNPE", path: "../../..")],
    targets: [.target(name: "Pendulum", dependencies: [.product(name: "GNPE", package: "GNPE")])],
    swiftLanguageModes: [.v5]
)
