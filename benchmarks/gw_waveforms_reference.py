"""LALSimulation's time per TaylorF2 and IMRPhenomD waveform (SimInspiralChooseFDWaveform, both polarisations)
on the grid and parameters benchmarks/GWWaveforms uses; median of repeats, one thread.
Usage: python gw_waveforms_reference.py fMin fMax deltaF repeats perRepeat; last line JSON."""
import json
import sys
import time

import lal
import lalsimulation as ls

f_min, f_max, delta_f = (float(x) for x in sys.argv[1:4])
repeats, per_repeat = int(sys.argv[4]), int(sys.argv[5])
params = [(30 + i % 7, 25 - i % 5) for i in range(per_repeat)]


def one(m1, m2, approximant):
    return ls.SimInspiralChooseFDWaveform(
        m1 * lal.MSUN_SI, m2 * lal.MSUN_SI, 0, 0, 0.3, 0, 0, -0.2, 500e6 * lal.PC_SI, 0.4, 1.1,
        0, 0, 0, delta_f, f_min, f_max, 0, lal.CreateDict(), approximant)


out = {"lalsimulation": ls.__version__}
for name, approximant in (("taylorf2", ls.TaylorF2), ("imrphenomd", ls.IMRPhenomD)):
    one(30, 25, approximant)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for m1, m2 in params:
            one(m1, m2, approximant)
        times.append((time.perf_counter() - start) / per_repeat)
    times.sort()
    out[f"lal_{name}_s"] = times[len(times) // 2]
    print(f"lalsimulation {name}: {out[f'lal_{name}_s'] * 1e6:.1f} µs per waveform (median of {repeats} × {per_repeat})")
print(json.dumps(out))
