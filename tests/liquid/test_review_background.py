"""Review findings on the background tag."""

from __future__ import annotations

from liquid_apps import AppDir, job_from


def test_arguments_over_100_kb_queue_the_job_with_a_warning(app: AppDir) -> None:
    # The platform advises keeping arguments under ~100 KB and passing ids.
    app.page(
        "index",
        "{% assign big = 'x' | append: '' %}"
        "{% for i in (1..11000) %}{% assign big = big | append: 'xxxxxxxxxx' %}{% endfor %}\n"
        "{% background source_name: 'big_job', data: big, id: 7 %}{{ data | size }}"
        "{% endbackground %}"
        "{% background source_name: 'small_job', id: 7 %}{{ id }}{% endbackground %}",
    )
    runtime = app.runtime()
    result = runtime.render("index")
    big, small = result.outbox.jobs
    [warning] = result.outbox.logs
    assert warning.type == "warning"
    assert "big_job" in warning.message and "110 KB" in warning.message
    assert "100 KB" in warning.message
    assert warning.location == "app/views/pages/index.liquid:2"
    assert runtime.run_job(job_from(big)).output == "110001"
    assert runtime.run_job(job_from(small)).output == "7"
