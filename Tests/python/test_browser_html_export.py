"""End to end, as a reader of an exported notebook sees it: the tour executed through nbclient,
exported to HTML with nbconvert, opened in headless Chromium (Debian's, driven by Playwright).
Every plot must arrive as an `<img>` whose SVG data URL the browser decoded to a non-trivial
size, and a screenshot of it must show a drawing, not a blank box (issue 4)."""
from __future__ import annotations

import nbformat
from nbconvert import HTMLExporter

from conftest import PACKAGE_ROOT, image_ink

TOUR = PACKAGE_ROOT / "notebooks" / "00-tour.ipynb"


def test_exported_tour_shows_its_plots_in_chromium(executed_notebook, browser, tmp_path) -> None:
    run = executed_notebook(TOUR)
    html, _ = HTMLExporter().from_notebook_node(nbformat.from_dict(run.notebook))
    page_path = tmp_path / "00-tour.html"
    page_path.write_text(html, encoding="utf-8")

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(page_path.as_uri(), wait_until="load")
        selector = 'img[src^="data:image/svg+xml"]'
        page.wait_for_selector(selector, state="attached", timeout=30_000)
        images = page.eval_on_selector_all(
            selector,
            """images => images.map(image => ({
                complete: image.complete, width: image.naturalWidth, height: image.naturalHeight}))""",
        )
        svg_outputs = sum(
            1 for cell in run.notebook.cells for output in cell.get("outputs", [])
            if "image/svg+xml" in output.get("data", {}))
        assert len(images) == svg_outputs >= 1, f"{len(images)} SVG images in the page, {svg_outputs} in the notebook"
        for index, image in enumerate(images):
            assert image["complete"], f"image {index} did not finish loading"
            # Plots and the training-progress card (560 × 132) alike.
            assert image["width"] >= 200 and image["height"] >= 100, f"image {index} decoded to {image}"

        for index, element in enumerate(page.query_selector_all(selector)):
            element.scroll_into_view_if_needed()
            box = element.bounding_box()
            assert box and box["width"] >= 200 and box["height"] >= 100, f"image {index} laid out as {box}"
            colours, ink = image_ink(page, element.screenshot())
            # A plot has axes, labels, curves: many colours and a few percent of drawn pixels.
            assert colours >= 8 and 0.01 <= ink <= 0.9, (
                f"screenshot of image {index} looks blank or solid: {colours} colours, {ink:.1%} ink")
    finally:
        page.close()
