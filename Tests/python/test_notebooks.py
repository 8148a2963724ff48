"""Every notebook in `notebooks/` executes through nbclient with the real kernel (`swift-gnpe`)
without an error output, and shows at least one SVG plot that JupyterLab can draw inside an
`<img>`: well-formed XML with an `<svg>` root, no scripts, no external references.

The notebooks read GNPE_FULL_BUDGET; these tests leave it as it is (normally unset, which
selects the notebooks' small budget)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import NOTEBOOKS

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# Every notebook on the small budget, kernel start included (measured: the tour takes ~25 s).
NOTEBOOK_BUDGET_S = 240


def svg_outputs(notebook) -> list[str]:
    """The `image/svg+xml` data of every output of every code cell."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            svg = output.get("data", {}).get("image/svg+xml")
            if svg is not None:
                found.append(svg if isinstance(svg, str) else "".join(svg))
    return found


def expects_error(cell) -> bool:
    """Whether the cell is tagged `raises-exception` (nbclient's tag for a cell that shows an
    error on purpose, e.g. the tour's crash)."""
    return "raises-exception" in cell.get("metadata", {}).get("tags", [])


def error_outputs(notebook) -> list[str]:
    """A readable line for each `error` output of a cell not tagged `raises-exception`: the
    cell's first line, the error name and value."""
    errors = []
    for index, cell in enumerate(notebook.cells):
        if expects_error(cell):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = cell.source.splitlines()[0] if cell.source else ""
                errors.append(f"cell {index} ({first_line!r}): {output.get('ename')}: {output.get('evalue')}")
    return errors


def self_containment_problems(svg: str) -> list[str]:
    """What keeps `svg` from rendering inside an `<img>`: parse errors, a non-svg root, scripts,
    foreign objects, references to anything but in-document ids or data URLs."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    if root.tag not in (f"{SVG_NAMESPACE}svg", "svg"):
        problems.append(f"root element is {root.tag}, not svg")
    for element in root.iter():
        name = element.tag.split("}")[-1]
        if name in ("script", "foreignObject", "iframe"):
            problems.append(f"contains <{name}>")
        for attribute, value in element.attrib.items():
            if attribute.split("}")[-1] in ("href", "src") and not value.startswith(("#", "data:")):
                problems.append(f"external reference {attribute}={value!r}")
            if attribute.lower().startswith("on"):
                problems.append(f"event handler {attribute}")
        text = element.text or ""
        if name == "style" and re.search(r"@import|url\(\s*['\"]?(?!#|data:)", text):
            problems.append("stylesheet loads an external resource")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_without_errors_and_shows_svg(path, executed_notebook) -> None:
    run = executed_notebook(path)
    errors = error_outputs(run.notebook)
    assert not errors, "error outputs:\n" + "\n".join(errors)
    for index, cell in enumerate(run.notebook.cells):
        if expects_error(cell):
            kinds = [o.get("output_type") for o in cell.get("outputs", [])]
            assert "error" in kinds, f"cell {index} is tagged raises-exception but showed no error: {kinds}"

    svgs = svg_outputs(run.notebook)
    assert svgs, f"{path.name} produced no image/svg+xml output"
    for index, svg in enumerate(svgs):
        problems = self_containment_problems(svg)
        assert not problems, f"SVG output {index} of {path.name}: {problems}"
    print(f"{path.name}: {run.seconds:.1f} s, {len(svgs)} SVG outputs")
    assert run.seconds < NOTEBOOK_BUDGET_S, f"{path.name} took {run.seconds:.0f} s"


def test_there_is_a_tour() -> None:
    assert any(p.name == "00-tour.ipynb" for p in NOTEBOOKS), "notebooks/00-tour.ipynb is missing"


def test_svg_checks_reject_scripts_and_external_references() -> None:
    ok = '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="a"/></defs><use href="#a"/></svg>'
    assert self_containment_problems(ok) == []
    assert self_containment_problems('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    assert self_containment_problems(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="http://example.com/a.png"/></svg>')
    assert self_containment_problems('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(x.css);</style></svg>')
    assert self_containment_problems("<svg><g></svg>")
    assert self_containment_problems('<html xmlns="http://www.w3.org/1999/xhtml"/>')


def test_tour_outputs_show_state_streaming_updates_and_training(executed_notebook) -> None:
    """The tour's outputs as nbclient recorded them: state and redefinition, streamed prints, a
    display updated in place from a later cell, and the live training display in its final state."""
    from conftest import PACKAGE_ROOT

    run = executed_notebook(PACKAGE_ROOT / "notebooks" / "00-tour.ipynb")
    texts = []
    for cell in run.notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts.append(output["text"])
            else:
                texts.append(output.get("data", {}).get("text/plain", ""))
    joined = "\n".join(texts)
    assert "Hello, notebook 42" in joined  # a var mutated in a later cell
    assert "the answer is 42; answer is now 39.0" in joined  # function and value redefined
    assert "step 1 of 3\nstep 2 of 3\nstep 3 of 3" in joined.replace("\n\n", "\n")
    # update_display_data from a later cell replaced the "status" display in place.
    assert "[done]" in joined and "working: step" not in joined
    progress = [output["data"]["text/plain"] for cell in run.notebook.cells for output in cell.get("outputs", [])
                if output.get("output_type") == "display_data" and "image/svg+xml" in output.get("data", {})
                and "epoch" in output["data"].get("text/plain", "")]
    # One training run, and the same cell re-run after the crash (section 8), which restores the
    # estimator instead of training it again and shows the restored run.
    assert len(progress) == 2, f"two training displays expected, found {progress}"
    assert "done in" in progress[0], f"the training display did not reach its final state: {progress[0]}"
    epochs = [re.search(r"epoch (\d+)/", text).group(1) for text in progress]
    assert "restored, not retrained" in progress[1] and epochs[1] == epochs[0], progress
    assert "restored the NPE trained earlier in this session" in joined
    crash = [output for cell in run.notebook.cells for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert len(crash) == 1 and crash[0]["ename"] == "Crash", crash
    assert "Kept from this session" in "\n".join(crash[0]["traceback"])
