// The notebook-facing umbrella module: one `import GNPE` (implicit in notebook cells) brings
// the tensors, flows, inference, spectral tools and plots, plus the display functions.

@_exported import Flows
@_exported import GravitationalWaves
@_exported import Inference
@_exported import Plotting
@_exported import Spectral
@_exported import TensorCore

/// Called by the kernel's worker right after it loads `libGNPE.so`: installs the SIGINT handler
/// that long loops poll (see ``Interruption``).
@_cdecl("gnpe_worker_did_load")
public func _gnpeWorkerDidLoad() {
    Interruption.installSignalHandler()
}

/// Called by the kernel's worker before each cell: clears a stale interruption.
@_cdecl("gnpe_will_run_cell")
public func _gnpeWillRunCell() {
    Interruption.reset()
}
