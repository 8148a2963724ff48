print("gnpe-kernel: not built yet")
