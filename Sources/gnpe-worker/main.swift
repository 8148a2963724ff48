print("gnpe-worker: not built yet")
