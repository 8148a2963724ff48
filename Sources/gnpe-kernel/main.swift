// The gnpe-kernel executable: `install` writes the kernelspec, `run` serves one kernel.
GNPEKernelCommand.main()
