import Testing
import KernelRuntime
