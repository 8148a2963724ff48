import Testing
@testable import Plotting

/// The description of the ``PlottingError`` that `build` throws, or "" if it throws nothing
/// (recording an issue if it throws another error type): the bad-input tests check that the
/// message names the problem.
func plottingErrorMessage<T>(_ build: () throws -> T) -> String {
    do {
        _ = try build()
        return ""
    } catch {
        #expect(error is PlottingError)
        return "\(error)"
    }
}
