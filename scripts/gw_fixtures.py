"""Writes the LAL reference fixtures of the GravitationalWaves tests (run by scripts/gw-fixtures).

Every value here comes from LAL's own functions (PyPI `lalsuite`); the Swift code computes its
own and the tests compare. Files (all small):

  gmst.json         GPS times (seconds, nanoseconds) -> XLALGreenwichMeanSiderealTime (radians,
                    not reduced modulo 2 pi, as LAL returns it)
  detectors.json    H1, L1, V1: LAL's cached location (m) and response tensor (stored by LAL in
                    single precision), and the geodetic vertex/arm numbers LAL keeps with them
  antenna.json      random (ra, dec, psi, gmst) -> XLALComputeDetAMResponse (F+, Fx) per detector;
                    random (ra, dec, gps) -> XLALTimeDelayFromEarthCenter per detector
  psd.json          frequencies -> SimNoisePSDaLIGOZeroDetHighPower, SimNoisePSDAdvVirgo
  <approx>.json     waveform parameter points (SI-free: solar masses, Mpc) and grids, with LAL's
                    optimal SNR in the aLIGO design PSD on the full grid
  <approx>.npy      float64 [rows, 6]: point index, bin index k (f = k * deltaF), Re/Im h+,
                    Re/Im hx at a subsample of the grid (denser at low frequency), for every point
"""
import json
import math
import os
import sys

import lal
import lalsimulation as ls
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/GravitationalWavesTests/Fixtures"
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261127)


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


# --- sidereal time -------------------------------------------------------------------------
times = [(-43200, 0), (0, 0), (1, 500000000), (46828799, 0), (46828800, 0), (46828801, 0),
         (630720013, 0), (1126259462, 400000000), (1167264016, 0), (1167264017, 0),
         (1167264018, 0), (1187008882, 430000000), (1238166018, 0), (1400000000, 999999999),
         (2000000000, 123456789), (2147483000, 0), (315187204, 250000000), (599184012, 1)]
for _ in range(6):
    times.append((int(rng.integers(0, 2_100_000_000)), int(rng.integers(0, 1_000_000_000))))
dump("gmst.json", {
    "lalsuite": lal.__version__,
    "times": [{"gpsSeconds": s, "gpsNanoseconds": n,
               "gmst": lal.GreenwichMeanSiderealTime(lal.LIGOTimeGPS(s, n))} for s, n in times],
})

# --- detectors -----------------------------------------------------------------------------
DETECTORS = {"H1": lal.LHO_4K_DETECTOR, "L1": lal.LLO_4K_DETECTOR, "V1": lal.VIRGO_DETECTOR}
detectors = {}
for name, index in DETECTORS.items():
    d = lal.CachedDetectors[index]
    fr = d.frDetector
    detectors[name] = {
        "location": [float(x) for x in d.location],
        "response": [[float(x) for x in row] for row in d.response],
        "vertexLatitudeRadians": fr.vertexLatitudeRadians,
        "vertexLongitudeRadians": fr.vertexLongitudeRadians,
        "vertexElevation": fr.vertexElevation,
        "xArmAzimuthRadians": fr.xArmAzimuthRadians,
        "yArmAzimuthRadians": fr.yArmAzimuthRadians,
        "xArmAltitudeRadians": fr.xArmAltitudeRadians,
        "yArmAltitudeRadians": fr.yArmAltitudeRadians,
    }
dump("detectors.json", {"lalsuite": lal.__version__, "detectors": detectors})

# --- antenna patterns and time delays ------------------------------------------------------
responses, delays = [], []
for _ in range(50):
    ra = rng.uniform(0, 2 * math.pi)
    dec = math.asin(rng.uniform(-1, 1))
    psi = rng.uniform(0, math.pi)
    gmst = rng.uniform(0, 2 * math.pi)
    row = {"ra": ra, "dec": dec, "psi": psi, "gmst": gmst}
    for name, index in DETECTORS.items():
        fp, fc = lal.ComputeDetAMResponse(lal.CachedDetectors[index].response, ra, dec, psi, gmst)
        row[name] = [fp, fc]
    responses.append(row)
for _ in range(50):
    ra = rng.uniform(0, 2 * math.pi)
    dec = math.asin(rng.uniform(-1, 1))
    s, n = int(rng.integers(600_000_000, 1_500_000_000)), int(rng.integers(0, 1_000_000_000))
    row = {"ra": ra, "dec": dec, "gpsSeconds": s, "gpsNanoseconds": n}
    for name, index in DETECTORS.items():
        row[name] = lal.TimeDelayFromEarthCenter(lal.CachedDetectors[index].location, ra, dec,
                                                 lal.LIGOTimeGPS(s, n))
    delays.append(row)
dump("antenna.json", {"lalsuite": lal.__version__, "responses": responses, "delays": delays})

# --- design PSDs -----------------------------------------------------------------------------
freqs = list(np.geomspace(5.0, 8192.0, 120)) + [10.0, 20.0, 100.0, 1000.0]
dump("psd.json", {
    "lalsuite": lal.__version__,
    "frequencies": freqs,
    "aLIGOZeroDetHighPower": [ls.SimNoisePSDaLIGOZeroDetHighPower(f) for f in freqs],
    "AdvVirgo": [ls.SimNoisePSDAdvVirgo(f) for f in freqs],
})


# --- waveforms -----------------------------------------------------------------------------
def mass_point(i, count):
    """Total mass 5-80 Msun (log-uniform) and mass ratio 1-8, with the corners included."""
    corners = [(5.0, 1.0), (5.0, 8.0), (80.0, 1.0), (80.0, 8.0)]
    if i < len(corners):
        return corners[i]
    return float(np.exp(rng.uniform(math.log(5), math.log(80)))), float(rng.uniform(1, 8))


GRIDS = [(20.0, 0.125, 1024.0), (20.0, 0.25, 2048.0), (30.0, 0.5, 512.0), (20.0, 0.5, 1024.0),
         (30.0, 0.25, 1024.0), (20.0, 0.125, 512.0)]
SUBSAMPLE = 150


def psd_series(f_min, delta_f, n):
    psd = lal.CreateREAL8FrequencySeries("psd", lal.LIGOTimeGPS(0), 0.0, delta_f,
                                         lal.Unit("s strain^2"), n)
    ls.SimNoisePSD(psd, f_min, ls.SimNoisePSDaLIGOZeroDetHighPowerPtr)
    # SimNoisePSD zeroes the last bin, taking it for a Nyquist bin; here it is f_max, which the
    # waveform covers, so give it its value (the SNR then sums over the whole band).
    psd.data.data[n - 1] = ls.SimNoisePSDaLIGOZeroDetHighPower((n - 1) * delta_f)
    return psd


def waveforms(approximant, name, count, corners=None):
    """`count` random points, or the given (total mass, q, chi1, chi2) corners."""
    points, rows = [], []
    for i in range(count if corners is None else len(corners)):
        if corners is None:
            total, q = mass_point(i, count)
            chi1, chi2 = (float(x) for x in rng.uniform(-0.9, 0.9, 2))
            if i % 10 == 4:
                chi1, chi2 = 0.0, 0.0
        else:
            total, q, chi1, chi2 = corners[i]
        m1, m2 = total * q / (1 + q), total / (1 + q)
        distance = float(rng.uniform(100, 3000))
        inclination = float(rng.uniform(0, math.pi))
        phi_ref = float(rng.uniform(0, 2 * math.pi))
        f_min, delta_f, f_max = GRIDS[i % len(GRIDS)]
        f_ref = [0.0, f_min, 50.0][i % 3]
        hp, hc = ls.SimInspiralChooseFDWaveform(
            m1 * lal.MSUN_SI, m2 * lal.MSUN_SI, 0, 0, chi1, 0, 0, chi2,
            distance * 1e6 * lal.PC_SI, inclination, phi_ref, 0.0, 0.0, 0.0,
            delta_f, f_min, f_max, f_ref, lal.CreateDict(), approximant)
        plus, cross = hp.data.data, hc.data.data
        n = len(plus)
        first = int(math.ceil(f_min / delta_f))
        psd = psd_series(f_min, delta_f, n)
        snr = ls.MeasureSNRFD(hp, psd, f_min, -1.0)
        # Subsample: dense in log frequency, always with the first and the last bin.
        u = np.linspace(0, 1, SUBSAMPLE)
        ks = np.unique(np.round(np.exp(np.log(first) + u * (np.log(n - 1) - np.log(first)))).astype(int))
        extra = np.unique(rng.integers(first, n, SUBSAMPLE - len(ks) + 20))
        ks = np.unique(np.concatenate([ks, extra]))[:SUBSAMPLE]
        ks = np.unique(np.concatenate([ks, [first, n - 1]]))
        for k in ks:
            rows.append([i, k, plus[k].real, plus[k].imag, cross[k].real, cross[k].imag])
        peak = float(np.max(np.abs(plus[first:])))
        points.append({
            "mass1": m1, "mass2": m2, "chi1": chi1, "chi2": chi2, "distanceMpc": distance,
            "inclination": inclination, "phiRef": phi_ref, "fMin": f_min, "fMax": f_max,
            "deltaF": delta_f, "fRef": f_ref, "binCount": n, "firstBin": first,
            "peakPlusAmplitude": peak, "snrALIGOZeroDetHighPower": snr,
        })
    dump(name + ".json", {
        "lalsuite": lal.__version__, "lalsimulation": ls.__version__,
        "approximant": name,
        "columns": ["point", "bin", "plusReal", "plusImaginary", "crossReal", "crossImaginary"],
        "points": points,
    })
    np.save(os.path.join(OUT, name + ".npy"), np.array(rows, dtype=np.float64))


waveforms(ls.TaylorF2, "TaylorF2", 60)
waveforms(ls.IMRPhenomD, "IMRPhenomD", 60)
# The corners of the spin and mass-ratio ranges (final spins from -0.36 to 0.93), masses 5-80.
CORNERS = [(total, q, chi1, chi2) for total in (5.0, 80.0) for q in (1.0, 4.0, 8.0)
           for chi1, chi2 in ((-0.9, -0.9), (0.9, 0.9), (-0.9, 0.9))]
waveforms(ls.IMRPhenomD, "IMRPhenomD-corners", 0, CORNERS)
print("fixtures written to", OUT)
