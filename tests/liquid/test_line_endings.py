"""Rendered output keeps the template's line endings, output limit or not."""

from __future__ import annotations

from pathlib import Path

from liqueue import App


def test_crlf_pages_render_crlf_even_through_capture(tmp_path: Path) -> None:
    pages = tmp_path / "app" / "views" / "pages"
    pages.mkdir(parents=True)
    (pages / "index.liquid").write_bytes(
        b"first\r\n{% capture x %}inner\r\nline{% endcapture %}{{ x }}\r\nlast\rend"
    )
    app = App(tmp_path, database_url=f"sqlite:///{tmp_path}/q.db")
    assert app.config.limits.output_bytes  # the limited buffer is the one in use
    assert app.render("index", enqueue=False).output == "first\r\ninner\r\nline\r\nlast\rend"
