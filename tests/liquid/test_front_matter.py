"""Front matter of template files: byte order marks, line separators, line numbers kept."""

from __future__ import annotations

from liqueue.errors import TemplateError

from .liquid_apps import AppDir, job_from


def test_front_matter_after_a_utf8_byte_order_mark(app: AppDir) -> None:
    # Editors on Windows save UTF-8 with a BOM (often with CRLF line ends):
    # the front matter must still be front matter, and lines stay the file's.
    path = app.root / "app/views/pages/index.liquid"
    path.write_bytes(
        "\ufeff---\r\npriority: high\r\n---\r\nhello\r\n"
        "{% background source_name: 'bom_job' %}{{ 1 | divided_by: 0 }}{% endbackground %}".encode()
    )
    runtime = app.runtime()
    assert runtime.front_matter("app/views/pages/index.liquid") == {"priority": "high"}
    result = runtime.render("index")
    assert result.output == "\r\n\r\n\r\nhello\r\n"  # the file's own line ends
    [spec] = result.outbox.jobs
    try:
        runtime.run_job(job_from(spec))
    except TemplateError as err:
        assert err.location is not None
        assert (err.location.line, err.location.column) == (5, 47)
    else:
        raise AssertionError("the job should fail")


def test_front_matter_with_a_unicode_line_separator_keeps_line_numbers(app: AppDir) -> None:
    # python-liquid counts lines by '\n' only; U+2028 inside a YAML string
    # must not add a blank line in place of the front matter.
    app.page("index", "---\ntitle: 'a\u2028b'\n---\nline 4\n{{ 1 | divided_by: 0 }}")
    runtime = app.runtime()
    assert runtime.front_matter("app/views/pages/index.liquid") == {"title": "a\u2028b"}
    try:
        runtime.render("index")
    except TemplateError as err:
        assert err.location is not None
        assert err.location.line == 5
    else:
        raise AssertionError("the page should fail")
