"""Page params are variables, but cannot replace `context` or `params`."""

from __future__ import annotations

from pathlib import Path

from liqueue import App


def test_a_param_named_context_stays_a_param(tmp_path: Path) -> None:
    pages = tmp_path / "app" / "views" / "pages"
    pages.mkdir(parents=True)
    (tmp_path / "liqueue.yml").write_text("constants: {API: real}\n")
    (pages / "index.liquid").write_text(
        "{{ context.constants.API }}|{{ params.context }}|{{ user_id }}|{{ params.user_id }}"
    )
    app = App(tmp_path, database_url=f"sqlite:///{tmp_path}/q.db")
    output = app.render("index", {"context": "forged", "user_id": 5}, enqueue=False).output
    assert output == "real|forged|5|5"
