#!/usr/bin/env python3
"""Writes the seed corpora of the wire, cell and .npy fuzz targets (Fuzz/Corpus/<target>/).

Real messages as jupyter_client signs them, real cells (with awkward Unicode) and .npy files as
NumPy writes them. The estimator-file seeds are a real saved NPE with a tiny flow, made with
EstimatorRobustnessTests.tinyNPE() (see Fuzz/README.md). Re-run after changing a target's input
layout.
"""
import io
import pathlib

import numpy as np
from jupyter_client.session import Session

root = pathlib.Path(__file__).resolve().parent
KEY = b"fuzz-key-0123456789abcdef"   # the key in Fuzz/WireDecoder


def write(target, name, data):
    d = root / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


# Wire decoder: mode byte, then frames separated by 0xFF.
session = Session(key=KEY, username="fuzz", session="5e55-10n")
requests = {
    "kernel-info": ("kernel_info_request", {}),
    "execute": ("execute_request", {"code": "let θ = [1.0, 2.0]\nprint(θ)", "silent": False,
                                    "store_history": True, "user_expressions": {}, "allow_stdin": True,
                                    "stop_on_error": True}),
    "is-complete": ("is_complete_request", {"code": "func f() {"}),
    "complete": ("complete_request", {"code": "let ω₀ = 1\nω", "cursor_pos": 11}),
    "inspect": ("inspect_request", {"code": "Uniform", "cursor_pos": 3, "detail_level": 0}),
    "comm-open": ("comm_open", {"comm_id": "c0", "target_name": "jupyter.widget", "data": {"x": [1, None, 2.5e300]}}),
    "interrupt": ("interrupt_request", {}),
    "shutdown": ("shutdown_request", {"restart": True}),
}
for name, (msg_type, content) in requests.items():
    message = session.msg(msg_type, content, metadata={"cellId": "ab-12"})
    if name == "execute":
        message["parent_header"] = session.msg_header("kernel_info_reply")
    frames = session.serialize(message, ident=[b"\x00k\x8b\x45\x67", b"client-2"])
    signed = b"\xff".join(frames)
    write("wire-decoder", f"{name}-signed", b"\x01" + signed)
    write("wire-decoder", f"{name}-resigned", b"\x02" + signed)
    unsigned = Session(key=b"", username="fuzz", session="5e55-10n").serialize(message, ident=[b"client"])
    write("wire-decoder", f"{name}-unsigned", b"\x00" + b"\xff".join(unsigned))
with_buffers = session.serialize(session.msg("comm_msg", {"data": {}}), ident=[])
write("wire-decoder", "buffers", b"\x02" + b"\xff".join(with_buffers + [b"\x00\x01\x02", b""]))
header = session.serialize(session.msg("execute_request", {"code": "1"}))[3]
write("wire-decoder", "header-json", b"\x03" + header)
write("wire-decoder", "header-unicode", b"\x03" + '{"msg_id":"\\ud83d\\ude00 ✓","msg_type":"x","date":1e999,"session":null}'.encode())

# Cell splitter and completeness: real cells, awkward Unicode, unfinished cells.
cells = {
    "readme-model": '''let times = (0..<200).map { -5 + 0.05 * Double($0) }
let model = try SimulationModel {
    Parameter("ω₀", Uniform(1, 5))
    Parameter("β", Uniform(0.05, 0.5))
    Simulator(outputLength: 200) { θ, rng in
        times.map { t in exp(-θ[1] * t) * sin(θ[0] * t) }
    }
    NoiseModel.gaussian(sigma: 0.1)
}
''',
    "declarations": '''import Foundation
struct Point { var x, y: Double }
enum Mode { case a, b }
func f(_ x: Int, label y: String = "") async throws -> Int { x }
infix operator <*> : AdditionPrecedence
func <*> (a: Int, b: Int) -> Int { a * b }
var counter = 0 { didSet { print(counter) } }
var computed: Int { counter + 1 }
let (p, q) = (1, 2), r = 3
let loaded = try NPE.load(from: url)
extension Point: CustomStringConvertible { var description: String { "(\\(x), \\(y))" } }
''',
    "statements": '''for i in 0..<3 { print(i) }
if #available(macOS 14, *) { print("new") }
#if DEBUG
let debug = true
#endif
let v = await f(1)
x
''',
    "strings": '''let a = "tab\\t \\u{1F600} \\(1 + ")")"
let b = #"raw \\(not) "quoted" \\#(1)"#
let c = """
    multi "line" \\(a)
    """
let d = ##"""
 "## "#" \\##(b)
"""##
let e = /[a-z]+\\d*/
''',
    "unicode": "let 𝛉 = 1 // ∑ comments\nlet café = \"e\\u{301}\" /* nested /* block */ comment */\nlet 👩‍👩‍👧 = \"family\"\nlet ﷽ = \"\u202eRTL override\u202c\"\nlet 零 = \"\u0000\ufeff\"\nprint(𝛉, café)\r\nlet crlf = 1\r\n",
    "incomplete": "func f() {\n    let s = \"\"\"\n    open\n",
    "invalid": "let x = (1]\nlet y = \"line\nbreak\"\n}}}",
    "interpolation-nesting": 'print("\\("\\("\\(1)")")")\n',
}
for name, text in cells.items():
    write("cell-splitter", name, text.encode("utf-8", "surrogatepass"))
write("cell-splitter", "invalid-utf8", b"let x = \"\xff\xfe\xc0\xaf\xed\xa0\x80\" // \xf0\x9f\x98\n")

# .npy reader: each element type, byte order, memory order, rank and header version.
def npy(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()

matrix = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
for dtype in ["<f4", "<f8", "<i4", "<i8", ">f8", ">i4", "|u1", "<f2", "|b1", "<c8"]:
    write("npy-reader", f"matrix-{dtype.replace('<', 'le-').replace('>', 'be-').replace('|', 'na-')}",
          npy(matrix.astype(dtype)))
write("npy-reader", "fortran-order", npy(np.asfortranarray(matrix)))
write("npy-reader", "vector", npy(np.array([1.5, -np.inf, np.nan, 0.0])))
write("npy-reader", "scalar", npy(np.array(3.25)))
write("npy-reader", "empty-rows", npy(np.zeros((0, 3))))
write("npy-reader", "rank-3", npy(np.ones((2, 1, 2), dtype="<f4")))
write("npy-reader", "version-2", npy(matrix, version=(2, 0)))
write("npy-reader", "version-3-unicode", npy(np.zeros(2, dtype=[("θ", "<f8")]), version=(3, 0)))
write("npy-reader", "structured", npy(np.zeros(2, dtype=[("a", "<f4"), ("b", "<i8")])))
