"""`job` and `context` are the job's own variables: no argument may hide them."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue import App, TemplateError


@pytest.mark.parametrize("name", ["job", "context"])
def test_an_argument_named_like_a_builtin_is_refused_where_it_is_written(
    tmp_path: Path, name: str
) -> None:
    pages = tmp_path / "app" / "views" / "pages"
    pages.mkdir(parents=True)
    (pages / "index.liquid").write_text(
        f"hello\n{{% background source_name: 'x', {name}: 1 %}}{{{{ job.id }}}}{{% endbackground %}}\n"
    )
    app = App(tmp_path, database_url=f"sqlite:///{tmp_path}/q.db")
    with pytest.raises(TemplateError, match=f"'{name}' cannot be a job argument") as info:
        app.render("index")
    assert str(info.value.location) == "app/views/pages/index.liquid:2:33"
    problems = [p for p in app.check() if p.severity == "error"]
    assert [str(p.location) for p in problems] == ["app/views/pages/index.liquid:2:33"]
